// A fake CloudWatch GetMetricData for budget reports: integrates known request rates over each
// requested period and splits every answer into two NextToken pages. Shared by the source test and
// the CLI test; expected figures are worked out by hand in those tests.
import { CloudWatchClient, type GetMetricDataCommandInput, type GetMetricDataCommandOutput } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import type { SolidaConfig } from '../../src/slo/config.ts';

export const AT = Date.parse('2026-06-30T12:00:00Z');
export const H = 3_600_000;
const alb = { LoadBalancer: 'app/shop/123' };
/** Per-second rates by metric, piecewise constant: [fromMs, toMs, perSecond]. */
const RATES: Record<string, [number, number, number][]> = {
  RequestCount: [[0, Infinity, 50]],
  HTTPCode_Target_5XX_Count: [[AT - 2 * H, AT, 1]], // last 2 h: 7,200 errors
  HTTPCode_ELB_5XX_Count: [[AT - 72 * H, AT - 72 * H + 600_000, 0.5]], // 10 min three days ago: 300 errors
};

export const cw = mockClient(CloudWatchClient as never) as unknown as {
  reset(): void;
  on(c: unknown): { callsFake(f: (i: GetMetricDataCommandInput) => Partial<GetMetricDataCommandOutput>): void };
  commandCalls(c: unknown): { args: [{ input: GetMetricDataCommandInput }] }[];
};

export function fakeGetMetricData(input: GetMetricDataCommandInput): Partial<GetMetricDataCommandOutput> {
  const page = input.NextToken === 'page-2' ? 1 : 0;
  const results = (input.MetricDataQueries ?? []).map((q) => {
    const stat = q.MetricStat!;
    const periodMs = stat.Period! * 1000;
    const timestamps: Date[] = [];
    const values: number[] = [];
    for (let t = input.StartTime!.getTime(); t < input.EndTime!.getTime(); t += periodMs) {
      const sum = (RATES[stat.Metric!.MetricName!] ?? []).reduce((s, [from, to, rate]) => s + Math.max(0, Math.min(to, t + periodMs) - Math.max(from, t)) / 1000 * rate, 0);
      timestamps.push(new Date(t));
      values.push(sum);
    }
    const half = Math.ceil(timestamps.length / 2);
    const slice = <T>(a: T[]) => (page === 0 ? a.slice(0, half) : a.slice(half));
    return { Id: q.Id, Label: q.Label, Timestamps: slice(timestamps), Values: slice(values), StatusCode: page === 0 ? 'PartialData' as const : 'Complete' as const };
  });
  return { MetricDataResults: results, NextToken: page === 0 ? 'page-2' : undefined };
}

const metric = (metricName: string) => ({ namespace: 'AWS/ApplicationELB', metricName, dimensions: alb, stat: 'Sum' });
export const config = {
  services: [{ name: 'shop' }],
  slos: [{
    service: 'shop',
    name: 'alb-availability',
    objective: 99.9,
    window: '30d',
    sli: { cloudwatch: { errors: [metric('HTTPCode_Target_5XX_Count'), metric('HTTPCode_ELB_5XX_Count')], total: [metric('RequestCount')] } },
    alerting: { tiers: { 'page-1h': { longWindow: '1h', shortWindow: '5m', burnRate: 14.4 }, 'page-6h': { enabled: false }, 'ticket-1d': { enabled: false }, 'ticket-3d': { enabled: false } }, noData: { enabled: false } },
  }],
} as unknown as SolidaConfig;

