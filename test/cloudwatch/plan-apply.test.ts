// plan/apply against a real moto_server (the CloudWatch wire protocol, written independently of solida).
// Only what moto 5.2.1 lacks — composite alarms, ParentsOfAlarmName, result pages — is served by the in-repo
// gap fake in front of it (test/support/cloudwatch-gaps.ts), which also checks every request against the
// CloudWatch API model as sent on the wire.
import { describe, expect, it } from 'vitest';
import { applyCloudWatch, formatPlan, planCloudWatch } from '../../src/aws/cloudwatch-plan.ts';
import { generateCloudWatch } from '../../src/cloudwatch/generate.ts';
import { resolveCloudWatchOptions, type CloudWatchOptionsInput } from '../../src/cloudwatch/options.ts';
import type { SolidaModel } from '../../src/slo/model.ts';
import { useCloudWatchAccount } from '../support/cloudwatch-account.ts';
import { inventoryModel } from './fixtures.ts';

// One account per file, emptied before each test; every request solida sent must match the API model.
const account = useCloudWatchAccount();

const desired = (model: SolidaModel = inventoryModel(), o: CloudWatchOptionsInput = {}) => generateCloudWatch(model, resolveCloudWatchOptions(o));

async function planAndApply(model?: SolidaModel, o: CloudWatchOptionsInput = {}, prune = false) {
  const plan = await planCloudWatch(account().client, desired(model, o));
  const result = await applyCloudWatch(account().client, plan, { prune });
  return { plan, result };
}

const actions = (plan: Awaited<ReturnType<typeof planCloudWatch>>, action: string) => plan.changes.filter((c) => c.action === action).map((c) => c.name).sort();

describe('plan and apply against moto_server', () => {
  it('creates everything on first apply, children before composites, and leaves foreign alarms alone', async () => {
    await account().addForeignAlarm('other-team-cpu');
    const want = desired();
    const { plan } = await planAndApply();
    expect(actions(plan, 'create')).toHaveLength(want.metricAlarms.length + want.compositeAlarms.length + want.dashboards.length);
    expect(await account().alarmNames()).toEqual([...want.metricAlarms, ...want.compositeAlarms].map((a) => a.AlarmName).concat('other-team-cpu').sort());
    expect([...account().gaps.composites.keys()].sort()).toEqual(want.compositeAlarms.map((c) => c.AlarmName).sort());
    expect(await account().dashboardNames()).toEqual(['solida-inventory']);
    expect((await account().metricAlarm('other-team-cpu'))!.Threshold).toBe(90);
    // Metric math survives the round trip through moto.
    const long = want.metricAlarms.find((a) => a.AlarmName === 'solida-inventory-availability-page-1h-long')!;
    expect((await account().metricAlarm(long.AlarmName!))!.Metrics!.map((m) => m.Expression ?? m.MetricStat?.Metric?.MetricName)).toEqual(long.Metrics!.map((m) => m.Expression ?? m.MetricStat?.Metric?.MetricName));
    // Order: every metric alarm before any composite; each tier composite before its severity composite.
    const calls = account().gaps.mutations();
    const firstComposite = calls.findIndex((c) => c.startsWith('PutCompositeAlarm'));
    const lastMetric = calls.map((c) => c.startsWith('PutMetricAlarm')).lastIndexOf(true);
    expect(lastMetric).toBeLessThan(firstComposite);
    expect(calls.indexOf('PutCompositeAlarm solida-inventory-availability-page-1h')).toBeLessThan(calls.indexOf('PutCompositeAlarm solida-inventory-availability-page'));
    // Tags mark ownership (read back from moto).
    expect(await account().tags('solida-inventory-alb-5xx')).toContainEqual({ Key: 'managed-by', Value: 'solida' });
  });

  it('reads every page and changes nothing on a second apply', async () => {
    await account().reset({ alarms: 3, dashboards: 1 });
    await account().putDashboard('solida-hand-made', JSON.stringify({ widgets: [] }));
    await planAndApply();
    account().gaps.clearCalls();
    const { plan, result } = await planAndApply();
    expect(actions(plan, 'create')).toEqual([]);
    expect(actions(plan, 'update')).toEqual([]);
    expect(actions(plan, 'delete')).toEqual([]);
    expect(result.sent).toEqual([]);
    expect(account().gaps.mutations()).toEqual([]);
    const total = (await account().alarmNames()).length;
    const describes = account().gaps.requests('DescribeAlarms');
    expect(describes).toHaveLength(Math.ceil(total / 3));
    expect(describes[1].NextToken).toBe('3');
    expect(account().gaps.requests('ListDashboards').map((r) => r.NextToken)).toEqual([undefined, '1']);
    expect(formatPlan(plan, { prune: false })).toContain(`0 to create, 0 to update, 0 to delete (only with --prune), ${total + 1} unchanged`);
  });

  it('updates only what changed, naming the fields', async () => {
    await planAndApply();
    account().gaps.clearCalls();
    const { plan } = await planAndApply(undefined, { presets: { 'alb-5xx': { threshold: 50 } } });
    expect(plan.changes.filter((c) => c.action === 'update')).toEqual([
      { kind: 'metric-alarm', name: 'solida-inventory-alb-5xx', action: 'update', fields: ['AlarmDescription', 'Threshold'] },
    ]);
    expect(account().gaps.mutations()).toEqual(['PutMetricAlarm solida-inventory-alb-5xx']);
    expect((await account().metricAlarm('solida-inventory-alb-5xx'))!.Threshold).toBe(50);
  });

  it('deletes removed resources only with prune, composites before their children, and never foreign ones', async () => {
    await account().addForeignAlarm('solida-hand-made'); // under the prefix, but not tagged by solida
    await account().putDashboard('solida-hand-made', JSON.stringify({ widgets: [] }));
    await planAndApply();
    const model = inventoryModel();
    model.slos = model.slos.filter((s) => s.name !== 'latency');

    const kept = await planAndApply(model);
    const latency = actions(kept.plan, 'delete');
    expect(latency).toHaveLength(8 + 6);
    expect(latency.every((n) => n.startsWith('solida-inventory-latency-'))).toBe(true);
    expect(kept.result.keptWithoutPrune.sort()).toEqual(latency);
    expect(kept.plan.foreign.sort()).toEqual(['solida-hand-made', 'solida-hand-made']);
    expect(await account().metricAlarm('solida-inventory-latency-page-1h-long')).toBeDefined();

    account().gaps.clearCalls();
    await planAndApply(model, {}, true);
    const names = await account().alarmNames();
    expect(names.some((n) => n.includes('latency'))).toBe(false);
    expect(names).toContain('solida-hand-made');
    expect(await account().dashboardNames()).toContain('solida-hand-made');
    const deletes = account().gaps.mutations().filter((c) => c.startsWith('DeleteAlarms'));
    expect(deletes.indexOf('DeleteAlarms solida-inventory-latency-page')).toBeLessThan(deletes.indexOf('DeleteAlarms solida-inventory-latency-page-1h'));
    expect(deletes.at(-1)).toContain('solida-inventory-latency-page-1h-long');
  });

  it('prunes a dashboard solida made and no longer wants', async () => {
    await planAndApply();
    const model = inventoryModel();
    model.services[0].name = 'stock';
    model.slos = [];
    account().gaps.clearCalls();
    const { plan } = await planAndApply(model, {}, true);
    expect(plan.changes.filter((c) => c.kind === 'dashboard').map((c) => `${c.action} ${c.name}`).sort()).toEqual(['create solida-stock', 'delete solida-inventory']);
    expect(await account().dashboardNames()).toEqual(['solida-stock']);
    expect(account().gaps.requests('ListDashboards').length).toBeGreaterThan(0);
  });

  it('never overwrites a dashboard solida did not write unless adopting, and never prunes one', async () => {
    // Someone else's dashboard with the name solida wants, and one under the prefix that merely looks like solida's.
    const theirs = JSON.stringify({ widgets: [{ type: 'text', x: 0, y: 0, width: 6, height: 2, properties: { markdown: 'ours' } }] });
    await account().putDashboard('solida-inventory', theirs);
    await account().putDashboard('solida-lookalike', JSON.stringify({ widgets: [{ type: 'text', x: 0, y: 0, width: 6, height: 2, properties: { markdown: 'Managed by solida' } }] }));
    const plan = await planCloudWatch(account().client, desired());
    expect(plan.dashboardConflicts).toEqual(['solida-inventory']);
    expect(formatPlan(plan, { prune: true })).toContain('apply refuses (use --adopt');
    account().gaps.clearCalls();
    await expect(applyCloudWatch(account().client, plan, { prune: true })).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('refusing to overwrite 1 dashboard') });
    expect(account().gaps.mutations()).toEqual([]);
    expect(await account().dashboardBody('solida-inventory')).toBe(theirs);

    // Taken over on purpose: written, and from then on provably solida's.
    const adopted = await planCloudWatch(account().client, desired(), { adopt: true });
    expect(adopted.adopted).toEqual(['solida-inventory']);
    await applyCloudWatch(account().client, adopted, { prune: true });
    expect(await account().dashboardBody('solida-inventory')).toBe(desired().dashboards[0].DashboardBody);
    expect(await account().dashboardNames()).toContain('solida-lookalike');

    // A copy of solida's body under another name proves nothing either; an edit in the console makes it foreign.
    await account().putDashboard('solida-copy', desired().dashboards[0].DashboardBody!);
    await account().putDashboard('solida-inventory', (await account().dashboardBody('solida-inventory'))!.replace('"height":', '"height": 1, "h":'));
    const later = await planCloudWatch(account().client, desired());
    expect(later.changes.filter((c) => c.kind === 'dashboard' && c.action === 'delete')).toEqual([]);
    expect(later.dashboardConflicts).toEqual(['solida-inventory']);
  });

  it('only ever asks for names under the prefix', async () => {
    await planAndApply(undefined, { prefix: 'acme' });
    const describes = account().gaps.requests('DescribeAlarms').filter((r) => r.ParentsOfAlarmName === undefined);
    expect(describes.length).toBeGreaterThan(0);
    for (const input of describes) expect(input.AlarmNamePrefix).toBe('acme-');
    for (const input of account().gaps.requests('ListDashboards')) expect(input.DashboardNamePrefix).toBe('acme-');
  });
});
