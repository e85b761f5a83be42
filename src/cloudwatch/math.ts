// Metric math for error ratios: the same queries feed the burn-rate alarms and the SLO dashboard widgets.
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchMetric } from '../slo/model.ts';
import { roundSignificant } from '../util/numbers.ts';

/** CloudWatch accepts periods of 10, 30 or a multiple of 60 seconds (PutMetricAlarm Period). */
export function isValidPeriod(seconds: number): boolean {
  return seconds === 10 || seconds === 30 || (Number.isInteger(seconds) && seconds > 0 && seconds % 60 === 0);
}

/** A window as a CloudWatch period: whole minutes, rounded up. */
export function windowPeriod(seconds: number): number {
  return Math.max(60, Math.ceil(seconds / 60) * 60);
}

const STANDARD_STATS = new Set(['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']);

export function isStandardStatistic(stat: string): boolean {
  return STANDARD_STATS.has(stat);
}

export function metricStatQuery(id: string, m: CloudWatchMetric, period: number, label?: string): MetricDataQuery {
  const dims = Object.entries(m.dimensions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([Name, Value]) => ({ Name, Value }));
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: m.namespace, MetricName: m.metricName, Dimensions: dims },
      Period: period,
      Stat: m.stat,
    },
    ...(label ? { Label: label } : {}),
    ReturnData: false,
  };
}

export interface RatioQueries {
  /** One MetricStat query per metric (ReturnData false). */
  metrics: MetricDataQuery[];
  /** Error events in the period; missing error datapoints count as zero (ALB omits zero 5xx counts). */
  errors: string;
  /** Total events in the period; missing stays missing, so no traffic gives no ratio. */
  total: string;
  /** errors / total. */
  ratio: string;
}

/** Queries and expressions for errors/total summed over `period` seconds; ids start with `idPrefix`. */
export function ratioQueries(sli: { errors: CloudWatchMetric[]; total: CloudWatchMetric[] }, period: number, idPrefix = ''): RatioQueries {
  const metrics: MetricDataQuery[] = [];
  const errIds = sli.errors.map((m, i) => {
    const id = `${idPrefix}e${i + 1}`;
    metrics.push(metricStatQuery(id, m, period));
    return id;
  });
  const totIds = sli.total.map((m, i) => {
    const id = `${idPrefix}t${i + 1}`;
    metrics.push(metricStatQuery(id, m, period));
    return id;
  });
  const errors = errIds.map((id) => `FILL(${id},0)`).join('+');
  const total = totIds.join('+');
  const ratio = `(${errors})/(${total})`;
  return { metrics, errors, total, ratio };
}

/** A number as CloudWatch should see it: no binary noise (14.4 * 0.001 = 0.014400000000000001). */
export function cleanNumber(n: number): number {
  return roundSignificant(n, 12);
}
