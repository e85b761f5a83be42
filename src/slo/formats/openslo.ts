// OpenSLO v1 in and out. Supported: SLO (inline `indicator` or `indicatorRef` to an SLI document),
// SLI with ratioMetric over Prometheus sources, Service documents, Occurrences budgeting, one objective.
// What OpenSLO cannot say (multiwindow tiers, selectors of services) travels in a solida annotation so
// a round trip keeps its meaning.
import { z } from 'zod';
import type { Problem } from '../../util/errors.ts';
import type { AlertingConfig, SolidaConfig, SloConfig } from '../config.ts';
import type { Slo, SolidaModel } from '../model.ts';
import { WINDOW_PLACEHOLDER } from '../promql.ts';
import { EXPORTER_HISTOGRAM, formatLe } from '../metrics.ts';
import { splitMatchers } from '../normalize.ts';

export const ALERTING_ANNOTATION = 'solida.dev/alerting';

const metadata = z.object({
  name: z.string(),
  displayName: z.string().optional(),
  labels: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const metricSourceHolder = z.object({
  metricSource: z.object({
    metricSourceRef: z.string().optional(),
    type: z.string(),
    spec: z.record(z.string(), z.unknown()),
  }),
});

const sliSpec = z.object({
  description: z.string().optional(),
  thresholdMetric: z.unknown().optional(),
  ratioMetric: z
    .object({
      counter: z.boolean(),
      good: metricSourceHolder.optional(),
      bad: metricSourceHolder.optional(),
      total: metricSourceHolder,
      rawType: z.string().optional(),
      raw: metricSourceHolder.optional(),
    })
    .optional(),
});

const sliDoc = z.object({ apiVersion: z.literal('openslo/v1'), kind: z.literal('SLI'), metadata, spec: sliSpec });

const sloDoc = z.object({
  apiVersion: z.literal('openslo/v1'),
  kind: z.literal('SLO'),
  metadata,
  spec: z.object({
    description: z.string().optional(),
    service: z.string(),
    indicator: z.object({ metadata, spec: sliSpec }).optional(),
    indicatorRef: z.string().optional(),
    timeWindow: z.array(z.object({ duration: z.string(), isRolling: z.boolean(), calendar: z.unknown().optional() })).length(1),
    budgetingMethod: z.string(),
    objectives: z.array(z.object({ displayName: z.string().optional(), target: z.number().optional(), targetPercent: z.number().optional(), op: z.string().optional(), value: z.number().optional() })).min(1),
    alertPolicies: z.array(z.unknown()).optional(),
  }),
});

const serviceDoc = z.object({ apiVersion: z.literal('openslo/v1'), kind: z.literal('Service'), metadata, spec: z.object({ description: z.string().optional() }).optional() });

export function isOpenSloDocument(doc: unknown): boolean {
  return typeof doc === 'object' && doc !== null && String((doc as { apiVersion?: unknown }).apiVersion).startsWith('openslo/');
}

/** Converts OpenSLO documents; structural problems are returned with document-indexed paths. */
export function openSloToConfig(docs: unknown[], file: string): { config: SolidaConfig; problems: Problem[] } {
  const problems: Problem[] = [];
  const add = (path: string, message: string, fix?: string) => problems.push({ file, path, message, fix });
  const slis = new Map<string, z.infer<typeof sliSpec>>();
  const services = new Map<string, string | undefined>();
  const slos: { doc: z.infer<typeof sloDoc>; index: number }[] = [];

  docs.forEach((doc, i) => {
    const kind = (doc as { kind?: unknown }).kind;
    const path = `documents[${i}]`;
    if ((doc as { apiVersion?: unknown }).apiVersion !== 'openslo/v1') {
      add(`${path}.apiVersion`, `unsupported apiVersion "${String((doc as { apiVersion?: unknown }).apiVersion)}"`, 'use openslo/v1');
      return;
    }
    const schema = kind === 'SLI' ? sliDoc : kind === 'SLO' ? sloDoc : kind === 'Service' ? serviceDoc : undefined;
    if (!schema) {
      add(`${path}.kind`, `unsupported kind "${String(kind)}"`, 'solida reads SLO, SLI and Service documents; move other kinds to another file');
      return;
    }
    const parsed = schema.safeParse(doc);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) add(`${path}.${issue.path.join('.')}`, issue.message);
      return;
    }
    if (kind === 'SLI') slis.set((parsed.data as z.infer<typeof sliDoc>).metadata.name, (parsed.data as z.infer<typeof sliDoc>).spec);
    else if (kind === 'Service') services.set(parsed.data.metadata.name, (parsed.data as z.infer<typeof serviceDoc>).spec?.description);
    else slos.push({ doc: parsed.data as z.infer<typeof sloDoc>, index: i });
  });

  const config: SolidaConfig = { services: [], slos: [] };
  const serviceNames = new Set<string>();
  for (const { doc, index } of slos) {
    const path = `documents[${index}].spec`;
    const spec = doc.spec;
    let sliSpecValue = spec.indicator?.spec;
    if (!sliSpecValue && spec.indicatorRef) {
      sliSpecValue = slis.get(spec.indicatorRef);
      if (!sliSpecValue) add(`${path}.indicatorRef`, `no SLI document named "${spec.indicatorRef}"`, `add an SLI document with metadata.name: ${spec.indicatorRef}, or inline it as indicator`);
    }
    if (!sliSpecValue && !spec.indicatorRef) add(path, 'neither indicator nor indicatorRef', 'add an inline indicator or an indicatorRef');
    if (spec.budgetingMethod !== 'Occurrences') add(`${path}.budgetingMethod`, `budgeting method ${spec.budgetingMethod} is not supported`, 'use Occurrences');
    if (spec.objectives.length > 1) add(`${path}.objectives`, `${spec.objectives.length} objectives; solida supports one per SLO`, 'split it into one SLO per objective');
    const objective = spec.objectives[0];
    const target = objective.target ?? (objective.targetPercent !== undefined ? objective.targetPercent / 100 : undefined);
    if (target === undefined) add(`${path}.objectives[0].target`, 'missing target', 'add target: 0.999 (a ratio)');
    if (spec.alertPolicies?.length) add(`${path}.alertPolicies`, 'OpenSLO alert policies are not read', `remove them; solida builds multiwindow burn-rate alerts (set them in the ${ALERTING_ANNOTATION} annotation)`);
    const window = openSloWindow(spec.timeWindow[0], `${path}.timeWindow[0]`, add);
    const sli = sliSpecValue ? openSloSli(sliSpecValue, `${path}.indicator.spec`, add) : undefined;
    let alerting: AlertingConfig | undefined;
    const annotation = doc.metadata.annotations?.[ALERTING_ANNOTATION];
    if (annotation) {
      try {
        alerting = JSON.parse(annotation) as AlertingConfig;
      } catch {
        add(`documents[${index}].metadata.annotations.${ALERTING_ANNOTATION}`, 'is not valid JSON', 'write the alerting policy as JSON, or remove the annotation');
      }
    }
    serviceNames.add(spec.service);
    const slo: SloConfig = {
      service: spec.service,
      name: doc.metadata.name,
      description: spec.description ?? doc.metadata.displayName,
      objective: target !== undefined ? round(target * 100) : 99,
      window,
      sli: sli ?? {},
      alerting,
    };
    config.slos.push(slo);
  }
  for (const name of new Set([...services.keys(), ...serviceNames])) config.services.push({ name, description: services.get(name) });
  return { config, problems };
}

function openSloWindow(w: { duration: string; isRolling: boolean }, path: string, add: (p: string, m: string, f?: string) => void): SloConfig['window'] {
  if (w.isRolling) {
    if (/^\d+[mhdw]$/.test(w.duration)) return w.duration;
    add(`${path}.duration`, `rolling window ${w.duration} is not supported`, 'use minutes, hours, days or weeks (e.g. 28d)');
    return '30d';
  }
  if (w.duration === '1M') return { calendar: 'month' };
  if (w.duration === '1w' || w.duration === '7d') return { calendar: 'week' };
  add(`${path}.duration`, `calendar window ${w.duration} is not supported`, 'use 1M (month) or 1w (week)');
  return { calendar: 'month' };
}

function openSloSli(spec: z.infer<typeof sliSpec>, path: string, add: (p: string, m: string, f?: string) => void): SloConfig['sli'] | undefined {
  if (!spec.ratioMetric) {
    add(path, 'only ratioMetric SLIs are supported', 'express the SLI as good/bad over total events');
    return undefined;
  }
  const r = spec.ratioMetric;
  const query = (h: z.infer<typeof metricSourceHolder> | undefined, p: string): string | undefined => {
    if (!h) return undefined;
    if (h.metricSource.type.toLowerCase() !== 'prometheus') {
      add(`${p}.metricSource.type`, `metric source ${h.metricSource.type} is not supported`, 'use a Prometheus source');
      return undefined;
    }
    const q = h.metricSource.spec.query;
    if (typeof q !== 'string') {
      add(`${p}.metricSource.spec.query`, 'missing query', 'add the Prometheus query');
      return undefined;
    }
    if (!r.counter && !q.includes(WINDOW_PLACEHOLDER)) add(`${p}.metricSource.spec.query`, 'a non-counter query needs the {{.window}} placeholder', 'set counter: true with a counter selector, or write the rate over [{{.window}}]');
    return q;
  };
  if (r.raw) {
    add(`${path}.ratioMetric.raw`, 'raw ratio metrics are not supported', 'use good/bad and total');
    return undefined;
  }
  const total = query(r.total, `${path}.ratioMetric.total`);
  const good = query(r.good, `${path}.ratioMetric.good`);
  const bad = query(r.bad, `${path}.ratioMetric.bad`);
  if (!total) return undefined;
  return { events: { total, good, errors: bad } };
}

/** The model back out as OpenSLO v1 documents (Service + SLO with inline SLI). */
export function modelToOpenSlo(model: SolidaModel): { documents: unknown[]; notes: string[] } {
  const notes: string[] = [];
  const documents: unknown[] = model.services.map((s) => ({
    apiVersion: 'openslo/v1',
    kind: 'Service',
    metadata: { name: s.name },
    spec: s.description ? { description: s.description } : {},
  }));
  for (const slo of model.slos) {
    const ratio = openSloRatio(slo);
    if (!ratio) {
      notes.push(`${slo.id}: a CloudWatch SLI has no OpenSLO Prometheus form; not exported`);
      continue;
    }
    documents.push({
      apiVersion: 'openslo/v1',
      kind: 'SLO',
      metadata: { name: slo.name, ...(slo.description ? { displayName: slo.description } : {}), annotations: { [ALERTING_ANNOTATION]: JSON.stringify(alertingConfig(slo)) } },
      spec: {
        ...(slo.description ? { description: slo.description } : {}),
        service: slo.service,
        indicator: { metadata: { name: `${slo.name}-sli` }, spec: { ratioMetric: ratio } },
        timeWindow: [
          slo.window.kind === 'rolling'
            ? { duration: slo.window.duration.text, isRolling: true }
            : { duration: slo.window.unit === 'month' ? '1M' : '1w', isRolling: false, calendar: { startTime: '2020-01-06 00:00:00', timeZone: 'UTC' } },
        ],
        budgetingMethod: 'Occurrences',
        objectives: [{ target: round(slo.objective / 100, 10) }],
      },
    });
  }
  return { documents, notes };
}

function source(query: string) {
  return { metricSource: { type: 'Prometheus', spec: { query } } };
}

function openSloRatio(slo: Slo): Record<string, unknown> | undefined {
  if (slo.sli.source !== 'prometheus') return undefined;
  const o = slo.sli.origin;
  switch (o.kind) {
    case 'events': {
      const counter = o.totalQuery === undefined;
      const pick = (selector?: string, q?: string) => (selector ?? q ? source((selector ?? q)!) : undefined);
      return {
        counter,
        ...(o.errorSelector || o.errorQuery ? { bad: pick(o.errorSelector, o.errorQuery) } : {}),
        ...(o.goodSelector || o.goodQuery ? { good: pick(o.goodSelector, o.goodQuery) } : {}),
        total: pick(o.totalSelector || undefined, o.totalQuery),
      };
    }
    case 'raw':
      return { counter: false, bad: source(o.errorRatioQuery), total: source('vector(1)') };
    case 'latency': {
      const m = o.matchers ? [o.matchers] : [];
      return { counter: true, good: source(sel(`${o.histogram}_bucket`, [...m, formatLe(o.thresholdSeconds)])), total: source(sel(`${o.histogram}_count`, m)) };
    }
    case 'golden': {
      // Golden presets are the exporter's histogram; write the selectors they stand for.
      const m = [`job="${o.service}"`, ...(o.route ? [`http_route="${o.route}"`] : [])];
      if (o.signal === 'availability') return { counter: true, bad: source(sel(`${EXPORTER_HISTOGRAM}_count`, [...m, 'error_type!=""'])), total: source(sel(`${EXPORTER_HISTOGRAM}_count`, m)) };
      return { counter: true, good: source(sel(`${EXPORTER_HISTOGRAM}_bucket`, [...m, formatLe(o.thresholdSeconds!)])), total: source(sel(`${EXPORTER_HISTOGRAM}_count`, m)) };
    }
  }
}

function sel(name: string, matchers: string[]): string {
  return matchers.length ? `${name}{${matchers.flatMap((m) => splitMatchers(m)).join(',')}}` : name;
}

/** The alerting policy in authoring form, so reading the annotation back rebuilds the same tiers. */
function alertingConfig(slo: Slo): AlertingConfig {
  const a = slo.alerting;
  return {
    name: a.name,
    ...(Object.keys(a.labels).length ? { labels: a.labels } : {}),
    ...(Object.keys(a.annotations).length ? { annotations: a.annotations } : {}),
    ...(a.runbookUrl ? { runbookUrl: a.runbookUrl } : {}),
    tiers: Object.fromEntries(
      a.tiers.map((t) => [
        t.name,
        {
          enabled: t.enabled,
          severity: t.severity,
          burnRate: t.burnRate,
          longWindow: t.longWindow.text,
          shortWindow: t.shortWindow.text,
          ...(t.for.seconds ? { for: t.for.text } : {}),
          ...(Object.keys(t.labels).length ? { labels: t.labels } : {}),
          ...(Object.keys(t.annotations).length ? { annotations: t.annotations } : {}),
        },
      ]),
    ),
    noData: { enabled: a.noData.enabled, for: a.noData.for.text, severity: a.noData.severity },
  };
}

function round(x: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
