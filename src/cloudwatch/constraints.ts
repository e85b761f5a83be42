// CloudWatch's documented rules that the API model cannot express: metric-math alarm shape (≤ 10
// metrics, ≤ 10 expressions, exactly one ReturnData), periods, the evaluation range, composite rules
// that reference existing alarms without cycles, and dashboard limits and grid.
import type { MetricDataQuery, PutCompositeAlarmInput, PutDashboardInput, PutMetricAlarmInput } from '@aws-sdk/client-cloudwatch';
import type { Problem } from '../util/errors.ts';
import { isValidPeriod } from './math.ts';
import { parseAlarmRule, ruleAlarms, type RuleNode } from './composite-rule.ts';
import { DASHBOARD_LIMITS, metricCount } from './dashboards.ts';
import type { Widget } from './widgets.ts';

export const ALARM_LIMITS = {
  metricStatsPerMathAlarm: 10,
  expressionsPerMathAlarm: 10,
  compositeChildren: 100,
  compositeElements: 500,
};

const TREAT_MISSING = new Set(['breaching', 'notBreaching', 'ignore', 'missing']);
const METRIC_ID = /^[a-z][a-zA-Z0-9_]*$/;
const DASHBOARD_NAME = /^[A-Za-z0-9_-]{1,255}$/;
/** Metric math functions: identifiers followed by "(" are functions, others must be query ids. */
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;

function expressionRefs(expression: string): string[] {
  const refs: string[] = [];
  for (const m of expression.matchAll(IDENT)) {
    const after = expression.slice(m.index! + m[0].length).trimStart();
    const before = expression[m.index! - 1];
    // Skip function names, and digits' exponent parts such as 1e5.
    if (after.startsWith('(') || (before && /[0-9.]/.test(before))) continue;
    refs.push(m[0]);
  }
  return refs;
}

export function checkMetricAlarm(a: PutMetricAlarmInput, maxEvaluationSeconds: number): Problem[] {
  const problems: Problem[] = [];
  const at = (path: string, message: string, fix?: string) => problems.push({ path: `${a.AlarmName}: ${path}`, message, fix });
  const evaluationPeriods = a.EvaluationPeriods ?? 0;
  if (a.DatapointsToAlarm !== undefined && a.DatapointsToAlarm > evaluationPeriods) {
    at('DatapointsToAlarm', `${a.DatapointsToAlarm} exceeds EvaluationPeriods ${evaluationPeriods}`);
  }
  if (a.TreatMissingData !== undefined && !TREAT_MISSING.has(a.TreatMissingData)) {
    at('TreatMissingData', `"${a.TreatMissingData}" is not one of breaching, notBreaching, ignore, missing`);
  }
  let period: number | undefined;
  if (a.Metrics) {
    for (const field of ['Namespace', 'MetricName', 'Dimensions', 'Period', 'Unit', 'Statistic', 'ExtendedStatistic'] as const) {
      if (a[field] !== undefined) at(field, 'not allowed together with Metrics (metric math alarm)');
    }
    period = checkMathQueries(a.Metrics, at);
  } else {
    if (!a.MetricName || !a.Namespace) at('MetricName', 'a metric alarm needs MetricName and Namespace, or Metrics');
    if ((a.Statistic === undefined) === (a.ExtendedStatistic === undefined)) at('Statistic', 'set exactly one of Statistic and ExtendedStatistic');
    if (a.Period === undefined) at('Period', 'required for a single-metric alarm');
    else if (!isValidPeriod(a.Period)) at('Period', `${a.Period} s is not 10, 30 or a multiple of 60`);
    period = a.Period;
  }
  if (period !== undefined && period * evaluationPeriods > maxEvaluationSeconds) {
    at('EvaluationPeriods', `Period × EvaluationPeriods = ${period * evaluationPeriods} s exceeds ${maxEvaluationSeconds} s`, 'shorten the period or evaluate fewer periods');
  }
  return problems;
}

function checkMathQueries(queries: MetricDataQuery[], at: (path: string, message: string, fix?: string) => void): number | undefined {
  const ids = new Set<string>();
  let stats = 0;
  let expressions = 0;
  let returning = 0;
  let maxPeriod: number | undefined;
  queries.forEach((q, i) => {
    const path = `Metrics[${i}]`;
    if (q.Id) {
      if (!METRIC_ID.test(q.Id)) at(`${path}.Id`, `"${q.Id}" must start with a lowercase letter and hold only letters, digits and _`);
      if (ids.has(q.Id)) at(`${path}.Id`, `duplicate id "${q.Id}"`);
      ids.add(q.Id);
    }
    if ((q.MetricStat === undefined) === (q.Expression === undefined)) at(path, 'set exactly one of MetricStat and Expression');
    if (q.MetricStat) {
      stats++;
      const p = q.MetricStat.Period;
      if (p === undefined || !isValidPeriod(p)) at(`${path}.MetricStat.Period`, `${p} s is not 10, 30 or a multiple of 60`);
      else maxPeriod = Math.max(maxPeriod ?? 0, p);
    }
    if (q.Expression !== undefined) expressions++;
    // ReturnData defaults to true: an omitted flag counts as a returned series.
    if (q.ReturnData !== false) returning++;
  });
  queries.forEach((q, i) => {
    for (const ref of q.Expression ? expressionRefs(q.Expression) : []) {
      if (!ids.has(ref)) at(`Metrics[${i}].Expression`, `refers to "${ref}", which is no query id`);
    }
  });
  if (stats > ALARM_LIMITS.metricStatsPerMathAlarm) at('Metrics', `${stats} metrics; a metric math alarm can use at most ${ALARM_LIMITS.metricStatsPerMathAlarm}`, 'use fewer metrics per SLI or pre-aggregate them');
  if (expressions > ALARM_LIMITS.expressionsPerMathAlarm) at('Metrics', `${expressions} expressions; at most ${ALARM_LIMITS.expressionsPerMathAlarm}`);
  if (returning !== 1) at('Metrics', `${returning} queries return data; exactly one must have ReturnData true (the others false)`);
  return maxPeriod;
}

/** Checks every composite's rule: syntax, size, references to alarms that exist, no cycles. */
export function checkCompositeAlarms(composites: PutCompositeAlarmInput[], metricAlarmNames: Set<string>): Problem[] {
  const problems: Problem[] = [];
  const compositeNames = new Set(composites.map((c) => c.AlarmName!));
  const children = new Map<string, string[]>();
  for (const c of composites) {
    const at = (message: string) => problems.push({ path: `${c.AlarmName}: AlarmRule`, message });
    let ast: RuleNode;
    try {
      ast = parseAlarmRule(c.AlarmRule ?? '');
    } catch (err) {
      at(`does not parse: ${(err as Error).message}`);
      continue;
    }
    const refs = ruleAlarms(ast);
    children.set(c.AlarmName!, refs);
    if (new Set(refs).size > ALARM_LIMITS.compositeChildren) at(`references ${new Set(refs).size} alarms; at most ${ALARM_LIMITS.compositeChildren}`);
    const elements = refs.length + ((c.AlarmRule ?? '').match(/[()]/g)?.length ?? 0);
    if (elements > ALARM_LIMITS.compositeElements) at(`has ${elements} elements; at most ${ALARM_LIMITS.compositeElements}`);
    for (const r of refs) {
      if (!metricAlarmNames.has(r) && !compositeNames.has(r)) at(`references "${r}", which is not generated`);
    }
  }
  // A composite may not (transitively) reference itself.
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string, trail: string[]): void => {
    if (done.has(name)) return;
    if (visiting.has(name)) {
      problems.push({ path: `${name}: AlarmRule`, message: `cycle: ${[...trail, name].join(' → ')}` });
      return;
    }
    visiting.add(name);
    for (const child of children.get(name) ?? []) if (compositeNames.has(child)) visit(child, [...trail, name]);
    visiting.delete(name);
    done.add(name);
  };
  for (const name of compositeNames) visit(name, []);
  return problems;
}

export function checkDashboard(d: PutDashboardInput): Problem[] {
  const problems: Problem[] = [];
  const at = (path: string, message: string) => problems.push({ path: `${d.DashboardName}: ${path}`, message });
  if (!DASHBOARD_NAME.test(d.DashboardName ?? '')) at('DashboardName', 'only A-Z, a-z, 0-9, - and _ are allowed, 1 to 255 characters');
  const bytes = Buffer.byteLength(d.DashboardBody ?? '');
  if (bytes > DASHBOARD_LIMITS.bodyBytes) at('DashboardBody', `${bytes} bytes; solida keeps bodies under ${DASHBOARD_LIMITS.bodyBytes}`);
  let parsed: { widgets?: Widget[] };
  try {
    parsed = JSON.parse(d.DashboardBody ?? '');
  } catch {
    at('DashboardBody', 'is not JSON');
    return problems;
  }
  const widgets = parsed.widgets;
  if (!Array.isArray(widgets)) {
    at('DashboardBody.widgets', 'missing: a dashboard body must have a widgets array');
    return problems;
  }
  if (widgets.length > DASHBOARD_LIMITS.widgets) at('DashboardBody.widgets', `${widgets.length} widgets; at most ${DASHBOARD_LIMITS.widgets}`);
  let total = 0;
  const cells = new Set<string>();
  widgets.forEach((w, i) => {
    const path = `DashboardBody.widgets[${i}]`;
    const n = metricCount(w);
    total += n;
    if (n > DASHBOARD_LIMITS.metricsPerWidget) at(path, `${n} metrics; at most ${DASHBOARD_LIMITS.metricsPerWidget} per widget`);
    if (w.width < 1 || w.width > 24 || w.x < 0 || w.x + w.width > DASHBOARD_LIMITS.columns) at(path, `x ${w.x} + width ${w.width} leaves the 24-column grid`);
    if (w.height < 1 || w.height > 1000 || w.y < 0) at(path, `bad y ${w.y} / height ${w.height}`);
    for (let x = w.x; x < w.x + w.width; x++) {
      for (let y = w.y; y < w.y + w.height; y++) {
        const key = `${x},${y}`;
        if (cells.has(key)) {
          at(path, `overlaps another widget at column ${x}, row ${y}`);
          return;
        }
        cells.add(key);
      }
    }
    if (w.type === 'alarm') {
      const alarms = w.properties.alarms as unknown[];
      if (!Array.isArray(alarms) || alarms.length === 0 || alarms.length > DASHBOARD_LIMITS.alarmsPerAlarmWidget) {
        at(`${path}.properties.alarms`, `needs 1 to ${DASHBOARD_LIMITS.alarmsPerAlarmWidget} alarm ARNs`);
      }
    }
  });
  if (total > DASHBOARD_LIMITS.metricsPerDashboard) at('DashboardBody', `${total} metrics; at most ${DASHBOARD_LIMITS.metricsPerDashboard} per dashboard`);
  return problems;
}
