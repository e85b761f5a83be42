// k6 thresholds derived from the SLOs, for generated scripts and for the gate.
//
// How the error budget maps onto a load test: a test lasts minutes, an SLO window weeks, so there is
// no meaningful "share of the budget" a test may spend. The bar is the budget RATE: during the test
// the error ratio must stay under the budget (99.9% ⇒ http_req_failed rate<0.001), i.e. the test burns
// at less than 1x. A build that cannot hold 1x under its expected load would exhaust the budget in
// production. Latency SLOs ("99% of requests ≤ 300 ms") become the percentile at the objective:
// p(99)<300 on http_req_duration (k6 works in ms).
//
// Scope: an SLO on one route filters by the k6 `name` tag, which solida's generated scripts set to the
// route template (k6's own convention for grouping URLs with ids). With several services in the
// model and none chosen, thresholds also filter by a `service` tag (the generated scripts set it).
import type { SolidaModel, Slo } from '../slo/model.ts';
import { formatMetricKey, type MetricSelector } from './selector.ts';

export interface DerivedThreshold {
  selector: MetricSelector;
  /** k6 metric key, e.g. http_req_duration{name:/checkout}. */
  metric: string;
  /** k6 expression, e.g. p(99)<300. */
  expression: string;
  sloId: string;
  /** Why this threshold exists, for tables and comments in generated scripts. */
  rationale: string;
}

export interface SkippedSlo {
  sloId: string;
  reason: string;
}

export interface K6ThresholdSet {
  thresholds: DerivedThreshold[];
  /** SLOs a load test cannot judge (non-HTTP event SLIs): listed, never silently dropped. */
  skipped: SkippedSlo[];
  /** The shape k6 wants in options.thresholds. */
  byMetric: Record<string, string[]>;
}

export interface DeriveOptions {
  /** Only this service's SLOs (its script or its gate); no service tag filter is then needed. */
  service?: string;
}

/** Shortest faithful decimal: 1 - 0.999 is 0.0010000000000000009 in binary floating point. */
export function cleanNumber(n: number): string {
  return String(Number(n.toPrecision(12)));
}

interface SloShape {
  kind: 'availability' | 'latency';
  route?: string;
  thresholdSeconds?: number;
}

function shapeOf(slo: Slo): SloShape | string {
  const sli = slo.sli;
  if (sli.source === 'cloudwatch') {
    return sli.latencyThresholdSeconds !== undefined
      ? { kind: 'latency', thresholdSeconds: sli.latencyThresholdSeconds }
      : { kind: 'availability' };
  }
  const o = sli.origin;
  if (o.kind === 'golden') {
    if (o.signal === 'availability') return { kind: 'availability', route: o.route };
    if (o.thresholdSeconds === undefined) return 'golden latency SLI without a threshold';
    return { kind: 'latency', route: o.route, thresholdSeconds: o.thresholdSeconds };
  }
  if (o.kind === 'latency') return { kind: 'latency', thresholdSeconds: o.thresholdSeconds };
  return 'event-ratio SLI over arbitrary series: a load test cannot tell which of its requests are the SLI\'s events';
}

export function k6ThresholdsFromModel(model: SolidaModel, opts: DeriveOptions = {}): K6ThresholdSet {
  const slos = opts.service ? model.slos.filter((s) => s.service === opts.service) : model.slos;
  const multiService = !opts.service && new Set(model.slos.map((s) => s.service)).size > 1;
  const thresholds: DerivedThreshold[] = [];
  const skipped: SkippedSlo[] = [];

  for (const slo of slos) {
    const shape = shapeOf(slo);
    if (typeof shape === 'string') {
      skipped.push({ sloId: slo.id, reason: shape });
      continue;
    }
    const tags: Record<string, string> = {};
    if (multiService) tags.service = slo.service;
    if (shape.route) tags.name = shape.route;
    const scope = shape.route ? ` on ${shape.route}` : '';
    if (shape.kind === 'availability') {
      const selector = { name: 'http_req_failed', tags };
      const budget = cleanNumber(slo.errorBudget);
      thresholds.push({
        selector,
        metric: formatMetricKey(selector),
        expression: `rate<${budget}`,
        sloId: slo.id,
        rationale: `${slo.id}: ${cleanNumber(slo.objective)}% available${scope}, so errors stay under the ${budget} budget rate`,
      });
    } else {
      const selector = { name: 'http_req_duration', tags };
      const ms = cleanNumber(shape.thresholdSeconds! * 1000);
      const pct = cleanNumber(slo.objective);
      thresholds.push({
        selector,
        metric: formatMetricKey(selector),
        expression: `p(${pct})<${ms}`,
        sloId: slo.id,
        rationale: `${slo.id}: ${pct}% of requests${scope} within ${ms} ms`,
      });
    }
  }

  return { thresholds, skipped, byMetric: groupByMetric(thresholds) };
}

/** `{ metric: [expressions] }`, the shape of k6's options.thresholds, without duplicates. */
export function groupByMetric(items: { metric: string; expression: string }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of items) {
    const list = (out[t.metric] ??= []);
    if (!list.includes(t.expression)) list.push(t.expression);
  }
  return out;
}
