// CloudWatch Embedded Metric Format from the same observations as the Prometheus histogram.
// Observations are folded into per-route counters and a log-scale latency sketch (O(1) per
// request); JSON is only built at flush time, off the request path.
//
// Spec limits honoured: ≤100 metrics per directive, ≤30 dimension keys per set, ≤100 values per
// metric array, dimension values non-empty strings of ≤1024 characters, _aws.Timestamp in ms.

export const EMF_MAX_METRICS = 100;
export const EMF_MAX_DIMENSIONS = 30;
export const EMF_MAX_VALUES = 100;
export const EMF_MAX_DIMENSION_VALUE = 1024;

export interface EmfConfig {
  namespace: string;
  service: string;
  /** Latency-SLO thresholds: one SlowRequests_<t>s count per threshold (bad events of a latency SLI). */
  thresholds: readonly number[];
  /** Extra dimensions on every line, e.g. { Environment: 'prod' }. */
  dimensions?: Record<string, string>;
}

/** Metric names, shared with the CloudWatch alarm/dashboard generators. */
export const EMF_METRICS = {
  requests: 'Requests',
  errors: 'Errors',
  latency: 'Latency',
  slowRequests: (thresholdSeconds: number) => `SlowRequests_${thresholdSeconds}s`,
} as const;

// Log buckets with ~2% relative width: good enough for p50..p99 and small enough to stay bounded
// (1µs..1h is ~1100 buckets at most).
const SKETCH_BASE = 1e-6;
const SKETCH_GROWTH = Math.log(1.02);

interface RouteAggregate {
  requests: number;
  errors: number;
  slow: number[];
  latency: Map<number, number>;
}

export interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: Array<{
      Namespace: string;
      Dimensions: string[][];
      Metrics: Array<{ Name: string; Unit: string }>;
    }>;
  };
  [member: string]: unknown;
}

export class EmfAggregator {
  private routes = new Map<string, RouteAggregate>();
  private readonly extraDims: Record<string, string>;

  constructor(private readonly cfg: EmfConfig) {
    const extraKeys = Object.keys(cfg.dimensions ?? {});
    if (extraKeys.length + 2 > EMF_MAX_DIMENSIONS) throw new Error(`EMF allows at most ${EMF_MAX_DIMENSIONS} dimensions`);
    if (cfg.thresholds.length + 3 > EMF_MAX_METRICS) throw new Error(`EMF allows at most ${EMF_MAX_METRICS} metrics`);
    this.extraDims = { ...(cfg.dimensions ?? {}) };
  }

  record(route: string, isError: boolean, seconds: number): void {
    let agg = this.routes.get(route);
    if (!agg) {
      agg = { requests: 0, errors: 0, slow: this.cfg.thresholds.map(() => 0), latency: new Map() };
      this.routes.set(route, agg);
    }
    agg.requests++;
    if (isError) agg.errors++;
    const t = this.cfg.thresholds;
    for (let i = 0; i < t.length; i++) if (seconds > t[i]) agg.slow[i]++;
    const bucket = seconds <= SKETCH_BASE ? 0 : Math.ceil(Math.log(seconds / SKETCH_BASE) / SKETCH_GROWTH);
    agg.latency.set(bucket, (agg.latency.get(bucket) ?? 0) + 1);
  }

  /** Takes everything recorded since the last drain, one EMF document per route. */
  drain(timestampMs: number = Date.now()): EmfDocument[] {
    const routes = this.routes;
    this.routes = new Map();
    const docs: EmfDocument[] = [];
    const dimKeys = Object.keys(this.extraDims);
    const metrics = [
      { Name: EMF_METRICS.requests, Unit: 'Count' },
      { Name: EMF_METRICS.errors, Unit: 'Count' },
      { Name: EMF_METRICS.latency, Unit: 'Seconds' },
      ...this.cfg.thresholds.map((t) => ({ Name: EMF_METRICS.slowRequests(t), Unit: 'Count' })),
    ];
    for (const [route, agg] of routes) {
      const doc: EmfDocument = {
        _aws: {
          Timestamp: timestampMs,
          CloudWatchMetrics: [
            {
              Namespace: this.cfg.namespace,
              Dimensions: [
                ['Service', ...dimKeys],
                ['Service', 'Route', ...dimKeys],
              ],
              Metrics: metrics,
            },
          ],
        },
        ...this.extraDims,
        Service: dimensionValue(this.cfg.service),
        Route: dimensionValue(route),
        [EMF_METRICS.requests]: agg.requests,
        [EMF_METRICS.errors]: agg.errors,
        [EMF_METRICS.latency]: representativeLatencies(agg.latency, agg.requests),
      };
      this.cfg.thresholds.forEach((t, i) => {
        doc[EMF_METRICS.slowRequests(t)] = agg.slow[i];
      });
      docs.push(doc);
    }
    return docs;
  }
}

/**
 * At most 100 values whose distribution matches the sketch: every observation when there are
 * ≤100, otherwise the 100 evenly spaced quantiles (each value then stands for 1% of requests).
 * CloudWatch percentiles of `Latency` are therefore right; its SampleCount is not the request
 * count — use `Requests` for that.
 */
export function representativeLatencies(sketch: Map<number, number>, total: number): number[] {
  const buckets = [...sketch.entries()].sort((a, b) => a[0] - b[0]);
  const values: number[] = [];
  const n = Math.min(total, EMF_MAX_VALUES);
  let seen = 0;
  let i = 0;
  for (let k = 0; k < n; k++) {
    const rank = total <= EMF_MAX_VALUES ? k + 1 : Math.ceil(((k + 0.5) / n) * total);
    while (i < buckets.length && seen + buckets[i][1] < rank) seen += buckets[i++][1];
    if (i >= buckets.length) break;
    values.push(bucketValue(buckets[i][0]));
  }
  return values;
}

function bucketValue(bucket: number): number {
  return bucket === 0 ? SKETCH_BASE : Number((SKETCH_BASE * Math.exp(bucket * SKETCH_GROWTH)).toPrecision(4));
}

function dimensionValue(v: string): string {
  const s = v === '' ? '-' : v;
  return s.length > EMF_MAX_DIMENSION_VALUE ? s.slice(0, EMF_MAX_DIMENSION_VALUE) : s;
}
