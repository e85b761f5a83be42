// The budget report from CloudWatch GetMetricData, with the SDK mocked at the client boundary by a
// fake that integrates known request rates over each requested period and splits every answer into
// two NextToken pages (./cloudwatch-fixture.ts). Expected figures are worked out by hand in the comments.
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { beforeEach, describe, expect, it } from 'vitest';
import { AT, config, cw, fakeGetMetricData, H } from './cloudwatch-fixture.ts';
import { collectReports } from '../../src/budget/collect.ts';
import { CloudWatchSource, minimumPeriod, periodFor } from '../../src/budget/sources/cloudwatch.ts';
import { modelOf } from '../prometheus/harness.ts';

beforeEach(() => {
  cw.reset();
  cw.on(GetMetricDataCommand).callsFake(fakeGetMetricData);
});

describe('CloudWatch budget source', () => {
  it('periods follow retention (1 min ≤ 15 d, 5 min ≤ 63 d, then 1 h) and divide the window', () => {
    const now = new Date(AT);
    expect(minimumPeriod(new Date(AT - 14 * 24 * H), now)).toBe(60);
    expect(minimumPeriod(new Date(AT - 30 * 24 * H), now)).toBe(300);
    expect(minimumPeriod(new Date(AT - 90 * 24 * H), now)).toBe(3600);
    expect(periodFor(30 * 86_400, 300)).toBe(86_400);
    expect(periodFor(1800, 60)).toBe(300);
    expect(periodFor(300, 3600)).toBe(3600);
  });

  it('30d ALB availability: sums error metrics over pages and computes the budget', async () => {
    const source = new CloudWatchSource(new CloudWatchClient({ region: 'eu-west-1' }), () => new Date(AT));
    const { entries } = await collectReports(modelOf(config), source, { at: new Date(AT), burnDown: true });
    const r = entries[0].report;
    // Total 50 req/s × 2,592,000 s = 129,600,000; errors 7,200 + 300 = 7,500.
    expect(r.events.total).toBe(129_600_000);
    expect(r.events.errors).toBe(7_500);
    // 7,500 / 129,600 allowed errors (0.1%) = 5.787% consumed.
    expect(r.consumed).toBeCloseTo(7_500 / 129_600, 9);
    // Last hour: 1 / 50 = 2% errors → burn 20; remaining 94.213% × 30 d / 20 = 122,100 s.
    expect(r.currentBurnRate.burnRate).toBeCloseTo(20, 9);
    expect(r.timeToExhaustionSeconds).toBeCloseTo(122_100, 3);
    expect(r.burnRates[0].burning).toBe(true);
    expect(r.policy.status).toBe('ok');
    // Every fetch took two pages: each call without a token is followed by one with it.
    const calls = cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    expect(calls.filter((c) => c.NextToken === 'page-2').length).toBe(calls.filter((c) => !c.NextToken).length);
    // The 30-day window starts 30 days back: 1-minute data is gone, so no period under 5 minutes there.
    const monthly = calls.filter((c) => c.StartTime!.getTime() === AT - 720 * H);
    expect(monthly.length).toBeGreaterThan(0);
    for (const c of monthly) for (const q of c.MetricDataQueries!) expect(q.MetricStat!.Period! % 300).toBe(0);
    // Burn-down ends at the consumed fraction.
    expect(entries[0].burnDown!.at(-1)!.remaining).toBeCloseTo(1 - 7_500 / 129_600, 9);
  });

  it('no RequestCount datapoints is missing data', async () => {
    cw.reset();
    cw.on(GetMetricDataCommand).callsFake((input) => ({ MetricDataResults: (input.MetricDataQueries ?? []).map((q) => ({ Id: q.Id, Timestamps: [], Values: [], StatusCode: 'Complete' as const })) }));
    const source = new CloudWatchSource(new CloudWatchClient({ region: 'eu-west-1' }), () => new Date(AT));
    const { entries } = await collectReports(modelOf(config), source, { at: new Date(AT) });
    expect(entries[0].report.sli).toBeNull();
    expect(entries[0].report.policy.status).toBe('no-data');
  });
});
