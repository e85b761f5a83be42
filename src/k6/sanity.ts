// Values no k6 run can produce: a gate must refuse them, not pass or fail on them. Times are never
// negative, a rate is a fraction of 1, counts are never negative.

// k6's built-in time metrics (their `contains` is "time"); custom trends may hold any number.
const TIME_METRICS = /^(http_req_(duration|blocked|connecting|tls_handshaking|sending|waiting|receiving)|iteration_duration|group_duration|ws_session_duration|ws_connecting|grpc_req_duration|browser_.*)$/;

export function isTimeMetric(name: string, contains?: string): boolean {
  return contains === 'time' || TIME_METRICS.test(name);
}

/** Why a metric's summary stats are impossible, or null. */
export function impossibleStats(name: string, type: string | undefined, stats: Record<string, number>, contains?: string): string | null {
  for (const k of ['count', 'passes', 'fails', 'nonZero', 'zero']) {
    if (stats[k] !== undefined && stats[k] < 0) return `${k} is ${stats[k]}: counts are never negative`;
  }
  if (type === 'rate' && stats.rate !== undefined && (stats.rate < 0 || stats.rate > 1)) return `rate is ${stats.rate}: a rate is a fraction between 0 and 1`;
  if (type === 'trend' && isTimeMetric(name, contains)) {
    for (const [k, v] of Object.entries(stats)) if (v < 0) return `${k} is ${v}: ${name} is a time and never negative`;
  }
  return null;
}

/** Why one NDJSON point is impossible, or null. */
export function impossiblePoint(name: string, type: string | undefined, value: number, contains?: string): string | null {
  return pointCheck(name, type, contains)(value);
}

/** impossiblePoint for one metric, its name matched once: a reader checks millions of points. */
export function pointCheck(name: string, type: string | undefined, contains?: string): (value: number) => string | null {
  const time = type === 'trend' && isTimeMetric(name, contains);
  const why = (value: number): string | null => {
    if (!Number.isFinite(value)) return `value ${value} is not a finite number`;
    if (time && value < 0) return `value ${value}: ${name} is a time and never negative`;
    if (type === 'rate' && (value < 0 || value > 1)) return `value ${value}: a rate sample is 0 or 1`;
    if (type === 'counter' && value < 0) return `value ${value}: a counter never decreases`;
    return null;
  };
  // Per point only one range test (NaN and infinities fail it too); the reasons only for a point outside.
  const min = time || type === 'rate' || type === 'counter' ? 0 : -Number.MAX_VALUE;
  const max = type === 'rate' ? 1 : Number.MAX_VALUE;
  return (value) => (value >= min && value <= max ? null : why(value));
}
