// Pyrra `pyrra.dev/v1alpha1` ServiceLevelObjective → solida's authoring config: ratio, latency and
// bool_gauge indicators; `grouping` keeps those labels, so one definition is one SLO per label value
// (per handler, per target) as in Pyrra. The service is the object's namespace (Pyrra has no service
// field), or its name when there is none. Native-histogram latency (latencyNative) is refused by name.
import { z } from 'zod';
import type { SloConfig } from '../config.ts';
import { isVectorSelector } from '../promql.ts';
import { type Doc, type ReadResult, PathMap, Problems, join, labelMap } from './common.ts';

export const PYRRA_API = 'pyrra.dev/v1alpha1';

const query = z.strictObject({ metric: z.string() });
const grouping = z.array(z.string()).nullish();
const schema = z.strictObject({
  apiVersion: z.literal(PYRRA_API),
  kind: z.literal('ServiceLevelObjective'),
  metadata: z.looseObject({ name: z.string(), namespace: z.string().optional(), labels: labelMap.optional(), annotations: labelMap.optional() }),
  spec: z.strictObject({
    description: z.string().optional(),
    // Pyrra keeps the target a string ("99.5") for Kubernetes; a YAML number is read the same.
    target: z.union([z.string(), z.number()]),
    window: z.string(),
    indicator: z.strictObject({
      ratio: z.strictObject({ errors: query, total: query, grouping }).optional(),
      latency: z.strictObject({ success: query, total: query, grouping }).optional(),
      latencyNative: z.strictObject({ latency: z.string(), total: query, grouping }).optional(),
      bool_gauge: z.strictObject({ metric: z.string(), grouping }).optional(),
    }),
    alerting: z
      .strictObject({
        disabled: z.boolean().optional(),
        burnrates: z.boolean().optional(),
        absent: z.boolean().optional(),
        name: z.string().optional(),
        absentName: z.string().optional(),
        severities: z.strictObject({ absent: z.string().optional(), fastBurn: z.string().optional(), mediumBurn: z.string().optional(), slowBurn: z.string().optional(), longTermBurn: z.string().optional() }).optional(),
      })
      .optional(),
    partial_response_strategy: z.string().optional(),
    performanceOverAccuracy: z.boolean().optional(),
    ruleOutput: z.unknown().optional(),
  }),
  status: z.unknown().optional(),
});

/** Pyrra's tiers, fast to long-term, mapped onto solida's default tier names. */
const SEVERITY_TIERS = { fastBurn: 'page-1h', mediumBurn: 'page-6h', slowBurn: 'ticket-1d', longTermBurn: 'ticket-3d' } as const;

export function isPyrraDocument(doc: unknown): boolean {
  return typeof doc === 'object' && doc !== null && (doc as { apiVersion?: unknown }).apiVersion === PYRRA_API;
}

export function readPyrra(docs: Doc[], file: string): ReadResult {
  const problems = new Problems(file);
  const paths = new PathMap();
  const result: ReadResult = { format: 'pyrra', recognised: `Pyrra ${PYRRA_API} ServiceLevelObjective`, config: { services: [], slos: [] }, sources: [], paths, problems: problems.list };
  for (const doc of docs) {
    const kind = (doc.value as { kind?: unknown }).kind;
    if (kind !== 'ServiceLevelObjective') {
      problems.add(join(doc.at, 'kind'), `Pyrra kind "${String(kind)}" is not read`, 'solida reads Pyrra ServiceLevelObjective documents');
      continue;
    }
    const parsed = schema.safeParse(doc.value, { reportInput: true });
    if (!parsed.success) {
      problems.zod(parsed.error, schema, doc.at);
      continue;
    }
    const { metadata, spec } = parsed.data;
    const specAt = join(doc.at, 'spec');
    const ind = spec.indicator;
    const kinds = (['ratio', 'latency', 'latencyNative', 'bool_gauge'] as const).filter((k) => ind[k] !== undefined);
    const index = result.config.slos.length;
    const cp = `slos[${index}]`;
    if (kinds.length !== 1) {
      problems.add(join(specAt, 'indicator'), kinds.length ? `more than one indicator (${kinds.join(', ')})` : 'no indicator', 'give exactly one of ratio, latency or bool_gauge');
      continue;
    }
    const indAt = join(specAt, `indicator.${kinds[0]}`);
    let sli: SloConfig['sli'] = {};
    const selector = (q: string, at: string): string => {
      // Pyrra itself requires vector selectors here; say so in its terms.
      if (!isVectorSelector(q)) problems.add(at, `"${q}" is not a vector selector`, 'write the metric with its label matchers, e.g. http_requests_total{job="api",code=~"5.."}, as Pyrra requires');
      return q;
    };
    if (ind.latencyNative) {
      problems.add(indAt, 'latencyNative reads Prometheus native histograms, which solida\'s rules do not query yet', 'use latency with a classic histogram: success: <name>_bucket{…,le="0.2"} and total: <name>_count{…}');
      continue;
    }
    if (ind.ratio) {
      sli = { events: { errors: selector(ind.ratio.errors.metric, join(indAt, 'errors.metric')), total: selector(ind.ratio.total.metric, join(indAt, 'total.metric')) } };
      paths.set(`${cp}.sli.events.errors`, join(indAt, 'errors.metric'));
      paths.set(`${cp}.sli.events.total`, join(indAt, 'total.metric'));
    } else if (ind.latency) {
      sli = { events: { good: selector(ind.latency.success.metric, join(indAt, 'success.metric')), total: selector(ind.latency.total.metric, join(indAt, 'total.metric')) } };
      paths.set(`${cp}.sli.events.good`, join(indAt, 'success.metric'));
      paths.set(`${cp}.sli.events.total`, join(indAt, 'total.metric'));
    } else if (ind.bool_gauge) {
      // A 0/1 gauge: every sample is an event, the zeros are the errors.
      const m = selector(ind.bool_gauge.metric, join(indAt, 'metric'));
      const by = ind.bool_gauge.grouping?.length ? ` by (${ind.bool_gauge.grouping.join(', ')})` : '';
      sli = { events: { errors: `sum${by}(count_over_time(${m}[{{.window}}])) - sum${by}(sum_over_time(${m}[{{.window}}]))`, total: `sum${by}(count_over_time(${m}[{{.window}}]))` } };
      paths.set(`${cp}.sli.events`, join(indAt, 'metric'));
    }
    const group = (ind.ratio ?? ind.latency ?? ind.bool_gauge)?.grouping ?? [];

    const target = typeof spec.target === 'number' ? spec.target : Number(spec.target);
    if (!Number.isFinite(target)) problems.add(join(specAt, 'target'), `"${spec.target}" is not a number`, 'write the target as a percentage string, e.g. "99.5"');
    else if (target > 0 && target < 1) problems.add(join(specAt, 'target'), `${target} looks like a ratio; Pyrra targets are percentages`, `write "${target * 100}"`);

    const a = spec.alerting;
    const off = a?.disabled === true || a?.burnrates === false;
    const tiers = Object.fromEntries(
      Object.entries(SEVERITY_TIERS).map(([key, tier]) => {
        const severity = a?.severities?.[key as keyof typeof SEVERITY_TIERS];
        return [tier, { ...(off ? { enabled: false } : {}), ...(severity ? { labels: { severity } } : {}) }];
      }),
    );
    const service = metadata.namespace ?? metadata.name;
    if (!result.config.services.some((s) => s.name === service)) {
      paths.set(`services[${result.config.services.length}].name`, join(doc.at, metadata.namespace ? 'metadata.namespace' : 'metadata.name'));
      result.config.services.push({ name: service });
    }
    // Pyrra puts only `pyrra.dev/`-prefixed labels on its rules (prefix dropped); the others label the
    // Kubernetes object (e.g. prometheus: k8s for the operator's rule selector) and stay in source.
    const prefix = 'pyrra.dev/';
    const labels = Object.fromEntries(Object.entries(metadata.labels ?? {}).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
    paths.set(`${cp}.name`, join(doc.at, 'metadata.name'));
    paths.set(`${cp}.objective`, join(specAt, 'target'));
    paths.set(`${cp}.window`, join(specAt, 'window'));
    paths.set(`${cp}.grouping`, join(indAt, 'grouping'));
    paths.set(`${cp}.alerting`, join(specAt, 'alerting'));
    paths.set(`${cp}.sli`, indAt);
    const alertAnnotations = Object.fromEntries(Object.entries(metadata.annotations ?? {}).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
    paths.set(`${cp}.labels`, join(doc.at, 'metadata.labels'));
    paths.set(cp, doc.at);
    result.config.slos.push({
      service,
      name: metadata.name,
      ...(spec.description ? { description: spec.description } : {}),
      objective: Number.isFinite(target) ? target : 99,
      window: spec.window,
      sli,
      ...(group.length ? { grouping: group } : {}),
      ...(Object.keys(labels).length ? { labels } : {}),
      alerting: {
        ...(a?.name ? { name: a.name } : {}),
        ...(Object.keys(alertAnnotations).length ? { annotations: alertAnnotations } : {}),
        tiers,
        // Pyrra's absent alert is solida's no-data alert; `disabled` turns off every alert.
        noData: { enabled: a?.disabled !== true && a?.absent !== false, ...(a?.severities?.absent ? { severity: /crit|page/i.test(a.severities.absent) ? 'page' : 'ticket' } : {}) },
      },
    });
    result.sources.push({ format: 'pyrra', spec: PYRRA_API, kubernetes: { name: metadata.name, namespace: metadata.namespace, labels: metadata.labels ?? {}, annotations: metadata.annotations ?? {} } });
  }
  return result;
}
