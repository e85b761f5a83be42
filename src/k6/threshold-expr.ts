// k6 threshold expressions (`p(99)<300`, `rate<0.01`, `count>=100`): k6's grammar is
// `<aggregation> <operator> <number>` with the aggregations and operators below.

export type ThresholdOperator = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

export interface ThresholdExpr {
  /** As written, for display. */
  text: string;
  /** Canonical stat key: avg, min, max, med, count, rate, value, or p(N). */
  stat: string;
  /** For p(N) and med: the percentile (0..100). */
  percentile?: number;
  op: ThresholdOperator;
  bound: number;
}

const EXPR_RE = /^\s*(avg|min|max|med|count|rate|value|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*(===|==|!=|<=|>=|<|>)\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*$/;

export function parseThresholdExpr(text: string): ThresholdExpr | undefined {
  const m = EXPR_RE.exec(text);
  if (!m) return undefined;
  const op = m[3] as ThresholdOperator;
  const bound = Number(m[4]);
  if (m[2] !== undefined) {
    const percentile = Number(m[2]);
    if (percentile < 0 || percentile > 100) return undefined;
    return { text, stat: percentileKey(percentile), percentile, op, bound };
  }
  return { text, stat: m[1], percentile: m[1] === 'med' ? 50 : undefined, op, bound };
}

/** `p(99)`, `p(99.9)`: the key solida stores percentiles under, whatever the source spelled. */
export function percentileKey(percentile: number): string {
  return `p(${Number(percentile.toPrecision(12))})`;
}

export function compare(value: number, op: ThresholdOperator, bound: number): boolean {
  switch (op) {
    case '<': return value < bound;
    case '<=': return value <= bound;
    case '>': return value > bound;
    case '>=': return value >= bound;
    case '==':
    case '===': return value === bound;
    case '!=': return value !== bound;
  }
}

/**
 * Decide a threshold from an interval known to contain the value, when the interval allows it
 * (e.g. p(99) ≤ max < bound). Undefined when values inside the interval fall on both sides.
 */
export function decideFromRange(lo: number, hi: number, op: ThresholdOperator, bound: number): boolean | undefined {
  const atLo = compare(lo, op, bound);
  const atHi = compare(hi, op, bound);
  if (op === '==' || op === '===') {
    if (lo === hi) return atLo;
    return bound < lo || bound > hi ? false : undefined;
  }
  if (op === '!=') {
    if (lo === hi) return atLo;
    return bound < lo || bound > hi ? true : undefined;
  }
  // The ordering operators are monotone in the value, so the interval's ends decide.
  return atLo === atHi ? atLo : undefined;
}
