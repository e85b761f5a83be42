// Authoring config → normalized model. Collects every problem (never stops at the first) so a person
// fixes a spec in one pass; each problem names the field path and how to fix it.
import type { Problem } from '../util/errors.ts';
import type { AlertTier, AlertingPolicy, BudgetPolicy, CloudWatchMetric, Duration, PrometheusSli, Service, Severity, Sli, Slo, SloWindow, SolidaModel } from './model.ts';
import type { AlertingConfig, BudgetPolicyConfig, ServiceConfig, SliConfig, SloConfig, SolidaConfig, TierConfig } from './config.ts';
import { duration, humanSeconds, parseDuration } from './duration.ts';
import { WINDOW_PLACEHOLDER, caret, checkPromQL, isVectorSelector, metricsQLFunctions, normalizeWindowPlaceholder, promqlString, withMatchers } from './promql.ts';
import { textProblems } from './text-checks.ts';
import { EXPORTER_HISTOGRAM, formatLe, nearestBuckets, PROMETHEUS_DEFAULT_BUCKETS } from './metrics.ts';
import { DEFAULT_TIERS, defaultTiersFor } from './tiers.ts';

export { DEFAULT_TIERS, defaultTiersFor } from './tiers.ts';

const DAY = 86400;

class Collector {
  readonly problems: Problem[] = [];
  constructor(readonly file: string) {}
  add(path: string, message: string, fix?: string): void {
    this.problems.push({ file: this.file, path, message, fix });
  }
  duration(path: string, text: string | undefined, fallback: string): Duration {
    const parsed = parseDuration(text ?? fallback);
    if (!parsed) {
      this.add(path, `"${text}" is not a duration`, 'write a number and a unit: 30s, 5m, 1h, 28d, 1w');
      return parseDuration(fallback)!;
    }
    return parsed;
  }
  seconds(path: string, value: number | string | undefined): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'number') return value;
    const d = parseDuration(value);
    if (!d) this.add(path, `"${value}" is not a duration`, 'write seconds as a number (0.3) or a duration (300ms)');
    return d?.seconds;
  }
  promql(path: string, query: string): void {
    const err = checkPromQL(query);
    const metricsQL = metricsQLFunctions(query);
    // The grammar parses `vector(1)[5m]`; Prometheus refuses it only when it loads the rules.
    if (!err && !metricsQL.some((f) => f.startsWith('a range'))) return;
    if (metricsQL.length) {
      this.add(path, `uses ${metricsQL.join(', ')} — MetricsQL (VictoriaMetrics) that Prometheus does not have`, 'solida writes Prometheus rules: rewrite the query in PromQL (e.g. a latency share as sum(rate(x_bucket{le="0.2"}[{{.window}}])) / sum(rate(x_count[{{.window}}])), a range on an expression as a subquery (…)[{{.window}}:])');
      return;
    }
    if (err) this.add(path, `invalid PromQL: ${err.message}\n${indent(caret(query, err.offset), 6)}`, 'correct the query; it must parse as PromQL');
  }
}

export function normalizeConfig(config: SolidaConfig, file: string): { model: SolidaModel; problems: Problem[] } {
  const c = new Collector(file);
  c.problems.push(...textProblems(config, file));
  const scrapeInterval = c.duration('scrapeInterval', config.scrapeInterval, '30s');
  const evaluationInterval = c.duration('evaluationInterval', config.evaluationInterval, '30s');

  const services: Service[] = [];
  const serviceNames = new Map<string, number>();
  config.services.forEach((s, i) => {
    if (serviceNames.has(s.name)) c.add(`services[${i}].name`, `duplicate service "${s.name}" (also services[${serviceNames.get(s.name)}])`, 'give each service a unique name');
    serviceNames.set(s.name, i);
    services.push(normalizeService(c, s, i));
  });

  const slos: Slo[] = [];
  const ids = new Map<string, number>();
  config.slos.forEach((s, i) => {
    const path = `slos[${i}]`;
    const service = services.find((x) => x.name === s.service);
    if (!service) {
      const known = services.map((x) => x.name);
      c.add(`${path}.service`, `unknown service "${s.service}"`, known.length ? `use one of: ${known.join(', ')}; or declare it under services` : 'declare the service under services');
    }
    const id = `${s.service}-${s.name}`;
    if (ids.has(id)) c.add(`${path}.name`, `duplicate SLO "${s.name}" for service "${s.service}" (also slos[${ids.get(id)}])`, 'give each SLO of a service a unique name');
    ids.set(id, i);
    const slo = normalizeSlo(c, s, path, service, evaluationInterval, config.budgetPolicy);
    if (slo) slos.push(slo);
  });

  return { model: { source: file, scrapeInterval, evaluationInterval, services, slos }, problems: c.problems };
}

function normalizeService(c: Collector, s: ServiceConfig, i: number): Service {
  const selector = s.selector ?? `{job="${s.name}"}`;
  const matcherBody = selector.trim();
  // The default, one matcher on a service name of letters, digits, '_', '.' and '-', is valid PromQL as
  // written: checking it would load the parser for nothing (start-up time of `solida validate`).
  const safeDefault = s.selector === undefined && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(s.name);
  if (safeDefault) {
    // valid as written
  } else if (!/^\{.*\}$/s.test(matcherBody)) {
    c.add(`services[${i}].selector`, `"${selector}" is not a label-matcher list`, `write matchers in braces, e.g. {job="${s.name}"}`);
  } else if (checkPromQL(`up${matcherBody}`)) {
    c.promql(`services[${i}].selector`, `up${matcherBody}`);
  } else if (!isVectorSelector(`up${matcherBody}`)) {
    // `{job="a"} or vector(1)` parses, but every generated query appends it to a metric name.
    c.add(`services[${i}].selector`, `"${selector}" is more than one list of label matchers`, `write only matchers in braces, e.g. {job="${s.name}"}`);
  }
  return {
    name: s.name,
    description: s.description,
    selector: matcherBody,
    labels: s.labels ?? {},
    aws: s.aws,
    runbooks: s.runbooks ?? {},
  };
}

function normalizeWindow(c: Collector, path: string, w: SloConfig['window']): { window: SloWindow; periodSeconds: number } {
  if (w === undefined) return { window: { kind: 'rolling', duration: duration(30 * DAY) }, periodSeconds: 30 * DAY };
  if (typeof w === 'string') {
    const d = c.duration(path, w, '30d');
    if (d.seconds < DAY) c.add(path, `window ${w} is shorter than a day`, 'SLO windows are days or weeks long: 7d, 28d, 30d');
    return { window: { kind: 'rolling', duration: d }, periodSeconds: d.seconds };
  }
  // Calendar periods use their nominal length for burn-rate scaling (the workbook's 30 days for a month).
  if (w.timeZone !== undefined && !validTimeZone(w.timeZone)) c.add(`${path}.timeZone`, `"${w.timeZone}" is not an IANA time zone`, 'write a zone name such as UTC, Europe/Madrid or America/New_York');
  if (w.startTime !== undefined && !/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$/.test(w.startTime)) c.add(`${path}.startTime`, `"${w.startTime}" is not a date and time`, 'write "YYYY-MM-DD HH:MM:SS" (no zone; the zone goes in timeZone)');
  return {
    window: { kind: 'calendar', unit: w.calendar, ...(w.timeZone !== undefined ? { timeZone: w.timeZone } : {}), ...(w.startTime !== undefined ? { startTime: w.startTime } : {}) },
    periodSeconds: w.calendar === 'week' ? 7 * DAY : 30 * DAY,
  };
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function normalizeBudgetPolicy(c: Collector, path: string, base: BudgetPolicyConfig | undefined, own: BudgetPolicyConfig | undefined): BudgetPolicy {
  const p = { ...base, ...own };
  const within = c.duration(`${path}.within`, p.within, '7d');
  return {
    freezeWeeklyConsumed: (p.freezeWhenBurnedPercent ?? 50) / 100,
    fixesOnlyConsumed: (p.fixesOnlyWhenBurnedPercent ?? 100) / 100,
    weekSeconds: within.seconds,
  };
}

function normalizeSlo(c: Collector, s: SloConfig, path: string, service: Service | undefined, evaluationInterval: Duration, basePolicy?: BudgetPolicyConfig): Slo | undefined {
  const { window, periodSeconds } = normalizeWindow(c, `${path}.window`, s.window);
  const grouping = s.grouping ?? [];
  const sli = normalizeSli(c, s.sli, `${path}.sli`, s.service, service, grouping);
  if (grouping.length && s.sli.cloudwatch) c.add(`${path}.grouping`, 'grouping applies to Prometheus SLIs only', 'remove grouping, or give one SLO per CloudWatch dimension value');
  const errorBudget = 1 - s.objective / 100;
  const alerting = normalizeAlerting(c, s.alerting, `${path}.alerting`, s, periodSeconds, evaluationInterval);
  if (!sli) return undefined;
  return {
    ...(grouping.length ? { grouping } : {}),
    id: `${s.service}-${s.name}`,
    service: s.service,
    name: s.name,
    description: s.description,
    objective: s.objective,
    errorBudget,
    window,
    periodSeconds,
    sli,
    alerting,
    labels: s.labels ?? {},
    expectedEventsPerSecond: s.expectedEventsPerSecond,
    budgetPolicy: normalizeBudgetPolicy(c, s.budgetPolicy ? `${path}.budgetPolicy` : 'budgetPolicy', basePolicy, s.budgetPolicy),
  };
}

/** The aggregation every SLI series goes through: one series per SLO, or one per grouping value. */
class Agg {
  constructor(readonly by: string[]) {}
  get op(): string {
    return this.by.length ? `sum by (${this.by.join(', ')})` : 'sum';
  }
  /** Zero where a numerator has no series yet: a constant without labels, or zero per group that has traffic. */
  zeroLike(total: string): string {
    return this.by.length ? `(0 * ${total})` : 'vector(0)';
  }
}

function normalizeSli(c: Collector, sli: SliConfig, path: string, serviceName: string, service: Service | undefined, grouping: string[] = []): Sli | undefined {
  const agg = new Agg(grouping);
  const kinds = (['events', 'raw', 'latency', 'golden', 'cloudwatch'] as const).filter((k) => sli[k] !== undefined);
  if (kinds.length !== 1) {
    c.add(path, kinds.length === 0 ? 'no SLI kind given' : `more than one SLI kind given (${kinds.join(', ')})`, 'give exactly one of: events, raw, latency, golden, cloudwatch');
    return undefined;
  }
  if (sli.events) return eventsSli(c, sli.events, `${path}.events`, agg);
  if (sli.raw) return rawSli(c, normalizeWindowPlaceholder(sli.raw.errorRatio), `${path}.raw.errorRatio`, agg);
  if (sli.latency) return latencySli(c, sli.latency, `${path}.latency`, agg);
  if (sli.golden) return goldenSli(c, sli.golden, `${path}.golden`, serviceName, service, agg);
  return cloudWatchSli(c, sli.cloudwatch!, `${path}.cloudwatch`);
}

/** A counter selector becomes a rate over the window; a query must carry the window placeholder. */
function eventRate(c: Collector, path: string, text: string, agg: Agg): string {
  if (text.includes(WINDOW_PLACEHOLDER)) {
    c.promql(path, text);
    return `${agg.op}(${text.trim()})`;
  }
  if (!isVectorSelector(text)) {
    const err = checkPromQL(text);
    if (err) c.promql(path, text);
    else c.add(path, 'is neither a counter selector nor a query with {{.window}}', 'write a counter selector like http_requests_total{code=~"5.."} or a query such as sum(rate(x[{{.window}}]))');
    return 'vector(0)';
  }
  return `${agg.op}(rate(${text.trim()}[${WINDOW_PLACEHOLDER}]))`;
}

function eventsSli(c: Collector, raw: NonNullable<SliConfig['events']>, path: string, agg: Agg): PrometheusSli {
  const fix = (q?: string) => (q === undefined ? undefined : normalizeWindowPlaceholder(q));
  const e = { errors: fix(raw.errors), good: fix(raw.good), total: fix(raw.total)! };
  const total = eventRate(c, `${path}.total`, e.total, agg);
  let errors: string;
  if ((e.errors === undefined) === (e.good === undefined)) {
    c.add(path, e.errors === undefined ? 'neither errors nor good given' : 'both errors and good given', 'give exactly one of errors (bad events) or good');
    errors = 'vector(0)';
  } else if (e.errors !== undefined) {
    // A counter with no error series yet returns nothing: count that as zero errors, not as no data.
    errors = `(${eventRate(c, `${path}.errors`, e.errors, agg)} or ${agg.zeroLike(total)})`;
  } else {
    errors = `(${total} - (${eventRate(c, `${path}.good`, e.good!, agg)} or ${agg.zeroLike(total)}))`;
  }
  const sel = (t?: string) => (t && !t.includes(WINDOW_PLACEHOLDER) ? t.trim() : undefined);
  const q = (t?: string) => (t && t.includes(WINDOW_PLACEHOLDER) ? t.trim() : undefined);
  return {
    source: 'prometheus',
    errors,
    total,
    origin: {
      kind: 'events',
      errorSelector: sel(e.errors),
      goodSelector: sel(e.good),
      totalSelector: sel(e.total) ?? '',
      errorQuery: q(e.errors),
      goodQuery: q(e.good),
      totalQuery: q(e.total),
    },
  };
}

function rawSli(c: Collector, query: string, path: string, agg: Agg): PrometheusSli {
  c.promql(path, query);
  if (!query.includes(WINDOW_PLACEHOLDER)) c.add(path, 'has no {{.window}} placeholder', 'write the ratio over [{{.window}}] so solida can build every window');
  // With no event counts, each window's "total" is one unit per series the ratio query returns, so
  // ratios average over time, unweighted — and when the query returns nothing there is no total
  // either: the SLI is absent (NoData can fire) instead of a full budget from a constant vector(1).
  const q = query.trim();
  const count = agg.by.length ? `count by (${agg.by.join(', ')})` : 'count';
  return { source: 'prometheus', errors: `${agg.op}(${q})`, total: `${count}(${q})`, origin: { kind: 'raw', errorRatioQuery: q } };
}

function histogramRates(histogram: string, matchers: string[], thresholdSeconds: number, agg: Agg): { errors: string; total: string } {
  const count = withMatchers(`${histogram}_count`, matchers);
  const good = withMatchers(`${histogram}_bucket`, [...matchers, formatLe(thresholdSeconds)]);
  const total = `${agg.op}(rate(${count}[${WINDOW_PLACEHOLDER}]))`;
  return { total, errors: `(${total} - (${agg.op}(rate(${good}[${WINDOW_PLACEHOLDER}])) or ${agg.zeroLike(total)}))` };
}

function latencySli(c: Collector, l: NonNullable<SliConfig['latency']>, path: string, agg: Agg): PrometheusSli | undefined {
  const selector = l.histogram.trim();
  if (!isVectorSelector(selector)) {
    c.promql(`${path}.histogram`, selector);
    c.add(`${path}.histogram`, 'is not a histogram selector', 'write the histogram name with optional matchers, e.g. http_request_duration_seconds{job="api"}');
    return undefined;
  }
  const open = selector.indexOf('{');
  const name = (open === -1 ? selector : selector.slice(0, open)).replace(/_(bucket|count|sum)$/, '');
  const matchers = open === -1 ? [] : splitMatchers(selector.slice(open + 1, selector.lastIndexOf('}')));
  const threshold = c.seconds(`${path}.threshold`, l.threshold);
  if (threshold === undefined) return undefined;
  const buckets = l.buckets ?? PROMETHEUS_DEFAULT_BUCKETS;
  if (!buckets.some((b) => Math.abs(b - threshold) < 1e-12)) {
    const [below, above] = nearestBuckets(buckets, threshold);
    const near = [below, above].filter((x) => x !== undefined).map((x) => `${x}s`).join(' or ');
    c.add(`${path}.threshold`, `${threshold}s is not a bucket boundary of ${name} (buckets: ${buckets.join(', ')})`, `use a bucket boundary (nearest: ${near}), or add ${threshold} to the histogram's buckets and list them under buckets`);
  }
  const rates = histogramRates(name, matchers, threshold, agg);
  return { source: 'prometheus', ...rates, origin: { kind: 'latency', histogram: name, matchers: matchers.join(','), thresholdSeconds: threshold, buckets } };
}

function goldenSli(c: Collector, g: NonNullable<SliConfig['golden']>, path: string, serviceName: string, service: Service | undefined, agg: Agg): PrometheusSli | undefined {
  const base = service ? splitMatchers(service.selector.slice(1, -1)) : [`job="${serviceName}"`];
  const matchers = g.route ? [...base, `http_route=${promqlString(g.route)}`] : base;
  if (g.signal === 'availability') {
    if (g.threshold !== undefined) c.add(`${path}.threshold`, 'availability takes no threshold', 'remove threshold, or use signal: latency');
    const count = (extra: string[]) => withMatchers(`${EXPORTER_HISTOGRAM}_count`, [...matchers, ...extra]);
    return {
      source: 'prometheus',
      // The exporter sets error_type on every 5xx, timeout, abort and thrown error (OTel semconv).
      errors: `(${agg.op}(rate(${count(['error_type!=""'])}[${WINDOW_PLACEHOLDER}])) or ${agg.zeroLike(`${agg.op}(rate(${count([])}[${WINDOW_PLACEHOLDER}]))`)})`,
      total: `${agg.op}(rate(${count([])}[${WINDOW_PLACEHOLDER}]))`,
      origin: { kind: 'golden', signal: 'availability', service: serviceName, route: g.route },
    };
  }
  if (g.threshold === undefined) {
    c.add(`${path}.threshold`, 'latency needs a threshold', 'add threshold: 300ms (requests at or under it are good)');
    return undefined;
  }
  const threshold = c.seconds(`${path}.threshold`, g.threshold);
  if (threshold === undefined) return undefined;
  // No bucket check: the exporter adds every latency-SLO threshold of its service to the buckets.
  return {
    source: 'prometheus',
    ...histogramRates(EXPORTER_HISTOGRAM, matchers, threshold, agg),
    origin: { kind: 'golden', signal: 'latency', service: serviceName, route: g.route, thresholdSeconds: threshold },
  };
}

function cloudWatchSli(c: Collector, cw: NonNullable<SliConfig['cloudwatch']>, path: string): Sli {
  const metric = (m: NonNullable<SliConfig['cloudwatch']>['errors'][number]): CloudWatchMetric => ({
    namespace: m.namespace,
    metricName: m.metricName,
    dimensions: m.dimensions ?? {},
    stat: m.stat ?? 'Sum',
  });
  return {
    source: 'cloudwatch',
    errors: cw.errors.map(metric),
    total: cw.total.map(metric),
    latencyThresholdSeconds: c.seconds(`${path}.latencyThreshold`, cw.latencyThreshold),
  };
}

function normalizeAlerting(c: Collector, a: AlertingConfig | undefined, path: string, s: SloConfig, periodSeconds: number, evaluationInterval: Duration): AlertingPolicy {
  const userTiers = a?.tiers ?? {};
  const defaults = new Map((a?.defaultTiers === false ? [] : defaultTiersFor(periodSeconds)).map((d) => [d.name, d]));
  const names = [...new Set([...defaults.keys(), ...Object.keys(userTiers)])];
  const tiers: AlertTier[] = [];
  for (const name of names) {
    const t: TierConfig = userTiers[name] ?? {};
    const d = defaults.get(name);
    const tpath = `${path}.tiers.${name}`;
    if (!d && (t.longWindow === undefined || t.shortWindow === undefined || (t.burnRate === undefined && t.budgetConsumed === undefined) || t.severity === undefined)) {
      c.add(tpath, 'a new tier needs severity, longWindow, shortWindow and burnRate (or budgetConsumed)', a?.defaultTiers === false ? 'complete it' : `complete it, or use a default tier name: ${Object.keys(DEFAULT_TIERS).join(', ')}`);
      continue;
    }
    const longWindow = t.longWindow === undefined && d ? d.longWindow : c.duration(`${tpath}.longWindow`, t.longWindow, '1h');
    const shortWindow = t.shortWindow === undefined && d ? d.shortWindow : c.duration(`${tpath}.shortWindow`, t.shortWindow, '5m');
    if (shortWindow.seconds >= longWindow.seconds) c.add(`${tpath}.shortWindow`, `short window ${shortWindow.text} is not shorter than long window ${longWindow.text}`, 'the short window is typically 1/12 of the long window');
    if (longWindow.seconds > periodSeconds) c.add(`${tpath}.longWindow`, `long window ${longWindow.text} is longer than the SLO period`, 'use a long window within the SLO window');
    // A budget share is the workbook's own measure: the burn rate that spends it in the long window.
    const burnRate = t.burnRate ?? (t.budgetConsumed !== undefined ? (t.budgetConsumed / 100) * (periodSeconds / longWindow.seconds) : d!.burnRate);
    const forDuration = t.for === undefined ? { text: '0s', seconds: 0 } : c.duration(`${tpath}.for`, t.for, '0s');
    const offByDefault = t.enabled === undefined && d?.offBecause !== undefined;
    tiers.push({
      name,
      enabled: t.enabled ?? !offByDefault,
      ...(offByDefault ? { disabledReason: `off for a ${humanSeconds(periodSeconds)} period: ${d!.offBecause}` } : {}),
      severity: t.severity ?? d!.severity,
      burnRate: roundRate(burnRate),
      longWindow,
      shortWindow,
      for: forDuration,
      labels: t.labels ?? {},
      annotations: t.annotations ?? {},
    });
  }
  const noDataFor = c.duration(`${path}.noData.for`, a?.noData?.for, '10m');
  if ((a?.noData?.enabled ?? true) && noDataFor.seconds < 2 * evaluationInterval.seconds) c.add(`${path}.noData.for`, `${noDataFor.text} is shorter than two evaluation intervals`, `use at least ${2 * evaluationInterval.seconds}s`);
  return {
    name: a?.name ?? `${pascal(s.service)}${pascal(s.name)}BudgetBurn`,
    labels: a?.labels ?? {},
    annotations: a?.annotations ?? {},
    runbookUrl: a?.runbookUrl,
    tiers,
    noData: { enabled: a?.noData?.enabled ?? true, for: noDataFor, severity: a?.noData?.severity ?? 'ticket' },
  };
}

function roundRate(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function pascal(s: string): string {
  return s.split(/[^a-zA-Z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

/** Splits `a="x",b=~"y,z"` on top-level commas (commas inside quotes stay). */
export function splitMatchers(body: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\\' && quoted) { cur += ch + (body[i + 1] ?? ''); i++; continue; }
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) { if (cur.trim()) out.push(cur.trim()); cur = ''; continue; }
    cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function indent(text: string, n: number): string {
  return text.split('\n').map((l) => ' '.repeat(n) + l).join('\n');
}
