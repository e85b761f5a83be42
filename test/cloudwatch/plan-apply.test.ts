import { describe, expect, it } from 'vitest';
import { DescribeAlarmsCommand, ListDashboardsCommand } from '@aws-sdk/client-cloudwatch';
import { applyCloudWatch, formatPlan, planCloudWatch } from '../../src/aws/cloudwatch-plan.ts';
import { generateCloudWatch } from '../../src/cloudwatch/generate.ts';
import { resolveCloudWatchOptions, type CloudWatchOptionsInput } from '../../src/cloudwatch/options.ts';
import type { SolidaModel } from '../../src/slo/model.ts';
import { FakeCloudWatch } from './fake-cloudwatch.ts';
import { inventoryModel } from './fixtures.ts';

const desired = (model: SolidaModel = inventoryModel(), o: CloudWatchOptionsInput = {}) => generateCloudWatch(model, resolveCloudWatchOptions(o));

async function planAndApply(cw: FakeCloudWatch, model?: SolidaModel, o: CloudWatchOptionsInput = {}, prune = false) {
  const plan = await planCloudWatch(cw.client, desired(model, o));
  const result = await applyCloudWatch(cw.client, plan, { prune });
  return { plan, result };
}

const actions = (plan: Awaited<ReturnType<typeof planCloudWatch>>, action: string) => plan.changes.filter((c) => c.action === action).map((c) => c.name).sort();

describe('plan and apply against a mocked CloudWatch', () => {
  it('creates everything on first apply, children before composites, and leaves foreign alarms alone', async () => {
    const cw = new FakeCloudWatch();
    cw.addForeignAlarm('other-team-cpu');
    const want = desired();
    const { plan } = await planAndApply(cw);
    expect(actions(plan, 'create')).toHaveLength(want.metricAlarms.length + want.compositeAlarms.length + want.dashboards.length);
    expect(cw.metric.size).toBe(want.metricAlarms.length + 1);
    expect(cw.composite.size).toBe(want.compositeAlarms.length);
    expect([...cw.dashboards.keys()]).toEqual(['solida-inventory']);
    expect(cw.metric.get('other-team-cpu')!.Threshold).toBe(90);
    // Order: every metric alarm before any composite; each tier composite before its severity composite.
    const firstComposite = cw.calls.findIndex((c) => c.startsWith('PutCompositeAlarm'));
    const lastMetric = cw.calls.map((c) => c.startsWith('PutMetricAlarm')).lastIndexOf(true);
    expect(lastMetric).toBeLessThan(firstComposite);
    expect(cw.calls.indexOf('PutCompositeAlarm solida-inventory-availability-page-1h')).toBeLessThan(cw.calls.indexOf('PutCompositeAlarm solida-inventory-availability-page'));
    // Tags mark ownership.
    expect(cw.tags.get('arn:aws:cloudwatch:eu-west-1:123456789012:alarm:solida-inventory-alb-5xx')).toContainEqual({ Key: 'managed-by', Value: 'solida' });
  });

  it('reads every page and changes nothing on a second apply', async () => {
    const cw = new FakeCloudWatch(3, 1);
    await planAndApply(cw);
    cw.calls.length = 0;
    cw.mock.resetHistory();
    const { plan, result } = await planAndApply(cw);
    expect(actions(plan, 'create')).toEqual([]);
    expect(actions(plan, 'update')).toEqual([]);
    expect(actions(plan, 'delete')).toEqual([]);
    expect(result.sent).toEqual([]);
    expect(cw.calls).toEqual([]);
    const total = cw.metric.size + cw.composite.size;
    expect(cw.mock.commandCalls(DescribeAlarmsCommand)).toHaveLength(Math.ceil(total / 3));
    expect(cw.mock.commandCalls(DescribeAlarmsCommand)[1].args[0].input.NextToken).toBe('3');
    expect(formatPlan(plan, { prune: false })).toContain(`0 to create, 0 to update, 0 to delete (only with --prune), ${total + 1} unchanged`);
  });

  it('updates only what changed, naming the fields', async () => {
    const cw = new FakeCloudWatch();
    await planAndApply(cw);
    cw.calls.length = 0;
    const { plan } = await planAndApply(cw, undefined, { presets: { 'alb-5xx': { threshold: 50 } } });
    expect(plan.changes.filter((c) => c.action === 'update')).toEqual([
      { kind: 'metric-alarm', name: 'solida-inventory-alb-5xx', action: 'update', fields: ['AlarmDescription', 'Threshold'] },
    ]);
    expect(cw.calls).toEqual(['PutMetricAlarm solida-inventory-alb-5xx']);
    expect(cw.metric.get('solida-inventory-alb-5xx')!.Threshold).toBe(50);
  });

  it('deletes removed resources only with prune, composites before their children, and never foreign ones', async () => {
    const cw = new FakeCloudWatch();
    cw.addForeignAlarm('solida-hand-made'); // under the prefix, but not tagged by solida
    cw.dashboards.set('solida-hand-made', JSON.stringify({ widgets: [] }));
    await planAndApply(cw);
    const model = inventoryModel();
    model.slos = model.slos.filter((s) => s.name !== 'latency');

    const kept = await planAndApply(cw, model);
    const latency = actions(kept.plan, 'delete');
    expect(latency).toHaveLength(8 + 6);
    expect(latency.every((n) => n.startsWith('solida-inventory-latency-'))).toBe(true);
    expect(kept.result.keptWithoutPrune.sort()).toEqual(latency);
    expect(kept.plan.foreign.sort()).toEqual(['solida-hand-made', 'solida-hand-made']);
    expect(cw.metric.has('solida-inventory-latency-page-1h-long')).toBe(true);

    cw.calls.length = 0;
    await planAndApply(cw, model, {}, true);
    expect([...cw.metric.keys(), ...cw.composite.keys()].some((n) => n.includes('latency'))).toBe(false);
    expect(cw.metric.has('solida-hand-made')).toBe(true);
    expect(cw.dashboards.has('solida-hand-made')).toBe(true);
    const deletes = cw.calls.filter((c) => c.startsWith('DeleteAlarms'));
    expect(deletes.indexOf('DeleteAlarms solida-inventory-latency-page')).toBeLessThan(deletes.indexOf('DeleteAlarms solida-inventory-latency-page-1h'));
    expect(deletes.at(-1)).toContain('solida-inventory-latency-page-1h-long');
  });

  it('prunes a dashboard solida made and no longer wants', async () => {
    const cw = new FakeCloudWatch();
    await planAndApply(cw);
    const model = inventoryModel();
    model.services[0].name = 'stock';
    model.slos = [];
    const { plan } = await planAndApply(cw, model, {}, true);
    expect(plan.changes.filter((c) => c.kind === 'dashboard').map((c) => `${c.action} ${c.name}`).sort()).toEqual(['create solida-stock', 'delete solida-inventory']);
    expect([...cw.dashboards.keys()]).toEqual(['solida-stock']);
    expect(cw.mock.commandCalls(ListDashboardsCommand).length).toBeGreaterThan(0);
  });

  it('never overwrites a dashboard solida did not write unless adopting, and never prunes one', async () => {
    const cw = new FakeCloudWatch();
    // Someone else's dashboard with the name solida wants, and two under the prefix that merely look like solida's.
    const theirs = JSON.stringify({ widgets: [{ type: 'text', x: 0, y: 0, width: 6, height: 2, properties: { markdown: 'ours' } }] });
    cw.dashboards.set('solida-inventory', theirs);
    cw.dashboards.set('solida-lookalike', JSON.stringify({ widgets: [{ type: 'text', x: 0, y: 0, width: 6, height: 2, properties: { markdown: 'Managed by solida' } }] }));
    const plan = await planCloudWatch(cw.client, desired());
    expect(plan.dashboardConflicts).toEqual(['solida-inventory']);
    expect(formatPlan(plan, { prune: true })).toContain('apply refuses (use --adopt');
    const callsBefore = cw.calls.length;
    await expect(applyCloudWatch(cw.client, plan, { prune: true })).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('refusing to overwrite 1 dashboard') });
    expect(cw.calls.length).toBe(callsBefore);
    expect(cw.dashboards.get('solida-inventory')).toBe(theirs);

    // Taken over on purpose: written, and from then on provably solida's.
    const adopted = await planCloudWatch(cw.client, desired(), { adopt: true });
    expect(adopted.adopted).toEqual(['solida-inventory']);
    await applyCloudWatch(cw.client, adopted, { prune: true });
    expect(cw.dashboards.get('solida-inventory')).toBe(desired().dashboards[0].DashboardBody);
    expect(cw.dashboards.has('solida-lookalike')).toBe(true);

    // A copy of solida's body under another name proves nothing either; an edit in the console makes it foreign.
    cw.dashboards.set('solida-copy', desired().dashboards[0].DashboardBody!);
    cw.dashboards.set('solida-inventory', cw.dashboards.get('solida-inventory')!.replace('"height":', '"height": 1, "h":'));
    const later = await planCloudWatch(cw.client, desired());
    expect(later.changes.filter((c) => c.kind === 'dashboard' && c.action === 'delete')).toEqual([]);
    expect(later.dashboardConflicts).toEqual(['solida-inventory']);
  });

  it('only ever asks for names under the prefix', async () => {
    const cw = new FakeCloudWatch();
    await planAndApply(cw, undefined, { prefix: 'acme' });
    for (const call of cw.mock.commandCalls(DescribeAlarmsCommand)) expect(call.args[0].input.AlarmNamePrefix).toBe('acme-');
    for (const call of cw.mock.commandCalls(ListDashboardsCommand)) expect(call.args[0].input.DashboardNamePrefix).toBe('acme-');
  });
});
