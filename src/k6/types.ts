// One normalised shape for every k6 result solida reads (summary-export JSON, handleSummary data,
// NDJSON points) and for the built-in load generator, so a single gate evaluates all of them.

export type K6MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

/**
 * Stats under canonical keys:
 * - trend: avg, min, med, max, p(N) (N as a plain number: p(99), p(99.9)), count when known;
 * - rate: rate (share of non-zero samples), nonZero, zero, count. For http_req_failed nonZero is the
 *   number of FAILED requests: k6 calls it "passes", which is the trap this naming avoids;
 * - counter: count, rate (per second);
 * - gauge: value, min, max.
 */
export type K6Stats = Record<string, number>;

export interface K6Metric {
  /** Full key as k6 prints it: `http_req_duration` or `http_req_duration{scenario:steady}`. */
  key: string;
  /** Base metric name without the tag filter. */
  name: string;
  /** Sub-metric tag filter ({} for the base metric). */
  tags: Record<string, string>;
  /** Absent when the source does not say and the stats do not tell. */
  type?: K6MetricType;
  stats: K6Stats;
}

/** A threshold as k6 reported it, with the verdict normalised so that `ok` always means "passed". */
export interface K6ReportedThreshold {
  /** Metric key, e.g. `http_req_failed{scenario:steady}`. */
  metric: string;
  /** k6 expression, e.g. `rate<0.01`. */
  expression: string;
  /** true = passed. Undefined when the source carries no verdict (NDJSON Metric records). */
  ok?: boolean;
}

export interface K6Check {
  name: string;
  /** Group path, `::status is 200` for a check in the root group. */
  path: string;
  passes: number;
  fails: number;
}

export type K6SourceKind = 'summary-export' | 'handle-summary' | 'points' | 'loadgen';

export interface K6Result {
  source: { kind: K6SourceKind; file?: string };
  /** By metric key. */
  metrics: Record<string, K6Metric>;
  thresholds: K6ReportedThreshold[];
  checks: K6Check[];
  /** summaryTrendStats when the source states it (handleSummary data). */
  summaryTrendStats?: string[];
  /** Test run length when known (handleSummary state, first..last point, generator run). */
  durationSeconds?: number;
}
