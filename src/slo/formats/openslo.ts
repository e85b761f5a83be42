// OpenSLO v1 → solida's authoring config, for Prometheus sources (type Prometheus, Any, or inferred
// from a DataSource). Everything the v1 spec says: SLO, SLI, Service, DataSource, AlertPolicy,
// AlertCondition and AlertNotificationTarget documents, as `---` documents or YAML lists;
// Occurrences, Timeslices and RatioTimeslices budgeting; ratio (good/bad/total or raw) and threshold
// metrics; target or targetPercent; calendar windows with their startTime and timeZone; labels.
// The spec's defaults apply: isRolling is false when calendar is given; counter, which the spec leaves
// open, is inferred from the metric's name (_total/_count/_bucket/_sum are counters).
import { z } from 'zod';
import type { AlertingConfig, SloConfig, TierConfig } from '../config.ts';
import type { SliOrigin } from '../model.ts';
import { WINDOW_PLACEHOLDER, caret, checkPromQL, isVectorSelector, metricsQLFunctions, normalizeWindowPlaceholder, promqlParser, renderWindow } from '../promql.ts';
import { formatDuration, parseDuration } from '../duration.ts';
import { type Doc, type ReadResult, PathMap, Problems, join } from './common.ts';

import { DEFAULT_START } from './openslo-write.ts';

export { modelToOpenSlo } from './openslo-write.ts';

export const ALERTING_ANNOTATION = 'solida.dev/alerting';
export const GROUPING_ANNOTATION = 'solida.dev/grouping';

const labelValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number(), z.boolean()]))]));
const metadata = z.looseObject({
  name: z.string(),
  displayName: z.string().optional(),
  labels: labelValues.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const metricSource = z.strictObject({
  metricSourceRef: z.string().optional(),
  type: z.string().optional(),
  spec: z.record(z.string(), z.unknown()),
});
const holder = z.strictObject({ metricSource });
type Holder = z.infer<typeof holder>;

const sliSpec = z.strictObject({
  description: z.string().optional(),
  thresholdMetric: holder.optional(),
  ratioMetric: z
    .strictObject({
      counter: z.boolean().optional(),
      good: holder.optional(),
      bad: holder.optional(),
      total: holder.optional(),
      rawType: z.enum(['success', 'failure']).optional(),
      raw: holder.optional(),
    })
    .optional(),
});
type SliSpec = z.infer<typeof sliSpec>;

const objective = z.strictObject({
  displayName: z.string().optional(),
  op: z.enum(['lte', 'gte', 'lt', 'gt']).optional(),
  value: z.number().optional(),
  target: z.number().min(0).lt(1).optional(),
  targetPercent: z.number().min(0).lt(100).optional(),
  timeSliceTarget: z.number().gt(0).max(1).optional(),
  timeSliceWindow: z.union([z.number().positive(), z.string()]).optional(),
  compositeWeight: z.number().optional(),
  indicator: z.unknown().optional(),
  indicatorRef: z.string().optional(),
});
type Objective = z.infer<typeof objective>;

const conditionSpec = z.strictObject({
  description: z.string().optional(),
  severity: z.string(),
  condition: z.strictObject({
    kind: z.string().optional(),
    op: z.enum(['lte', 'gte', 'lt', 'gt']),
    threshold: z.number(),
    lookbackWindow: z.string(),
    alertAfter: z.string().optional(),
  }),
});
const policySpec = z.strictObject({
  description: z.string().optional(),
  alertWhenNoData: z.boolean().optional(),
  alertWhenResolved: z.boolean().optional(),
  alertWhenBreaching: z.boolean().optional(),
  conditions: z.array(z.union([z.strictObject({ conditionRef: z.string() }), z.strictObject({ kind: z.literal('AlertCondition'), metadata, spec: conditionSpec })])).min(1),
  notificationTargets: z.array(z.union([z.strictObject({ targetRef: z.string() }), z.looseObject({ kind: z.literal('AlertNotificationTarget'), metadata })])).optional(),
});

const timeWindow = z.strictObject({
  duration: z.string(),
  isRolling: z.boolean().optional(),
  calendar: z.strictObject({ startTime: z.string(), timeZone: z.string() }).optional(),
});

const sloSpec = z.strictObject({
  description: z.string().optional(),
  service: z.string(),
  indicator: z.strictObject({ metadata, spec: sliSpec }).optional(),
  indicatorRef: z.string().optional(),
  timeWindow: z.array(timeWindow).length(1, 'give exactly one time window').optional(),
  budgetingMethod: z.enum(['Occurrences', 'Timeslices', 'RatioTimeslices']),
  objectives: z.array(objective).min(1),
  alertPolicies: z.array(z.union([z.strictObject({ alertPolicyRef: z.string() }), z.strictObject({ kind: z.literal('AlertPolicy'), metadata, spec: policySpec })])).nullish(),
});

const SCHEMAS = {
  SLO: z.strictObject({ apiVersion: z.literal('openslo/v1'), kind: z.literal('SLO'), metadata, spec: sloSpec }),
  SLI: z.strictObject({ apiVersion: z.literal('openslo/v1'), kind: z.literal('SLI'), metadata, spec: sliSpec }),
  Service: z.strictObject({ apiVersion: z.literal('openslo/v1'), kind: z.literal('Service'), metadata, spec: z.strictObject({ description: z.string().optional() }).nullish() }),
  DataSource: z.strictObject({ apiVersion: z.literal('openslo/v1'), kind: z.literal('DataSource'), metadata, spec: z.looseObject({ type: z.string(), description: z.string().optional() }) }),
  AlertPolicy: z.strictObject({ apiVersion: z.literal('openslo/v1'), kind: z.literal('AlertPolicy'), metadata, spec: policySpec }),
  AlertCondition: z.strictObject({ apiVersion: z.literal('openslo/v1'), kind: z.literal('AlertCondition'), metadata, spec: conditionSpec }),
  AlertNotificationTarget: z.strictObject({ apiVersion: z.literal('openslo/v1'), kind: z.literal('AlertNotificationTarget'), metadata, spec: z.looseObject({ target: z.string().optional() }) }),
} as const;

type Parsed<K extends keyof typeof SCHEMAS> = z.infer<(typeof SCHEMAS)[K]>;

export function isOpenSloDocument(doc: unknown): boolean {
  return typeof doc === 'object' && doc !== null && String((doc as { apiVersion?: unknown }).apiVersion).startsWith('openslo/');
}

interface Named<T> {
  value: T;
  at: string;
}

/** Reads the OpenSLO documents of a file together (SLOs refer to SLIs, policies, sources by name). */
export function readOpenSlo(docs: Doc[], file: string): ReadResult {
  const problems = new Problems(file);
  const paths = new PathMap();
  const result: ReadResult = { format: 'openslo', recognised: 'OpenSLO openslo/v1', config: { services: [], slos: [] }, sources: [], origins: [], paths, problems: problems.list };
  const slis = new Map<string, Named<SliSpec>>();
  const services = new Map<string, Named<Parsed<'Service'>>>();
  const dataSources = new Map<string, string>();
  const policies = new Map<string, Named<Parsed<'AlertPolicy'>['spec']>>();
  const conditions = new Map<string, Named<Parsed<'AlertCondition'>>>();
  const slos: Named<Parsed<'SLO'>>[] = [];

  for (const doc of docs) {
    const v = doc.value as { apiVersion?: unknown; kind?: unknown };
    if (v.apiVersion !== 'openslo/v1') {
      problems.add(join(doc.at, 'apiVersion'), `OpenSLO ${String(v.apiVersion)} is not read`, 'solida reads openslo/v1 (the released version); write the documents as openslo/v1');
      continue;
    }
    const kind = String(v.kind);
    if (!(kind in SCHEMAS)) {
      problems.add(join(doc.at, 'kind'), `unknown OpenSLO v1 kind "${kind}"`, `use one of: ${Object.keys(SCHEMAS).join(', ')}`);
      continue;
    }
    const schema = SCHEMAS[kind as keyof typeof SCHEMAS];
    const parsed = schema.safeParse(doc.value, { reportInput: true });
    if (!parsed.success) {
      problems.zod(parsed.error, schema, doc.at);
      continue;
    }
    const name = (parsed.data as { metadata: { name: string } }).metadata.name;
    if (kind === 'SLI') slis.set(name, { value: (parsed.data as Parsed<'SLI'>).spec, at: join(doc.at, 'spec') });
    else if (kind === 'Service') services.set(name, { value: parsed.data as Parsed<'Service'>, at: doc.at });
    else if (kind === 'DataSource') dataSources.set(name, (parsed.data as Parsed<'DataSource'>).spec.type);
    else if (kind === 'AlertPolicy') policies.set(name, { value: (parsed.data as Parsed<'AlertPolicy'>).spec, at: join(doc.at, 'spec') });
    else if (kind === 'AlertCondition') conditions.set(name, { value: parsed.data as Parsed<'AlertCondition'>, at: doc.at });
    else if (kind === 'SLO') slos.push({ value: parsed.data as Parsed<'SLO'>, at: doc.at });
  }

  const ctx: Ctx = { problems, paths, dataSources, policies, conditions };
  const serviceNames = new Set<string>();
  for (const { value: doc, at } of slos) {
    const specAt = join(at, 'spec');
    const spec = doc.spec;
    let sli: Named<SliSpec> | undefined;
    if (spec.indicator) sli = { value: spec.indicator.spec, at: join(specAt, 'indicator.spec') };
    else if (spec.indicatorRef) {
      sli = slis.get(spec.indicatorRef);
      if (!sli) problems.add(join(specAt, 'indicatorRef'), `no SLI document named "${spec.indicatorRef}"`, `add an SLI document with metadata.name: ${spec.indicatorRef}, or inline it as indicator`);
    } else problems.add(specAt, 'neither indicator nor indicatorRef', 'add an inline indicator or an indicatorRef to an SLI document');

    const window = readWindow(spec.timeWindow?.[0], join(specAt, 'timeWindow[0]'), problems);
    const labels = promLabels(doc.metadata.labels);
    const alerting = readAlerting(doc, at, ctx);
    const grouping = doc.metadata.annotations?.[GROUPING_ANNOTATION]?.split(',').map((x) => x.trim()).filter(Boolean);

    spec.objectives.forEach((o, k) => {
      const oAt = join(specAt, `objectives[${k}]`);
      if (o.indicator !== undefined || o.indicatorRef !== undefined) {
        problems.add(oAt, 'composite SLOs (an indicator per objective) are not read', 'write one SLO document per objective, each with its own indicator');
        return;
      }
      const target = o.target ?? (o.targetPercent !== undefined ? o.targetPercent / 100 : undefined);
      if (o.target !== undefined && o.targetPercent !== undefined) problems.add(oAt, 'both target and targetPercent given', 'keep one: target: 0.999 or targetPercent: 99.9');
      if (target === undefined) problems.add(join(oAt, 'target'), 'missing target', 'add target: 0.999 (a ratio) or targetPercent: 99.9');
      const index = result.config.slos.length;
      const cp = `slos[${index}]`;
      const name = spec.objectives.length === 1 ? doc.metadata.name : `${doc.metadata.name}-${slug(o.displayName) || k}`;
      const converted = sli ? readSli(sli, spec.budgetingMethod, o, oAt, cp, ctx) : undefined;
      paths.set(`${cp}.name`, join(at, 'metadata.name'));
      paths.set(`${cp}.service`, join(specAt, 'service'));
      paths.set(`${cp}.objective`, join(oAt, o.target !== undefined ? 'target' : 'targetPercent'));
      paths.set(`${cp}.window`, join(specAt, 'timeWindow[0]'));
      paths.set(`${cp}.labels`, join(at, 'metadata.labels'));
      paths.set(`${cp}.grouping`, join(at, `metadata.annotations.${GROUPING_ANNOTATION}`));
      paths.set(cp, at);
      const slo: SloConfig = {
        service: spec.service,
        name,
        ...(spec.description ?? doc.metadata.displayName ? { description: spec.description ?? doc.metadata.displayName } : {}),
        objective: target !== undefined ? round(target * 100) : 99,
        window,
        sli: converted?.sli ?? {},
        ...(Object.keys(labels).length ? { labels } : {}),
        ...(grouping?.length ? { grouping } : {}),
        ...(alerting ? { alerting } : {}),
      };
      result.config.slos.push(slo);
      result.sources.push({ format: 'openslo', spec: 'openslo/v1', mode: 'cli-gen-openslo' });
      result.origins!.push(converted?.origin);
      serviceNames.add(spec.service);
    });
  }
  for (const name of new Set([...services.keys(), ...serviceNames])) {
    const svc = services.get(name);
    if (svc) paths.set(`services[${result.config.services.length}].name`, join(svc.at, 'metadata.name'));
    const labels = promLabels(svc?.value.metadata.labels);
    result.config.services.push({ name, ...(svc?.value.spec?.description ? { description: svc.value.spec.description } : {}), ...(Object.keys(labels).length ? { labels } : {}) });
  }
  return result;
}

interface Ctx {
  problems: Problems;
  paths: PathMap;
  dataSources: Map<string, string>;
  policies: Map<string, Named<Parsed<'AlertPolicy'>['spec']>>;
  conditions: Map<string, Named<Parsed<'AlertCondition'>>>;
}

function readWindow(w: z.infer<typeof timeWindow> | undefined, at: string, problems: Problems): SloConfig['window'] {
  if (!w) return '30d';
  const m = /^(\d+)([mhdwMQY])$/.exec(w.duration);
  if (!m) {
    problems.add(join(at, 'duration'), `"${w.duration}" is not an OpenSLO duration`, 'write a number and one unit: m, h, d, w, M, Q or Y (e.g. 28d, 1M)');
    return '30d';
  }
  const [n, unit] = [Number(m[1]), m[2]];
  // The spec: "if omitted assumed false if calendar: is present"; without calendar a window rolls.
  const rolling = w.isRolling ?? w.calendar === undefined;
  if (rolling) {
    if (w.calendar) problems.add(join(at, 'calendar'), 'a rolling window has no calendar', 'remove calendar, or set isRolling: false');
    if ('MQY'.includes(unit)) {
      problems.add(join(at, 'duration'), `a rolling ${w.duration} has no fixed length`, `write days: ${n * { M: 30, Q: 90, Y: 365 }[unit as 'M' | 'Q' | 'Y']}d, or make it a calendar window (isRolling: false)`);
      return '30d';
    }
    return w.duration;
  }
  const calendar = n === 1 && unit === 'M' ? 'month' : (n === 1 && unit === 'w') || (n === 7 && unit === 'd') ? 'week' : undefined;
  if (calendar) {
    // Kept as written so an export writes them back; what solida's export writes when the model has
    // none (UTC, the first month or ISO week of 2020) is left out, so a round trip is exact.
    const zone = w.calendar?.timeZone;
    const start = w.calendar?.startTime;
    return { calendar, ...(zone && zone !== 'UTC' ? { timeZone: zone } : {}), ...(start && start !== DEFAULT_START[calendar] ? { startTime: start } : {}) };
  }
  // `1m` is a minute; OpenSLO's own Timeslices example writes it for a month.
  const hint = w.duration === '1m' ? ' (1m is one minute; a month is 1M)' : '';
  problems.add(join(at, 'duration'), `a calendar window of ${w.duration} is not supported${hint}`, 'use 1M (calendar month) or 1w (calendar week), or a rolling window (isRolling: true)');
  return { calendar: 'month' };
}

/** Prometheus label names and string values: lists join with commas, other characters become `_`. */
function promLabels(labels: z.infer<typeof labelValues> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels ?? {})) out[k.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^(\d)/, '_$1')] = Array.isArray(v) ? v.map(String).join(',') : String(v);
  return out;
}

const COUNTER_NAME = /_(total|count|bucket|sum)$/;

/** The Prometheus query of a metric source, or a problem naming why it is not one. */
function sourceQuery(h: Holder, at: string, ctx: Ctx): string | undefined {
  const ms = h.metricSource;
  const type = ms.type ?? (ms.metricSourceRef ? ctx.dataSources.get(ms.metricSourceRef) : undefined);
  if (type !== undefined && !['prometheus', 'any'].includes(type.toLowerCase())) {
    ctx.problems.add(join(at, ms.type !== undefined ? 'metricSource.type' : 'metricSource.metricSourceRef'), `metric source type ${type} is not read`, 'solida reads Prometheus sources: use type: Prometheus with spec.query');
    return undefined;
  }
  const q = ms.spec.query ?? ms.spec.promql;
  if (typeof q !== 'string' || q.trim() === '') {
    ctx.problems.add(join(at, 'metricSource.spec.query'), 'missing query', 'add the PromQL query as spec.query');
    return undefined;
  }
  const query = normalizeWindowPlaceholder(q.trim());
  const err = checkPromQL(query);
  const metricsQL = metricsQLFunctions(query);
  if (metricsQL.length && (err || metricsQL.some((f) => f.startsWith('a range')))) {
    ctx.problems.add(join(at, 'metricSource.spec.query'), `uses ${metricsQL.join(', ')} — MetricsQL (VictoriaMetrics) that Prometheus does not have`, 'solida writes Prometheus rules: rewrite the query in PromQL');
    return undefined;
  }
  if (err) {
    // Checked here so the problem points at this query, not at the ratio solida builds from it.
    ctx.problems.add(join(at, 'metricSource.spec.query'), `invalid PromQL: ${err.message}\n${caret(query, err.offset).split('\n').map((l) => `      ${l}`).join('\n')}`, 'correct the query; it must parse as PromQL');
    return undefined;
  }
  return query;
}

/** A vector selector, or an aggregation over one (sum(x{…}), sum by (a) (x{…})), with its parts. */
function aggregatedSelector(query: string): { selector: string; wrap: (inner: string) => string } | undefined {
  if (isVectorSelector(query)) return { selector: query, wrap: (x) => x };
  const tree = promqlParser().parse(query);
  const top = tree.topNode.firstChild;
  if (!top || top.type.name !== 'AggregateExpr' || checkPromQL(query)) return undefined;
  const body = top.getChild('FunctionCallBody');
  const args = body?.getChildren('VectorSelector') ?? [];
  const inner = body?.firstChild;
  if (!body || args.length !== 1 || !inner || inner.type.name !== 'VectorSelector' || body.lastChild?.type.name !== 'VectorSelector') return undefined;
  const selector = query.slice(inner.from, inner.to);
  return { selector, wrap: (x) => query.slice(0, inner.from) + x + query.slice(inner.to) };
}

/**
 * An events query over {{.window}}: as written when it has the placeholder; a counter's rate; a
 * gauge (counter: false — a number that goes up and down, e.g. a recorded rate) averaged over the window.
 */
function eventsOverWindow(query: string, counter: boolean | undefined, at: string, ctx: Ctx): string | undefined {
  if (query.includes(WINDOW_PLACEHOLDER)) return query;
  const agg = aggregatedSelector(query);
  const isCounter = counter ?? (agg ? COUNTER_NAME.test(agg.selector.replace(/\{.*$/s, '')) : false);
  if (isCounter) {
    if (!agg) {
      ctx.problems.add(join(at, 'metricSource.spec.query'), 'a counter query must be a selector (or sum of one) so solida can take its rate', 'write the counter selector, e.g. http_requests_total{job="api"}, or a rate over [{{.window}}]');
      return undefined;
    }
    return agg.wrap(`rate(${agg.selector}[${WINDOW_PLACEHOLDER}])`);
  }
  return `avg_over_time((${query})[${WINDOW_PLACEHOLDER}:])`;
}

const NEGATED_OP = { lt: '>=', lte: '>', gt: '<=', gte: '<' } as const;

function readSli(sli: Named<SliSpec>, method: 'Occurrences' | 'Timeslices' | 'RatioTimeslices', o: Objective, oAt: string, cp: string, ctx: Ctx): { sli: SloConfig['sli']; origin?: SliOrigin } | undefined {
  const { problems, paths } = ctx;
  const spec = sli.value;
  const at = sli.at;
  if ((spec.ratioMetric === undefined) === (spec.thresholdMetric === undefined)) {
    problems.add(at, spec.ratioMetric ? 'both ratioMetric and thresholdMetric given' : 'neither ratioMetric nor thresholdMetric given', 'give exactly one of ratioMetric or thresholdMetric');
    return undefined;
  }
  const slice = method === 'Occurrences' ? undefined : sliceWindow(o, oAt, problems);
  if (method === 'Timeslices' && o.timeSliceTarget === undefined) problems.add(join(oAt, 'timeSliceTarget'), 'is required with budgetingMethod Timeslices', 'add timeSliceTarget: the good ratio a slice must reach, e.g. 0.95');
  const origin = (errorRatioQuery: string): SliOrigin => ({ kind: 'openslo', budgetingMethod: method, indicator: spec as Record<string, unknown>, objective: o as Record<string, unknown>, errorRatioQuery });

  if (spec.thresholdMetric) {
    const tAt = join(at, 'thresholdMetric');
    const q = sourceQuery(spec.thresholdMetric, tAt, ctx);
    if (o.op === undefined || o.value === undefined) problems.add(oAt, 'a thresholdMetric objective needs op and value', 'add op: lt|lte|gt|gte and value: the threshold good values must meet');
    if (method === 'RatioTimeslices') problems.add(join(at, 'thresholdMetric'), 'RatioTimeslices averages ratios, and a threshold metric has none', 'use budgetingMethod Occurrences or Timeslices, or a ratioMetric');
    if (!q || o.op === undefined || o.value === undefined || method === 'RatioTimeslices') return undefined;
    const bad = `((${q}) ${NEGATED_OP[o.op]} bool ${o.value})`;
    let ratio: string;
    if (method === 'Occurrences') ratio = `avg_over_time(${bad}[${WINDOW_PLACEHOLDER}:])`; // every evaluation is an occurrence
    else {
      if (slice === undefined || o.timeSliceTarget === undefined) return undefined;
      ratio = `avg_over_time((avg_over_time(${bad}[${slice}:]) > bool ${round(1 - o.timeSliceTarget, 9)})[${WINDOW_PLACEHOLDER}:${slice}])`;
    }
    paths.set(`${cp}.sli.raw.errorRatio`, join(tAt, 'metricSource.spec.query'));
    return { sli: { raw: { errorRatio: ratio } }, origin: origin(ratio) };
  }

  const r = spec.ratioMetric!;
  const rAt = join(at, 'ratioMetric');
  if (r.raw) {
    if (r.good || r.bad || r.total) problems.add(rAt, 'raw cannot be combined with good, bad or total', 'keep raw (with rawType) or good/bad with total');
    if (!r.rawType) problems.add(join(rAt, 'rawType'), 'is required with raw', 'add rawType: failure (the query is an error ratio) or success');
    const q = sourceQuery(r.raw, join(rAt, 'raw'), ctx);
    if (!q || !r.rawType) return undefined;
    const over = q.includes(WINDOW_PLACEHOLDER) ? q : `avg_over_time((${q})[${WINDOW_PLACEHOLDER}:])`;
    const errorRatio = r.rawType === 'failure' ? over : `1 - (${over})`;
    paths.set(`${cp}.sli.raw.errorRatio`, join(rAt, 'raw.metricSource.spec.query'));
    if (method === 'Occurrences') return { sli: { raw: { errorRatio } } };
    if (slice === undefined) return undefined;
    const sliceRatio = renderWindow(errorRatio, slice);
    const ratio = method === 'RatioTimeslices' ? `avg_over_time((${sliceRatio})[${WINDOW_PLACEHOLDER}:${slice}])` : timeslices(`1 - (${sliceRatio})`, o, slice);
    return ratio === undefined ? undefined : { sli: { raw: { errorRatio: ratio } }, origin: origin(ratio) };
  }
  if (!r.total) {
    problems.add(join(rAt, 'total'), 'is required with good or bad', 'add total (all events), or use raw with rawType');
    return undefined;
  }
  if ((r.good === undefined) === (r.bad === undefined)) {
    problems.add(rAt, r.good ? 'both good and bad given' : 'neither good nor bad given', 'give exactly one of good or bad, with total');
    return undefined;
  }
  const numeratorKey = r.good ? 'good' : 'bad';
  const total = sourceQuery(r.total, join(rAt, 'total'), ctx);
  const numerator = sourceQuery((r.good ?? r.bad)!, join(rAt, numeratorKey), ctx);
  if (!total || !numerator) return undefined;
  const totalRate = eventsOverWindow(total, r.counter, join(rAt, 'total'), ctx);
  const numeratorRate = eventsOverWindow(numerator, r.counter, join(rAt, numeratorKey), ctx);
  if (!totalRate || !numeratorRate) return undefined;
  paths.set(`${cp}.sli.events.total`, join(rAt, 'total.metricSource.spec.query'));
  paths.set(`${cp}.sli.events.${r.good ? 'good' : 'errors'}`, join(rAt, `${numeratorKey}.metricSource.spec.query`));
  paths.set(`${cp}.sli.events`, rAt);
  if (method === 'Occurrences') {
    // Selectors stay selectors (solida takes their rate and exports them verbatim).
    const keep = (q: string, rate: string) => (isVectorSelector(q) && (r.counter ?? COUNTER_NAME.test(q.replace(/\{.*$/s, ''))) ? q : rate);
    return { sli: { events: { total: keep(total, totalRate), ...(r.good ? { good: keep(numerator, numeratorRate) } : { errors: keep(numerator, numeratorRate) }) } } };
  }
  if (slice === undefined) return undefined;
  const t = `sum(${renderWindow(totalRate, slice)})`;
  const n = `sum(${renderWindow(numeratorRate, slice)})`;
  const goodRatio = r.good ? `(${n} / ${t})` : `(1 - ${n} / ${t})`;
  const ratio = method === 'RatioTimeslices' ? `avg_over_time((1 - ${goodRatio})[${WINDOW_PLACEHOLDER}:${slice}])` : timeslices(goodRatio, o, slice);
  if (ratio === undefined) return undefined;
  paths.set(`${cp}.sli.raw.errorRatio`, rAt);
  return { sli: { raw: { errorRatio: ratio } }, origin: origin(ratio) };
}

/** Timeslices: the share of slices whose good ratio missed timeSliceTarget (its absence is reported above). */
function timeslices(goodRatio: string, o: Objective, slice: string): string | undefined {
  if (o.timeSliceTarget === undefined) return undefined;
  return `avg_over_time((${goodRatio} < bool ${o.timeSliceTarget})[${WINDOW_PLACEHOLDER}:${slice}])`;
}

function sliceWindow(o: Objective, oAt: string, problems: Problems): string | undefined {
  if (o.timeSliceWindow === undefined) {
    problems.add(join(oAt, 'timeSliceWindow'), 'is required with Timeslices and RatioTimeslices budgeting', 'add timeSliceWindow: 1m (the length of a slice)');
    return undefined;
  }
  // The spec: a bare number is minutes.
  const d = typeof o.timeSliceWindow === 'number' ? parseDuration(`${o.timeSliceWindow}m`) : parseDuration(o.timeSliceWindow);
  if (!d) {
    problems.add(join(oAt, 'timeSliceWindow'), `"${o.timeSliceWindow}" is not a duration`, 'write minutes as a number (5) or a duration (1m, 10m)');
    return undefined;
  }
  return formatDuration(d.seconds);
}

/** OpenSLO alert policies → solida tiers: each burn-rate condition is a tier. */
function readAlerting(doc: Parsed<'SLO'>, at: string, ctx: Ctx): AlertingConfig | undefined {
  const annotation = doc.metadata.annotations?.[ALERTING_ANNOTATION];
  if (annotation) {
    // solida's own export: the full policy, which OpenSLO's alert policies cannot say (short windows).
    try {
      return JSON.parse(annotation) as AlertingConfig;
    } catch {
      ctx.problems.add(join(at, `metadata.annotations.${ALERTING_ANNOTATION}`), 'is not valid JSON', 'write the alerting policy as JSON, or remove the annotation');
      return undefined;
    }
  }
  const refs = doc.spec.alertPolicies ?? [];
  if (refs.length === 0) return undefined;
  const tiers: Record<string, TierConfig> = {};
  let noData: boolean | undefined;
  refs.forEach((ref, i) => {
    const refAt = join(at, `spec.alertPolicies[${i}]`);
    let policy: Named<Parsed<'AlertPolicy'>['spec']> | undefined;
    if ('alertPolicyRef' in ref) {
      policy = ctx.policies.get(ref.alertPolicyRef);
      if (!policy) ctx.problems.add(join(refAt, 'alertPolicyRef'), `no AlertPolicy document named "${ref.alertPolicyRef}"`, `add an AlertPolicy with metadata.name: ${ref.alertPolicyRef}, or inline it`);
    } else policy = { value: ref.spec, at: join(refAt, 'spec') };
    if (!policy) return;
    if (policy.value.alertWhenNoData !== undefined) noData = (noData ?? false) || policy.value.alertWhenNoData;
    const targets = (policy.value.notificationTargets ?? []).map((t) => ('targetRef' in t ? t.targetRef : t.metadata.name));
    policy.value.conditions.forEach((c, j) => {
      const cAt = join(policy!.at, `conditions[${j}]`);
      const cond = 'conditionRef' in c ? ctx.conditions.get(c.conditionRef) : { value: c as Parsed<'AlertCondition'>, at: cAt };
      if (!cond) {
        ctx.problems.add(join(cAt, 'conditionRef'), `no AlertCondition document named "${(c as { conditionRef: string }).conditionRef}"`, 'add the AlertCondition document, or inline it');
        return;
      }
      const spec = cond.value.spec.condition;
      const specAt = join(cond.at, 'spec.condition');
      if (spec.kind !== undefined && spec.kind !== 'burnrate') {
        ctx.problems.add(join(specAt, 'kind'), `condition kind "${spec.kind}" is not read`, 'use kind: burnrate (the only kind OpenSLO v1 defines)');
        return;
      }
      if (spec.op === 'lt' || spec.op === 'lte') {
        ctx.problems.add(join(specAt, 'op'), `a burn-rate alert with op ${spec.op} fires while the budget is safe`, 'use op: gt or gte');
        return;
      }
      const long = parseDuration(spec.lookbackWindow);
      if (!long) {
        ctx.problems.add(join(specAt, 'lookbackWindow'), `"${spec.lookbackWindow}" is not a duration`, 'write a duration such as 1h');
        return;
      }
      const name = slug(cond.value.metadata.name) || `condition-${j}`;
      const severity = /page|critical|high|urgent/i.test(cond.value.spec.severity) ? 'page' : 'ticket';
      tiers[name] = {
        severity,
        burnRate: spec.threshold,
        longWindow: spec.lookbackWindow,
        // The workbook's short window: a twelfth of the long one, so the alert resets soon after recovery.
        shortWindow: formatDuration(Math.max(60, Math.round(long.seconds / 12 / 60) * 60)),
        ...(spec.alertAfter ? { for: spec.alertAfter } : {}),
        labels: { severity: cond.value.spec.severity },
        ...(targets.length ? { annotations: { notification_targets: targets.join(',') } } : {}),
      };
    });
  });
  return { defaultTiers: false, tiers, ...(noData !== undefined ? { noData: { enabled: noData } } : {}) };
}

function slug(text: string | undefined): string {
  return (text ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

function round(x: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
