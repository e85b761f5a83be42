import { describe, expect, it } from 'vitest';
import type { PutMetricAlarmInput } from '@aws-sdk/client-cloudwatch';
import { generateCloudWatch, checkCloudWatchArtifacts } from '../../src/cloudwatch/generate.ts';
import { validateRequest } from '../../src/aws-models/smithy.ts';
import { checkCompositeAlarms, checkDashboard, checkMetricAlarm } from '../../src/cloudwatch/constraints.ts';
import { resolveCloudWatchOptions } from '../../src/cloudwatch/options.ts';
import { SolidaError } from '../../src/util/errors.ts';
import { availability, inventoryModel, LB, PAGE_TOPIC, TICKET_TOPIC } from './fixtures.ts';

const gen = (input = {}) => generateCloudWatch(inventoryModel(), resolveCloudWatchOptions(input));
const byName = <T extends { AlarmName?: string }>(xs: T[], name: string): T => {
  const found = xs.find((x) => x.AlarmName === name);
  if (!found) throw new Error(`no alarm ${name}`);
  return found;
};

describe('generateCloudWatch on the inventory service', () => {
  const a = gen();

  it('every request validates against the CloudWatch API model', () => {
    for (const m of a.metricAlarms) expect(validateRequest('cloudwatch', 'PutMetricAlarm', m), m.AlarmName).toEqual([]);
    for (const c of a.compositeAlarms) expect(validateRequest('cloudwatch', 'PutCompositeAlarm', c), c.AlarmName).toEqual([]);
    for (const d of a.dashboards) expect(validateRequest('cloudwatch', 'PutDashboard', d), d.DashboardName).toEqual([]);
    expect(checkCloudWatchArtifacts(a, 86400)).toEqual([]);
  });

  it('generates 8 window alarms, 4 tier and 2 severity composites per CloudWatch-measurable SLO, plus 6 presets', () => {
    // availability (declared CloudWatch SLI) and latency (golden → ALB); checkout (PromQL) is skipped.
    expect(a.metricAlarms).toHaveLength(2 * 8 + 6);
    expect(a.compositeAlarms).toHaveLength(2 * 6);
    expect(a.metricAlarms.map((m) => m.AlarmName)).toContain('solida-inventory-availability-page-1h-long');
    expect(a.metricAlarms.some((m) => m.AlarmName!.includes('checkout'))).toBe(false);
    expect(a.notes.some((n) => n.includes('inventory-checkout') && n.includes('PromQL'))).toBe(true);
  });

  it('writes the page-1h long-window alarm as a metric-math ratio over one hour', () => {
    const m = byName(a.metricAlarms, 'solida-inventory-availability-page-1h-long');
    expect(m.Threshold).toBe(0.0144); // 14.4 × 0.001
    expect(m.ComparisonOperator).toBe('GreaterThanThreshold');
    expect(m.EvaluationPeriods).toBe(1);
    expect(m.TreatMissingData).toBe('notBreaching');
    const stats = m.Metrics!.filter((q) => q.MetricStat);
    expect(stats.map((q) => q.MetricStat!.Period)).toEqual([3600, 3600, 3600]);
    expect(stats.map((q) => q.MetricStat!.Metric!.MetricName)).toEqual(['HTTPCode_Target_5XX_Count', 'HTTPCode_ELB_5XX_Count', 'RequestCount']);
    expect(m.Metrics!.filter((q) => q.ReturnData !== false)).toHaveLength(1);
    const short = byName(a.metricAlarms, 'solida-inventory-availability-page-1h-short');
    expect(short.Metrics![0].MetricStat!.Period).toBe(300);
  });

  it('clamps the 3-day window to the API maximum of one day and says so', () => {
    const m = byName(a.metricAlarms, 'solida-inventory-availability-ticket-3d-long');
    expect(m.Metrics![0].MetricStat!.Period).toBe(86400);
    expect(m.Threshold).toBe(0.001);
    expect(m.AlarmDescription).toContain('Approximation');
    expect(a.notes.some((n) => n.includes('ticket-3d') && n.includes('3d'))).toBe(true);
    const wide = gen({ maxEvaluationSeconds: 604800 });
    expect(byName(wide.metricAlarms, 'solida-inventory-availability-ticket-3d-long').Metrics![0].MetricStat!.Period).toBe(259200);
  });

  it('measures the golden latency SLI at the ALB with trimmed count over sample count', () => {
    const m = byName(a.metricAlarms, 'solida-inventory-latency-page-1h-long');
    expect(m.Metrics!.filter((q) => q.MetricStat).map((q) => q.MetricStat!.Stat)).toEqual(['TC(0.3:)', 'SampleCount']);
  });

  it('combines windows with AND per tier and tiers with OR per severity, carrying the SNS topic', () => {
    expect(byName(a.compositeAlarms, 'solida-inventory-availability-page-1h').AlarmRule).toBe(
      'ALARM("solida-inventory-availability-page-1h-long") AND ALARM("solida-inventory-availability-page-1h-short")',
    );
    const page = byName(a.compositeAlarms, 'solida-inventory-availability-page');
    expect(page.AlarmRule).toBe('ALARM("solida-inventory-availability-page-1h") OR ALARM("solida-inventory-availability-page-6h")');
    expect(page.AlarmActions).toEqual([PAGE_TOPIC]);
    expect(byName(a.compositeAlarms, 'solida-inventory-availability-ticket').AlarmActions).toEqual([TICKET_TOPIC]);
    expect(byName(a.compositeAlarms, 'solida-inventory-availability-page-1h').AlarmActions).toBeUndefined();
  });

  it('adds the reference architecture presets with its thresholds', () => {
    const five = byName(a.metricAlarms, 'solida-inventory-alb-5xx');
    expect(five).toMatchObject({ MetricName: 'HTTPCode_Target_5XX_Count', Statistic: 'Sum', Threshold: 100, Period: 300, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [PAGE_TOPIC] });
    expect(five.Dimensions).toEqual([{ Name: 'LoadBalancer', Value: LB }]);
    expect(byName(a.metricAlarms, 'solida-inventory-alb-p99')).toMatchObject({ ExtendedStatistic: 'p99', Threshold: 1 });
    expect(byName(a.metricAlarms, 'solida-inventory-rds-cpu')).toMatchObject({ Threshold: 80, Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'inventory-db' }] });
    expect(byName(a.metricAlarms, 'solida-inventory-rds-free-storage')).toMatchObject({ Threshold: 10737418240, ComparisonOperator: 'LessThanThreshold' });
    expect(byName(a.metricAlarms, 'solida-inventory-ecs-memory').Dimensions).toEqual([
      { Name: 'ClusterName', Value: 'prod' },
      { Name: 'ServiceName', Value: 'inventory' },
    ]);
  });

  it('lets presets be overridden or disabled, and uses the configured prefix', () => {
    const o = gen({ prefix: 'acme', presets: { 'alb-5xx': { threshold: 50, severity: 'ticket' }, 'ecs-memory': { enabled: false } } });
    expect(byName(o.metricAlarms, 'acme-inventory-alb-5xx')).toMatchObject({ Threshold: 50, AlarmActions: [TICKET_TOPIC] });
    expect(o.metricAlarms.some((m) => m.AlarmName === 'acme-inventory-ecs-memory')).toBe(false);
    expect([...o.metricAlarms, ...o.compositeAlarms].every((m) => m.AlarmName!.startsWith('acme-'))).toBe(true);
    expect(o.dashboards.map((d) => d.DashboardName)).toEqual(['acme-inventory']);
  });

  it('rejects a preset override that breaks the evaluation range', () => {
    expect(() => gen({ presets: { 'rds-cpu': { period: 3600, evaluationPeriods: 48 } } })).toThrow(SolidaError);
  });

  it('marks ownership with tags', () => {
    const m = byName(a.metricAlarms, 'solida-inventory-availability-page-1h-long');
    expect(m.Tags).toEqual(expect.arrayContaining([{ Key: 'managed-by', Value: 'solida' }, { Key: 'solida:slo', Value: 'availability' }]));
  });

  it('adds a no-data alarm that only missing data can raise, when the policy asks for one', () => {
    const model = inventoryModel();
    model.slos[0].alerting.noData = { enabled: true, for: { text: '10m', seconds: 600 }, severity: 'ticket' };
    const o = generateCloudWatch(model, resolveCloudWatchOptions());
    const nd = byName(o.metricAlarms, 'solida-inventory-availability-no-data');
    expect(nd).toMatchObject({ MetricName: 'RequestCount', Period: 60, EvaluationPeriods: 10, TreatMissingData: 'breaching', ComparisonOperator: 'LessThanThreshold', Threshold: 0 });
    expect(byName(o.compositeAlarms, 'solida-inventory-availability-ticket').AlarmRule).toContain('ALARM("solida-inventory-availability-no-data")');
  });
});

describe('dashboards', () => {
  const a = gen();
  const body = JSON.parse(a.dashboards[0].DashboardBody!);

  it('makes one dashboard per service on the 24-column grid', () => {
    expect(a.dashboards.map((d) => d.DashboardName)).toEqual(['solida-inventory']);
    expect(checkDashboard(a.dashboards[0])).toEqual([]);
    for (const w of body.widgets) expect(w.x + w.width).toBeLessThanOrEqual(24);
  });

  it('shows golden signals, SLO widgets, alarm states and runbooks', () => {
    const titles = body.widgets.map((w: { properties: { title?: string } }) => w.properties.title).filter(Boolean);
    expect(titles).toEqual(expect.arrayContaining([
      'Latency (ALB target response time)', 'Traffic (requests per minute)', 'ECS CPU / memory (%)', 'RDS CPU (%)',
      'RDS free storage (bytes)', 'SLI vs objective (%)', 'Burn rate per alerting window', 'SLO availability alarms',
    ]));
    const header = body.widgets[0];
    expect(header.type).toBe('text');
    expect(header.properties.markdown).toContain('https://runbooks.example.com/az-failure');
    const alarmWidget = body.widgets.find((w: { properties: { title?: string } }) => w.properties.title === 'SLO availability alarms');
    expect(alarmWidget.properties.alarms).toContain('arn:aws:cloudwatch:eu-west-1:123456789012:alarm:solida-inventory-availability-page');
  });

  it('plots burn rate for every distinct alerting window (5m 30m 1h 2h 6h 1d 3d)', () => {
    const burn = body.widgets.find((w: { properties: { title?: string } }) => w.properties.title === 'Burn rate per alerting window');
    const exprs = burn.properties.metrics.filter((l: unknown[]) => typeof l[0] === 'object').map((l: { label: string }[]) => l[0].label);
    expect(exprs).toEqual(['burn rate 5m', 'burn rate 30m', 'burn rate 1h', 'burn rate 2h', 'burn rate 6h', 'burn rate 1d', 'burn rate 3d']);
  });

  it('splits a service with very many SLOs into several dashboards within the limits', () => {
    const model = inventoryModel();
    model.slos = Array.from({ length: 120 }, (_, i) => ({ ...structuredClone(availability), id: `inventory-s${i}`, name: `s${i}` }));
    const o = generateCloudWatch(model, resolveCloudWatchOptions());
    expect(o.dashboards.length).toBeGreaterThan(1);
    expect(o.dashboards[1].DashboardName).toBe('solida-inventory-2');
    for (const d of o.dashboards) {
      expect(checkDashboard(d)).toEqual([]);
      const metrics = JSON.parse(d.DashboardBody!).widgets.reduce((n: number, w: { properties: { metrics?: unknown[] } }) => n + (w.properties.metrics?.length ?? 0), 0);
      expect(metrics).toBeLessThanOrEqual(2500);
    }
    const sloHeaders = o.dashboards.flatMap((d) => JSON.parse(d.DashboardBody!).widgets.filter((w: { properties: { markdown?: string } }) => w.properties.markdown?.startsWith('### SLO')));
    expect(sloHeaders).toHaveLength(120);
  });
});

describe('CloudWatch rule checks catch what the API model cannot', () => {
  const base = (): PutMetricAlarmInput => structuredClone(byName(gen().metricAlarms, 'solida-inventory-availability-page-1h-long'));

  it('more than 10 metrics in a math alarm', () => {
    const m = base();
    const stat = m.Metrics![0];
    m.Metrics = [...Array.from({ length: 11 }, (_, i) => ({ ...stat, Id: `m${i}` })), { Id: 'x', Expression: 'm0', ReturnData: true }];
    expect(checkMetricAlarm(m, 86400).map((p) => p.message).join()).toContain('at most 10');
  });

  it('zero or two ReturnData, unknown ids, bad periods', () => {
    const m = base();
    m.Metrics![0].ReturnData = undefined; // defaults to true
    expect(checkMetricAlarm(m, 86400).map((p) => p.message).join()).toContain('2 queries return data');
    const n = base();
    n.Metrics![3].Expression = 'e1/zz';
    expect(checkMetricAlarm(n, 86400).map((p) => p.message).join()).toContain('"zz"');
    const p = base();
    p.Metrics![0].MetricStat!.Period = 90;
    expect(checkMetricAlarm(p, 86400).map((x) => x.message).join()).toContain('90 s');
  });

  it('composites referencing missing alarms, and cycles', () => {
    expect(checkCompositeAlarms([{ AlarmName: 'a', AlarmRule: 'ALARM("x") AND OK(y)' }], new Set(['x'])).map((p) => p.message)).toEqual(['references "y", which is not generated']);
    const cyc = checkCompositeAlarms([{ AlarmName: 'a', AlarmRule: 'ALARM("b")' }, { AlarmName: 'b', AlarmRule: 'ALARM("a")' }], new Set());
    expect(cyc.some((p) => p.message.startsWith('cycle'))).toBe(true);
    expect(checkCompositeAlarms([{ AlarmName: 'a', AlarmRule: 'ALARM("x") AND' }], new Set(['x']))[0].message).toContain('does not parse');
  });

  it('dashboard names, overlaps and grid', () => {
    const widget = { type: 'text', x: 0, y: 0, width: 24, height: 2, properties: { markdown: 'x' } };
    expect(checkDashboard({ DashboardName: 'bad name', DashboardBody: JSON.stringify({ widgets: [] }) })[0].path).toContain('DashboardName');
    expect(checkDashboard({ DashboardName: 'd', DashboardBody: JSON.stringify({ widgets: [widget, { ...widget, y: 1 }] }) })[0].message).toContain('overlaps');
    expect(checkDashboard({ DashboardName: 'd', DashboardBody: JSON.stringify({ widgets: [{ ...widget, x: 1 }] }) })[0].message).toContain('24-column');
  });
});
