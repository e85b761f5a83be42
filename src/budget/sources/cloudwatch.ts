// Budget source over CloudWatch GetMetricData: the SLI's error and total metrics are fetched as
// per-period sums (following NextToken pages, at most 500 queries per call) and added up client-side.
// The period respects CloudWatch retention: 1-minute data for 15 days, 5-minute to 63 days, then 1 hour.
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchMetric, CloudWatchSli, Slo } from '../../slo/model.ts';
import { SolidaError } from '../../util/errors.ts';
import type { EventCounts } from '../arithmetic.ts';
import type { BudgetSource, StepCounts } from '../source.ts';

const MAX_QUERIES_PER_CALL = 500;
const DAY = 86_400;

interface Sums {
  errors: Map<number, number>;
  total: Map<number, number>;
}

export class CloudWatchSource implements BudgetSource {
  constructor(
    private readonly client: CloudWatchClient,
    private readonly now: () => Date = () => new Date(),
  ) {}

  supports(slo: Slo): boolean {
    return slo.sli.source === 'cloudwatch';
  }

  async events(slo: Slo, windowSeconds: number, at: Date): Promise<EventCounts | null> {
    const start = new Date(at.getTime() - windowSeconds * 1000);
    const period = periodFor(windowSeconds, minimumPeriod(start, this.now()));
    const sums = await this.fetchSums(cloudWatchSli(slo), start, at, period);
    const total = sumValues(sums.total);
    if (!(total > 0)) return null;
    return { errors: sumValues(sums.errors), total };
  }

  async steps(slo: Slo, start: Date, end: Date, stepSeconds: number): Promise<StepCounts[]> {
    const step = Math.max(minimumPeriod(start, this.now()), Math.ceil(stepSeconds / 60) * 60);
    const sums = await this.fetchSums(cloudWatchSli(slo), start, end, step);
    return [...sums.total.entries()]
      .filter(([, total]) => total > 0)
      .sort(([a], [b]) => a - b)
      .map(([t, total]) => ({ t: t + step * 1000, total, errors: sums.errors.get(t) ?? 0 }));
  }

  private async fetchSums(sli: CloudWatchSli, start: Date, end: Date, period: number): Promise<Sums> {
    const queries = [...sli.errors.map((m, i) => query(`e${i}`, m, period)), ...sli.total.map((m, i) => query(`t${i}`, m, period))];
    const sums: Sums = { errors: new Map(), total: new Map() };
    for (let i = 0; i < queries.length; i += MAX_QUERIES_PER_CALL) {
      let nextToken: string | undefined;
      do {
        const out = await this.call(queries.slice(i, i + MAX_QUERIES_PER_CALL), start, end, nextToken);
        for (const r of out.MetricDataResults ?? []) {
          if (r.StatusCode === 'Forbidden' || r.StatusCode === 'InternalError') {
            throw new SolidaError(`CloudWatch could not return ${r.Label ?? r.Id}`, 2, [{ message: `status ${r.StatusCode}: ${(r.Messages ?? []).map((m) => m.Value).join('; ')}`, fix: 'check the metric and cloudwatch:GetMetricData permission' }]);
          }
          const into = r.Id?.startsWith('e') ? sums.errors : sums.total;
          (r.Timestamps ?? []).forEach((ts, k) => {
            const t = ts.getTime();
            if (t < start.getTime() || t >= end.getTime()) return;
            into.set(t, (into.get(t) ?? 0) + (r.Values?.[k] ?? 0));
          });
        }
        nextToken = out.NextToken;
      } while (nextToken);
    }
    return sums;
  }

  private async call(queries: MetricDataQuery[], start: Date, end: Date, nextToken: string | undefined) {
    try {
      return await this.client.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: start, EndTime: end, ScanBy: 'TimestampAscending', NextToken: nextToken }));
    } catch (err) {
      throw new SolidaError('CloudWatch GetMetricData failed', 2, [{ message: (err as Error).message, fix: 'check AWS credentials, region and cloudwatch:GetMetricData permission' }]);
    }
  }
}

/** Finest period CloudWatch still keeps for data starting at `start`. */
export function minimumPeriod(start: Date, now: Date): number {
  const age = (now.getTime() - start.getTime()) / 1000;
  if (age > 63 * DAY) return 3600;
  if (age > 15 * DAY) return 300;
  return 60;
}

/** The coarsest period that divides the window (fewest data points), never finer than `minimum`. */
export function periodFor(windowSeconds: number, minimum: number): number {
  for (const p of [DAY, 3600, 300, 60]) if (p >= minimum && windowSeconds % p === 0) return p;
  return minimum;
}

function query(id: string, m: CloudWatchMetric, period: number): MetricDataQuery {
  return {
    Id: id,
    Label: `${m.namespace} ${m.metricName} ${m.stat}`,
    ReturnData: true,
    MetricStat: {
      Metric: { Namespace: m.namespace, MetricName: m.metricName, Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })) },
      Period: period,
      Stat: m.stat,
    },
  };
}

function sumValues(m: Map<number, number>): number {
  let s = 0;
  for (const v of m.values()) s += v;
  return s;
}

function cloudWatchSli(slo: Slo): CloudWatchSli {
  if (slo.sli.source !== 'cloudwatch') throw new SolidaError(`${slo.id} has a Prometheus SLI`, 2, [{ message: 'the CloudWatch source reads CloudWatch SLIs only' }]);
  return slo.sli;
}
