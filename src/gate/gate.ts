// The gate: every threshold (the script's own, the SLO-derived ones, any given on the command line)
// evaluated against the normalised results. Values are recomputed from the stats, never taken from
// k6's booleans; when k6 reported a verdict too, a disagreement is flagged and fails the threshold
// (a gate must not pass on a disputed number).
import { SolidaError, type Problem } from '../util/errors.ts';
import { parseMetricKey, selectorIdentity, formatMetricKey, type MetricSelector } from '../k6/selector.ts';
import { decideFromRange, parseThresholdExpr, compare, type ThresholdExpr } from '../k6/threshold-expr.ts';
import type { K6Check, K6Metric, K6Result } from '../k6/types.ts';
import type { DerivedThreshold, SkippedSlo } from '../k6/thresholds.ts';
import { shortNumber } from '../util/numbers.ts';

export interface ThresholdSpec {
  metric: string;
  expression: string;
  /** Where it came from: `k6` (the script), `slo:<id>`, `cli`. */
  origin: string;
}

/** How the value was obtained: exact from a summary or from raw samples, or bracketed by known stats. */
export type GateBasis = 'summary' | 'points' | 'bounds' | 'none';

export interface GateThresholdResult {
  metric: string;
  threshold: string;
  /** Exact value; null when only a range is known (see `range`) or there were no samples. */
  value: number | null;
  /** true = the threshold holds. */
  ok: boolean;
  basis: GateBasis;
  range?: { atLeast: number; atMost: number };
  /** k6's own verdict, normalised to true = passed, when the source carried one. */
  k6Ok?: boolean;
  origins: string[];
  notes: string[];
}

export interface GateReport {
  verdict: 'pass' | 'fail';
  thresholds: GateThresholdResult[];
  checks: K6Check[];
  skipped: SkippedSlo[];
  sources: { kind: string; file?: string }[];
}

export interface GateInput {
  /** --summary-export or handleSummary data. */
  summary?: K6Result;
  /** NDJSON points or the built-in generator: raw samples, so any percentile or tag filter is exact. */
  points?: K6Result;
  slo?: { thresholds: DerivedThreshold[]; skipped: SkippedSlo[] };
  extra?: ThresholdSpec[];
}

const DEFAULT_TREND_STATS = 'avg,min,med,max,p(90),p(95)';

/** Every threshold to evaluate, de-duplicated on metric identity + expression, origins merged. */
export function collectThresholds(input: GateInput): { spec: ThresholdSpec; k6Ok?: boolean; origins: string[] }[] {
  const out = new Map<string, { spec: ThresholdSpec; k6Ok?: boolean; origins: string[] }>();
  const add = (spec: ThresholdSpec, k6Ok?: boolean) => {
    const sel = parseMetricKey(spec.metric);
    const key = `${sel ? selectorIdentity(sel) : spec.metric}|${spec.expression.replace(/\s+/g, '')}`;
    const found = out.get(key);
    if (found) {
      if (!found.origins.includes(spec.origin)) found.origins.push(spec.origin);
      if (k6Ok !== undefined) found.k6Ok = found.k6Ok === undefined ? k6Ok : found.k6Ok && k6Ok;
    } else {
      out.set(key, { spec, k6Ok, origins: [spec.origin] });
    }
  };
  for (const src of [input.summary, input.points]) {
    for (const t of src?.thresholds ?? []) add({ metric: t.metric, expression: t.expression, origin: 'k6' }, t.ok);
  }
  for (const t of input.slo?.thresholds ?? []) add({ metric: t.metric, expression: t.expression, origin: `slo:${t.sloId}` });
  for (const t of input.extra ?? []) add(t);
  return [...out.values()];
}

function findMetric(result: K6Result | undefined, sel: MetricSelector): K6Metric | undefined {
  if (!result) return undefined;
  const direct = result.metrics[formatMetricKey(sel)];
  if (direct) return direct;
  const id = selectorIdentity(sel);
  return Object.values(result.metrics).find((m) => selectorIdentity({ name: m.name, tags: m.tags }) === id);
}

/** The stat under its canonical key or an equivalent one (med = p(50), min = p(0), max = p(100)). */
function exactStat(m: K6Metric, expr: ThresholdExpr): number | undefined {
  const s = m.stats;
  if (s[expr.stat] !== undefined) return s[expr.stat];
  if (expr.percentile === undefined) return undefined;
  if (expr.percentile === 50) return s.med ?? s['p(50)'];
  if (expr.percentile === 0) return s.min;
  if (expr.percentile === 100) return s.max;
  return undefined;
}

/** Percentiles are monotone: p(q) lies between the nearest known percentiles around q. */
function percentileRange(m: K6Metric, q: number): { atLeast: number; atMost: number } | undefined {
  const known: [number, number][] = [];
  const s = m.stats;
  if (s.min !== undefined) known.push([0, s.min]);
  if (s.med !== undefined) known.push([50, s.med]);
  if (s.max !== undefined) known.push([100, s.max]);
  for (const [k, v] of Object.entries(s)) {
    const p = /^p\((.+)\)$/.exec(k);
    if (p) known.push([Number(p[1]), v]);
  }
  const below = known.filter(([p]) => p <= q).sort((a, b) => b[0] - a[0])[0];
  const above = known.filter(([p]) => p >= q).sort((a, b) => a[0] - b[0])[0];
  if (!below || !above) return undefined;
  return { atLeast: below[1], atMost: above[1] };
}

function sampleCount(m: K6Metric): number | undefined {
  return m.type === 'rate' || m.type === 'trend' ? m.stats.count : undefined;
}

export function evaluateGate(input: GateInput): GateReport {
  const problems: Problem[] = [];
  const results: GateThresholdResult[] = [];

  for (const { spec, k6Ok, origins } of collectThresholds(input)) {
    const sel = parseMetricKey(spec.metric);
    const expr = parseThresholdExpr(spec.expression);
    const where = `${spec.metric}: ${spec.expression}`;
    if (!sel || !expr) {
      problems.push({ path: where, message: `not a k6 threshold (from ${origins.join(', ')})`, fix: 'write it as METRIC{tag:value}: p(99)<300, rate<0.01, count>100, avg<200 ...' });
      continue;
    }
    const fromSummary = findMetric(input.summary, sel);
    const fromPoints = findMetric(input.points, sel);
    if (!fromSummary && !fromPoints) {
      const sub = Object.keys(sel.tags).length > 0;
      problems.push({
        path: spec.metric,
        message: `metric not in the results (needed by ${where}, from ${origins.join(', ')})`,
        fix: sub
          ? `k6 only reports a tag-filtered sub-metric that a script threshold names: add '${spec.metric}' to options.thresholds (solida generate k6 does), or pass --k6-points so solida computes it from the samples`
          : 'check the metric name, or that the test sent the requests it measures',
      });
      continue;
    }
    const notes: string[] = [];
    let value: number | null = null;
    let basis: GateBasis = 'none';
    let range: GateThresholdResult['range'];
    let ok: boolean | undefined;

    const reference = fromPoints ?? fromSummary!;
    const count = sampleCount(reference);
    const summaryValue = fromSummary ? exactStat(fromSummary, expr) : undefined;
    const pointsValue = fromPoints ? exactStat(fromPoints, expr) : undefined;
    if (count === 0) {
      notes.push('no samples: missing data never counts as a pass');
      ok = false;
    } else if (summaryValue !== undefined) {
      value = summaryValue;
      basis = 'summary';
    } else if (pointsValue !== undefined) {
      value = pointsValue;
      basis = 'points';
    } else if (expr.percentile !== undefined && fromSummary) {
      range = percentileRange(fromSummary, expr.percentile);
      const decided = range && decideFromRange(range.atLeast, range.atMost, expr.op, expr.bound);
      if (decided === undefined) {
        problems.push({
          path: spec.metric,
          message: `${expr.stat} is not in the summary and the stats it has do not settle ${spec.expression}${range ? ` (it lies between ${range.atLeast} and ${range.atMost})` : ''}`,
          fix: `re-run k6 with --summary-trend-stats "${trendStatsWith(input.summary, expr.stat)}", or pass the NDJSON points with --k6-points`,
        });
        continue;
      }
      basis = 'bounds';
      ok = decided;
      notes.push(`${expr.stat} not in the summary; between ${fmt(range!.atLeast)} and ${fmt(range!.atMost)}, which settles it`);
    } else {
      problems.push({
        path: spec.metric,
        message: `${expr.stat} is not among the stats of ${spec.metric} (${Object.keys(reference.stats).join(', ')})`,
        fix: expr.percentile !== undefined
          ? `re-run k6 with --summary-trend-stats "${trendStatsWith(input.summary, expr.stat)}", or pass --k6-points`
          : `use a stat this ${reference.type ?? ''} metric has`,
      });
      continue;
    }
    if (value !== null) ok = compare(value, expr.op, expr.bound);
    if (summaryValue !== undefined && pointsValue !== undefined && !close(summaryValue, pointsValue)) {
      notes.push(`summary says ${fmt(summaryValue)}, the points give ${fmt(pointsValue)}: files from different runs?`);
    }
    if (k6Ok !== undefined && ok !== undefined && k6Ok !== ok) {
      notes.push(`k6 reported this threshold as ${k6Ok ? 'passed' : 'failed'}, the recomputed value says ${ok ? 'passed' : 'failed'}: failing it until the results agree`);
      ok = false;
    }
    if (reference.type === 'rate' && expr.stat === 'rate' && count && expr.bound > 0 && count < 1 / expr.bound) {
      notes.push(`only ${count} samples: a rate bound of ${expr.bound} needs at least ${Math.ceil(1 / expr.bound)} to mean anything`);
    }
    results.push({ metric: spec.metric, threshold: spec.expression, value, ok: ok ?? false, basis, range, k6Ok, origins, notes });
  }

  if (problems.length > 0) throw new SolidaError('the results cannot settle every threshold', 2, problems);
  if (results.length === 0) {
    throw new SolidaError('nothing to gate on: no thresholds', 2, [
      { message: 'the results carry no thresholds and no SLO or --threshold was given', fix: 'pass --config with SLOs, --threshold "http_req_failed: rate<0.01", or thresholds in the k6 script' },
    ]);
  }
  const sources = [input.summary, input.points].filter((r): r is K6Result => !!r).map((r) => r.source);
  return {
    verdict: results.every((r) => r.ok) ? 'pass' : 'fail',
    thresholds: results,
    checks: input.summary?.checks.length ? input.summary.checks : input.points?.checks ?? [],
    skipped: input.slo?.skipped ?? [],
    sources,
  };
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function trendStatsWith(summary: K6Result | undefined, stat: string): string {
  const current = summary?.summaryTrendStats?.length ? summary.summaryTrendStats.join(',') : DEFAULT_TREND_STATS;
  return current.split(',').includes(stat) ? current : `${current},${stat}`;
}

/** Threshold values and results as shown in the gate's outputs. */
export const fmt = shortNumber;

/** Percentiles the thresholds need, so point aggregation computes exactly those. */
export function percentilesNeeded(specs: { expression: string }[]): number[] {
  const set = new Set<number>([90, 95, 99]);
  for (const s of specs) {
    const e = parseThresholdExpr(s.expression);
    if (e?.percentile !== undefined) set.add(e.percentile);
  }
  return [...set].sort((a, b) => a - b);
}
