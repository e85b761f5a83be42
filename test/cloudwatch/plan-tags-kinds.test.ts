// Plan/apply gaps beyond create/update/delete: tag drift (PutMetricAlarm ignores Tags on update, so
// tags are read with ListTagsForResource and fixed with TagResource/UntagResource), an alarm that
// changes kind under the same name (AWS keeps one alarm per name: delete first, then create), and a
// desired name already held by an alarm solida does not own.
import { describe, expect, it } from 'vitest';
import { ListTagsForResourceCommand, PutCompositeAlarmCommand, PutMetricAlarmCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-cloudwatch';
import { applyCloudWatch, formatPlan, planCloudWatch } from '../../src/aws/cloudwatch-plan.ts';
import { generateCloudWatch, type CloudWatchArtifacts } from '../../src/cloudwatch/generate.ts';
import { resolveCloudWatchOptions, type CloudWatchOptionsInput } from '../../src/cloudwatch/options.ts';
import { FakeCloudWatch } from './fake-cloudwatch.ts';
import { SolidaError } from '../../src/util/errors.ts';
import { inventoryModel } from './fixtures.ts';

const desired = (o: CloudWatchOptionsInput = {}) => generateCloudWatch(inventoryModel(), resolveCloudWatchOptions(o));
const ARN = (name: string) => `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${name}`;

async function apply(cw: FakeCloudWatch, want: CloudWatchArtifacts, prune = false) {
  const plan = await planCloudWatch(cw.client, want);
  const result = await applyCloudWatch(cw.client, plan, { prune });
  return { plan, result };
}

const notUnchanged = (plan: Awaited<ReturnType<typeof planCloudWatch>>) => plan.changes.filter((c) => c.action !== 'unchanged');

describe('tag drift', () => {
  it('plans a tag-only change as an update of Tags, applies it with TagResource/UntagResource only, then is a no-op', async () => {
    const cw = new FakeCloudWatch();
    await apply(cw, desired({ tags: { team: 'inventory', cost: 'a1' } }));
    const alarmCount = cw.metric.size + cw.composite.size;
    cw.calls.length = 0;
    cw.mock.resetHistory();

    const { plan } = await apply(cw, desired({ tags: { team: 'platform' } }));
    const updates = plan.changes.filter((c) => c.action === 'update');
    expect(updates).toHaveLength(alarmCount);
    expect(updates.every((c) => c.kind !== 'dashboard' && JSON.stringify(c.fields) === '["Tags"]')).toBe(true);
    const p99 = updates.find((c) => c.name === 'solida-inventory-alb-p99')!;
    expect(p99.tags).toEqual({ arn: ARN('solida-inventory-alb-p99'), set: [{ Key: 'team', Value: 'platform' }], remove: ['cost'] });
    expect(formatPlan(plan, { prune: false })).toContain('~ metric-alarm solida-inventory-alb-p99 (Tags: +team=platform -cost)');
    // Tags read once per existing alarm (ownership and drift), no Put for a tag-only change.
    expect(cw.mock.commandCalls(ListTagsForResourceCommand)).toHaveLength(alarmCount);
    expect(cw.mock.commandCalls(PutMetricAlarmCommand)).toHaveLength(0);
    expect(cw.mock.commandCalls(PutCompositeAlarmCommand)).toHaveLength(0);
    expect(cw.mock.commandCalls(TagResourceCommand)).toHaveLength(alarmCount);
    expect(cw.mock.commandCalls(UntagResourceCommand)).toHaveLength(alarmCount);
    const tags = Object.fromEntries(cw.tags.get(ARN('solida-inventory-availability-page'))!.map((t) => [t.Key, t.Value]));
    expect(tags.team).toBe('platform');
    expect(tags['managed-by']).toBe('solida');
    expect('cost' in tags).toBe(false);

    cw.calls.length = 0;
    const again = await apply(cw, desired({ tags: { team: 'platform' } }));
    expect(notUnchanged(again.plan)).toEqual([]);
    expect(again.result.sent).toEqual([]);
    expect(cw.calls).toEqual([]);
  });

  it('sends both a Put and the tag calls when definition and tags change together', async () => {
    const cw = new FakeCloudWatch();
    await apply(cw, desired());
    cw.calls.length = 0;
    const { plan } = await apply(cw, desired({ tags: { team: 'inventory' }, presets: { 'alb-5xx': { threshold: 50 } } }));
    expect(plan.changes.find((c) => c.name === 'solida-inventory-alb-5xx')!.fields).toEqual(['AlarmDescription', 'Threshold', 'Tags']);
    expect(cw.calls.filter((c) => c.includes('solida-inventory-alb-5xx'))).toEqual([
      'PutMetricAlarm solida-inventory-alb-5xx',
      `TagResource ${ARN('solida-inventory-alb-5xx')}`,
    ]);
    expect(cw.metric.get('solida-inventory-alb-5xx')!.Threshold).toBe(50);
    expect(cw.tags.get(ARN('solida-inventory-alb-5xx'))).toContainEqual({ Key: 'team', Value: 'inventory' });
  });
});

describe('an alarm that changes kind under the same name', () => {
  it('composite → metric: deletes the composite (after the composite above it), then creates the metric alarm, without --prune', async () => {
    const cw = new FakeCloudWatch();
    const before = desired();
    await apply(cw, before);
    const tier = 'solida-inventory-availability-page-1h';
    const severity = 'solida-inventory-availability-page';
    expect(cw.composite.has(tier)).toBe(true);
    const after = desired();
    after.compositeAlarms = after.compositeAlarms.filter((c) => c.AlarmName !== tier);
    const long = after.metricAlarms.find((a) => a.AlarmName === `${tier}-long`)!;
    after.metricAlarms.push({ ...structuredClone(long), AlarmName: tier });
    cw.calls.length = 0;

    const { plan, result } = await apply(cw, after);
    const about = (name: string) => plan.changes.filter((c) => c.name === name).map((c) => `${c.action} ${c.kind}${c.replaced ? ' (replaced)' : ''}`);
    expect(about(tier)).toEqual(['delete composite-alarm (replaced)', 'create metric-alarm']);
    // The severity composite references the tier: it blocks the delete, so it is recreated too.
    expect(about(severity)).toEqual(['delete composite-alarm (replaced)', 'create composite-alarm']);
    expect(result.keptWithoutPrune).toEqual([]);
    expect(formatPlan(plan, { prune: false })).toContain('2 to replace (delete, then create)');
    expect(cw.calls).toEqual([
      `DeleteAlarms ${severity}`,
      `DeleteAlarms ${tier}`,
      `PutMetricAlarm ${tier}`,
      `PutCompositeAlarm ${severity}`,
    ]);
    expect(cw.metric.get(tier)!.Threshold).toBe(long.Threshold);
    expect(cw.composite.has(tier)).toBe(false);
    expect(cw.tags.get(ARN(tier))).toContainEqual({ Key: 'managed-by', Value: 'solida' });

    cw.calls.length = 0;
    const again = await apply(cw, after);
    expect(notUnchanged(again.plan)).toEqual([]);
    expect(cw.calls).toEqual([]);
  });

  it('metric → composite: deletes the metric alarm before PutCompositeAlarm', async () => {
    const cw = new FakeCloudWatch();
    await apply(cw, desired());
    const name = 'solida-inventory-alb-5xx';
    const after = desired();
    const old = after.metricAlarms.find((a) => a.AlarmName === name)!;
    after.metricAlarms = after.metricAlarms.filter((a) => a.AlarmName !== name);
    after.compositeAlarms.push({ AlarmName: name, AlarmRule: 'ALARM("solida-inventory-alb-p99")', Tags: old.Tags });
    cw.calls.length = 0;

    const { plan } = await apply(cw, after);
    expect(plan.changes.filter((c) => c.action !== 'unchanged')).toEqual([
      { kind: 'metric-alarm', name, action: 'delete', replaced: true },
      { kind: 'composite-alarm', name, action: 'create' },
    ]);
    expect(cw.calls).toEqual([`DeleteAlarms ${name}`, `PutCompositeAlarm ${name}`]);
    expect(cw.composite.get(name)!.AlarmRule).toBe('ALARM("solida-inventory-alb-p99")');
    expect(cw.metric.has(name)).toBe(false);
  });
});

describe('a desired name held by an alarm solida does not own', () => {
  it('is reported as foreign and neither written nor tagged', async () => {
    const cw = new FakeCloudWatch();
    cw.addForeignAlarm('solida-inventory-alb-5xx');
    const { plan } = await apply(cw, desired());
    expect(plan.foreign).toEqual(['solida-inventory-alb-5xx']);
    expect(plan.changes.some((c) => c.name === 'solida-inventory-alb-5xx')).toBe(false);
    expect(cw.calls.some((c) => c.includes('solida-inventory-alb-5xx'))).toBe(false);
    expect(cw.metric.get('solida-inventory-alb-5xx')!.Threshold).toBe(90);
    expect(cw.tags.get(ARN('solida-inventory-alb-5xx'))).toEqual([]);
  });
});

describe('composites solida does not manage that reference its alarms', () => {
  const foreign = (cw: FakeCloudWatch, name: string, rule: string) =>
    cw.composite.set(name, { AlarmName: name, AlarmRule: rule, AlarmArn: ARN(name), StateValue: 'OK' });

  it('a prune delete they block is shown in the plan and refused by apply before anything is sent', async () => {
    const cw = new FakeCloudWatch();
    await apply(cw, desired());
    const p99 = 'solida-inventory-alb-p99';
    // A team's own composite, outside solida's prefix, watching one of solida's alarms.
    foreign(cw, 'checkout-critical', `ALARM("${p99}") OR ALARM("solida-inventory-alb-5xx")`);
    const after = desired();
    after.metricAlarms = after.metricAlarms.filter((a) => a.AlarmName !== p99);
    after.dashboards = [];
    cw.calls.length = 0;

    const plan = await planCloudWatch(cw.client, after);
    expect(plan.changes.find((c) => c.name === p99)).toMatchObject({ action: 'delete', blockedBy: ['checkout-critical'] });
    expect(formatPlan(plan, { prune: true })).toContain(`- metric-alarm ${p99} (blocked: referenced by checkout-critical;`);
    // Deleting the dashboard is not blocked by anything.
    expect(plan.changes.filter((c) => c.blockedBy)).toHaveLength(1);

    const refused = await applyCloudWatch(cw.client, plan, { prune: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SolidaError);
    expect((refused as SolidaError).exitCode).toBe(2);
    expect((refused as SolidaError).problems).toEqual([
      expect.objectContaining({ path: p99, message: expect.stringContaining('checkout-critical'), fix: expect.stringContaining('without --prune') }),
    ]);
    expect(cw.calls).toEqual([]);
    expect(cw.metric.has(p99)).toBe(true);

    // Without --prune the delete is only reported as kept, and the rest applies.
    const kept = await applyCloudWatch(cw.client, plan, { prune: false });
    expect(kept.keptWithoutPrune).toContain(p99);
    expect(cw.calls.some((c) => c.startsWith('DeleteAlarms'))).toBe(false);

    // Once the team drops the reference, the prune goes through.
    foreign(cw, 'checkout-critical', 'ALARM("solida-inventory-alb-5xx")');
    const replan = await planCloudWatch(cw.client, after);
    expect(replan.changes.find((c) => c.name === p99)?.blockedBy).toBeUndefined();
    await applyCloudWatch(cw.client, replan, { prune: true });
    expect(cw.metric.has(p99)).toBe(false);
  });

  it('solida composites that stop referencing a pruned alarm in the same apply do not block it', async () => {
    const cw = new FakeCloudWatch();
    const before = desired();
    before.compositeAlarms.push({ AlarmName: 'solida-inventory-edge', AlarmRule: 'ALARM("solida-inventory-alb-p99") OR ALARM("solida-inventory-alb-5xx")', Tags: before.metricAlarms[0].Tags });
    await apply(cw, before);
    const after = desired();
    after.metricAlarms = after.metricAlarms.filter((a) => a.AlarmName !== 'solida-inventory-alb-p99');
    after.compositeAlarms.push({ AlarmName: 'solida-inventory-edge', AlarmRule: 'ALARM("solida-inventory-alb-5xx")', Tags: before.metricAlarms[0].Tags });
    const { plan } = await apply(cw, after, true);
    expect(plan.changes.filter((c) => c.blockedBy)).toEqual([]);
    expect(cw.metric.has('solida-inventory-alb-p99')).toBe(false);
  });

  it('a kind change they block is refused even without --prune', async () => {
    const cw = new FakeCloudWatch();
    await apply(cw, desired());
    const tier = 'solida-inventory-availability-page-1h';
    foreign(cw, 'oncall-rollup', `ALARM("${tier}")`);
    const after = desired();
    after.compositeAlarms = after.compositeAlarms.filter((c) => c.AlarmName !== tier && c.AlarmName !== 'solida-inventory-availability-page');
    const long = after.metricAlarms.find((a) => a.AlarmName === `${tier}-long`)!;
    after.metricAlarms.push({ ...structuredClone(long), AlarmName: tier });
    cw.calls.length = 0;
    const plan = await planCloudWatch(cw.client, after);
    expect(plan.changes.find((c) => c.name === tier && c.replaced)?.blockedBy).toEqual(['oncall-rollup']);
    await expect(applyCloudWatch(cw.client, plan, { prune: false })).rejects.toThrow(/still referenced by composite alarms/);
    expect(cw.calls).toEqual([]);
  });
});
