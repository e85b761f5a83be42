// A tiny CloudWatch simulator for tests: per-minute datapoints, MetricStat sums over a sliding period,
// the metric-math subset solida generates (+ - * / parentheses, numbers, ids, FILL(x, v)), alarm
// thresholds with TreatMissingData, and composite rules. Missing is `undefined`, as in CloudWatch:
// arithmetic with a missing operand is missing, and so is a division by zero.
import type { MetricDataQuery, PutMetricAlarmInput } from '@aws-sdk/client-cloudwatch';

export type Value = number | undefined;

/** Datapoints per minute of one metric (index = minute); undefined = no datapoint published. */
export type Series = Value[];

export function metricKey(namespace: string, metricName: string, stat: string): string {
  return `${namespace}|${metricName}|${stat}`;
}

export class MinuteStore {
  private readonly prefix = new Map<string, { sum: Float64Array; count: Int32Array }>();
  constructor(series: Record<string, Series>) {
    for (const [key, s] of Object.entries(series)) {
      const sum = new Float64Array(s.length + 1);
      const count = new Int32Array(s.length + 1);
      s.forEach((v, i) => {
        sum[i + 1] = sum[i] + (v ?? 0);
        count[i + 1] = count[i] + (v === undefined ? 0 : 1);
      });
      this.prefix.set(key, { sum, count });
    }
  }

  /** Sum of the datapoints in minutes (end - periodMinutes, end]; missing when none exist. */
  sum(key: string, end: number, periodMinutes: number): Value {
    const p = this.prefix.get(key);
    if (!p) throw new Error(`no synthetic series for ${key}`);
    const hi = end + 1;
    const lo = Math.max(0, hi - periodMinutes);
    return p.count[hi] - p.count[lo] === 0 ? undefined : p.sum[hi] - p.sum[lo];
  }
}

type Tok = { k: 'num'; v: number } | { k: 'id'; v: string } | { k: 'op'; v: string };

function tokenize(expr: string): Tok[] {
  const out: Tok[] = [];
  const re = /\s*(?:(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/(),]))/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < expr.length && (m = re.exec(expr))) {
    if (m[1]) out.push({ k: 'num', v: Number(m[1]) });
    else if (m[2]) out.push({ k: 'id', v: m[2] });
    else out.push({ k: 'op', v: m[3] });
    pos = re.lastIndex;
  }
  if (expr.slice(pos).trim() !== '') throw new Error(`cannot tokenize "${expr}" at ${pos}`);
  return out;
}

/** Evaluates a metric-math expression at one instant, given the values of the query ids. */
export function evalExpression(expr: string, vars: Record<string, Value>): Value {
  const toks = tokenize(expr);
  let i = 0;
  const peek = () => toks[i];
  const take = (op?: string) => {
    const t = toks[i++];
    if (op && (t?.k !== 'op' || t.v !== op)) throw new Error(`expected ${op} in "${expr}"`);
    return t;
  };
  const arith = (a: Value, b: Value, op: string): Value => {
    if (a === undefined || b === undefined) return undefined;
    switch (op) {
      case '+': return a + b;
      case '-': return a - b;
      case '*': return a * b;
      default: return b === 0 ? undefined : a / b;
    }
  };
  const sum = (): Value => {
    let v = product();
    while (peek()?.k === 'op' && (peek()!.v === '+' || peek()!.v === '-')) {
      const op = take()!.v as string;
      v = arith(v, product(), op);
    }
    return v;
  };
  const product = (): Value => {
    let v = atom();
    while (peek()?.k === 'op' && (peek()!.v === '*' || peek()!.v === '/')) {
      const op = take()!.v as string;
      v = arith(v, atom(), op);
    }
    return v;
  };
  const atom = (): Value => {
    const t = take();
    if (!t) throw new Error(`unexpected end of "${expr}"`);
    if (t.k === 'num') return t.v;
    if (t.k === 'op' && t.v === '(') {
      const v = sum();
      take(')');
      return v;
    }
    if (t.k === 'op' && t.v === '-') return arith(-1, atom(), '*');
    if (t.k === 'id') {
      if (peek()?.k === 'op' && peek()!.v === '(') {
        take('(');
        if (t.v !== 'FILL') throw new Error(`function ${t.v} not simulated`);
        const x = sum();
        take(',');
        const fill = sum();
        take(')');
        return x ?? fill;
      }
      if (!(t.v in vars)) throw new Error(`unknown id ${t.v} in "${expr}"`);
      return vars[t.v];
    }
    throw new Error(`unexpected token in "${expr}"`);
  };
  const v = sum();
  if (i !== toks.length) throw new Error(`trailing tokens in "${expr}"`);
  return v;
}

/** The value a metric-math alarm watches at minute `end`. */
export function alarmValue(alarm: PutMetricAlarmInput, store: MinuteStore, end: number): Value {
  const queries = alarm.Metrics as MetricDataQuery[];
  const vars: Record<string, Value> = {};
  for (const q of queries) {
    if (!q.MetricStat) continue;
    const m = q.MetricStat.Metric!;
    vars[q.Id!] = store.sum(metricKey(m.Namespace!, m.MetricName!, q.MetricStat.Stat!), end, q.MetricStat.Period! / 60);
  }
  // Expressions may refer to earlier expressions: evaluate in order.
  let returned: Value;
  for (const q of queries) {
    if (q.Expression === undefined) continue;
    vars[q.Id!] = evalExpression(q.Expression, vars);
    if (q.ReturnData !== false) returned = vars[q.Id!];
  }
  return returned;
}

/** State of a one-period alarm (EvaluationPeriods = DatapointsToAlarm = 1). */
export function alarmState(alarm: PutMetricAlarmInput, store: MinuteStore, end: number): 'ALARM' | 'OK' | 'INSUFFICIENT_DATA' {
  if (alarm.EvaluationPeriods !== 1) throw new Error('simulator handles one-period alarms only');
  const v = alarmValue(alarm, store, end);
  if (v === undefined) {
    switch (alarm.TreatMissingData) {
      case 'notBreaching': return 'OK';
      case 'breaching': return 'ALARM';
      default: return 'INSUFFICIENT_DATA';
    }
  }
  const t = alarm.Threshold!;
  const breach =
    alarm.ComparisonOperator === 'GreaterThanThreshold' ? v > t
      : alarm.ComparisonOperator === 'GreaterThanOrEqualToThreshold' ? v >= t
        : alarm.ComparisonOperator === 'LessThanThreshold' ? v < t
          : v <= t;
  return breach ? 'ALARM' : 'OK';
}
