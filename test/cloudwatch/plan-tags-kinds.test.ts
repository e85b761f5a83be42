// Plan/apply gaps beyond create/update/delete, against a real moto_server (composites and
// ParentsOfAlarmName through the in-repo gap fake for what moto lacks, test/support/cloudwatch-gaps.ts):
// tag drift (PutMetricAlarm ignores Tags on update, so tags are read with ListTagsForResource and fixed
// with TagResource/UntagResource), an alarm that changes kind under the same name (AWS keeps one alarm per
// name: delete first, then create), and a desired name already held by an alarm solida does not own.
import { describe, expect, it } from 'vitest';
import { applyCloudWatch, formatPlan, planCloudWatch } from '../../src/aws/cloudwatch-plan.ts';
import { generateCloudWatch, type CloudWatchArtifacts } from '../../src/cloudwatch/generate.ts';
import { resolveCloudWatchOptions, type CloudWatchOptionsInput } from '../../src/cloudwatch/options.ts';
import { SolidaError } from '../../src/util/errors.ts';
import { useCloudWatchAccount } from '../support/cloudwatch-account.ts';
import { inventoryModel } from './fixtures.ts';

// One account per file, emptied before each test; every request solida sent must match the API model.
const account = useCloudWatchAccount();

const desired = (o: CloudWatchOptionsInput = {}) => generateCloudWatch(inventoryModel(), resolveCloudWatchOptions(o));

async function apply(want: CloudWatchArtifacts, prune = false) {
  const plan = await planCloudWatch(account().client, want);
  const result = await applyCloudWatch(account().client, plan, { prune });
  return { plan, result };
}

const notUnchanged = (plan: Awaited<ReturnType<typeof planCloudWatch>>) => plan.changes.filter((c) => c.action !== 'unchanged');
const tagMap = async (name: string) => Object.fromEntries((await account().tags(name)).map((t) => [t.Key, t.Value]));

describe('tag drift', () => {
  it('plans a tag-only change as an update of Tags, applies it with TagResource/UntagResource only, then is a no-op', async () => {
    await apply(desired({ tags: { team: 'inventory', cost: 'a1' } }));
    const alarmCount = (await account().alarmNames()).length;
    account().gaps.clearCalls();

    const { plan } = await apply(desired({ tags: { team: 'platform' } }));
    const updates = plan.changes.filter((c) => c.action === 'update');
    expect(updates).toHaveLength(alarmCount);
    expect(updates.every((c) => c.kind !== 'dashboard' && JSON.stringify(c.fields) === '["Tags"]')).toBe(true);
    const p99 = updates.find((c) => c.name === 'solida-inventory-alb-p99')!;
    expect(p99.tags).toEqual({ arn: account().arn('solida-inventory-alb-p99'), set: [{ Key: 'team', Value: 'platform' }], remove: ['cost'] });
    expect(formatPlan(plan, { prune: false })).toContain('~ metric-alarm solida-inventory-alb-p99 (Tags: +team=platform -cost)');
    // Tags read once per existing alarm (ownership and drift), no Put for a tag-only change.
    expect(account().gaps.requests('ListTagsForResource')).toHaveLength(alarmCount);
    expect(account().gaps.requests('PutMetricAlarm')).toHaveLength(0);
    expect(account().gaps.requests('PutCompositeAlarm')).toHaveLength(0);
    expect(account().gaps.requests('TagResource')).toHaveLength(alarmCount);
    expect(account().gaps.requests('UntagResource')).toHaveLength(alarmCount);
    // A composite's tags (the gap fake's) and a metric alarm's (moto's) both end as wanted.
    expect(await tagMap('solida-inventory-alb-p99')).toMatchObject({ team: 'platform', 'managed-by': 'solida' });
    expect('cost' in (await tagMap('solida-inventory-alb-p99'))).toBe(false);
    const tags = await tagMap('solida-inventory-availability-page');
    expect(tags.team).toBe('platform');
    expect(tags['managed-by']).toBe('solida');
    expect('cost' in tags).toBe(false);

    account().gaps.clearCalls();
    const again = await apply(desired({ tags: { team: 'platform' } }));
    expect(notUnchanged(again.plan)).toEqual([]);
    expect(again.result.sent).toEqual([]);
    expect(account().gaps.mutations()).toEqual([]);
  });

  it('sends both a Put and the tag calls when definition and tags change together', async () => {
    await apply(desired());
    account().gaps.clearCalls();
    const { plan } = await apply(desired({ tags: { team: 'inventory' }, presets: { 'alb-5xx': { threshold: 50 } } }));
    expect(plan.changes.find((c) => c.name === 'solida-inventory-alb-5xx')!.fields).toEqual(['AlarmDescription', 'Threshold', 'Tags']);
    expect(account().gaps.mutations().filter((c) => c.includes('solida-inventory-alb-5xx'))).toEqual([
      'PutMetricAlarm solida-inventory-alb-5xx',
      `TagResource ${account().arn('solida-inventory-alb-5xx')}`,
    ]);
    expect((await account().metricAlarm('solida-inventory-alb-5xx'))!.Threshold).toBe(50);
    expect(await account().tags('solida-inventory-alb-5xx')).toContainEqual({ Key: 'team', Value: 'inventory' });
  });
});

describe('an alarm that changes kind under the same name', () => {
  it('composite → metric: deletes the composite (after the composite above it), then creates the metric alarm, without --prune', async () => {
    const before = desired();
    await apply(before);
    const tier = 'solida-inventory-availability-page-1h';
    const severity = 'solida-inventory-availability-page';
    expect(account().gaps.composites.has(tier)).toBe(true);
    const after = desired();
    after.compositeAlarms = after.compositeAlarms.filter((c) => c.AlarmName !== tier);
    const long = after.metricAlarms.find((a) => a.AlarmName === `${tier}-long`)!;
    after.metricAlarms.push({ ...structuredClone(long), AlarmName: tier });
    account().gaps.clearCalls();

    const { plan, result } = await apply(after);
    const about = (name: string) => plan.changes.filter((c) => c.name === name).map((c) => `${c.action} ${c.kind}${c.replaced ? ' (replaced)' : ''}`);
    expect(about(tier)).toEqual(['delete composite-alarm (replaced)', 'create metric-alarm']);
    // The severity composite references the tier: it blocks the delete, so it is recreated too.
    expect(about(severity)).toEqual(['delete composite-alarm (replaced)', 'create composite-alarm']);
    expect(result.keptWithoutPrune).toEqual([]);
    expect(formatPlan(plan, { prune: false })).toContain('2 to replace (delete, then create)');
    expect(account().gaps.mutations()).toEqual([
      `DeleteAlarms ${severity}`,
      `DeleteAlarms ${tier}`,
      `PutMetricAlarm ${tier}`,
      `PutCompositeAlarm ${severity}`,
    ]);
    expect((await account().metricAlarm(tier))!.Threshold).toBe(long.Threshold);
    expect(account().gaps.composites.has(tier)).toBe(false);
    expect(await account().tags(tier)).toContainEqual({ Key: 'managed-by', Value: 'solida' });

    account().gaps.clearCalls();
    const again = await apply(after);
    expect(notUnchanged(again.plan)).toEqual([]);
    expect(account().gaps.mutations()).toEqual([]);
  });

  it('metric → composite: deletes the metric alarm before PutCompositeAlarm', async () => {
    await apply(desired());
    const name = 'solida-inventory-alb-5xx';
    const after = desired();
    const old = after.metricAlarms.find((a) => a.AlarmName === name)!;
    after.metricAlarms = after.metricAlarms.filter((a) => a.AlarmName !== name);
    after.compositeAlarms.push({ AlarmName: name, AlarmRule: 'ALARM("solida-inventory-alb-p99")', Tags: old.Tags });
    account().gaps.clearCalls();

    const { plan } = await apply(after);
    expect(plan.changes.filter((c) => c.action !== 'unchanged')).toEqual([
      { kind: 'metric-alarm', name, action: 'delete', replaced: true },
      { kind: 'composite-alarm', name, action: 'create' },
    ]);
    expect(account().gaps.mutations()).toEqual([`DeleteAlarms ${name}`, `PutCompositeAlarm ${name}`]);
    expect(account().gaps.composites.get(name)!.AlarmRule).toBe('ALARM("solida-inventory-alb-p99")');
    expect(await account().metricAlarm(name)).toBeUndefined();
  });
});

describe('a desired name held by an alarm solida does not own', () => {
  it('is reported as foreign and neither written nor tagged', async () => {
    await account().addForeignAlarm('solida-inventory-alb-5xx');
    const { plan } = await apply(desired());
    expect(plan.foreign).toEqual(['solida-inventory-alb-5xx']);
    expect(plan.changes.some((c) => c.name === 'solida-inventory-alb-5xx')).toBe(false);
    expect(account().gaps.mutations().some((c) => c.includes('solida-inventory-alb-5xx'))).toBe(false);
    expect((await account().metricAlarm('solida-inventory-alb-5xx'))!.Threshold).toBe(90);
    expect(await account().tags('solida-inventory-alb-5xx')).toEqual([]);
  });
});

describe('composites solida does not manage that reference its alarms', () => {
  // A team's own composite (PutCompositeAlarm, so the gap fake's), not tagged by solida.
  const foreign = (name: string, rule: string) => account().putForeignComposite(name, rule);

  it('a prune delete they block is shown in the plan and refused by apply before anything is sent', async () => {
    await apply(desired());
    const p99 = 'solida-inventory-alb-p99';
    // A team's own composite, outside solida's prefix, watching one of solida's alarms.
    await foreign('checkout-critical', `ALARM("${p99}") OR ALARM("solida-inventory-alb-5xx")`);
    const after = desired();
    after.metricAlarms = after.metricAlarms.filter((a) => a.AlarmName !== p99);
    after.dashboards = [];
    account().gaps.clearCalls();

    const plan = await planCloudWatch(account().client, after);
    expect(plan.changes.find((c) => c.name === p99)).toMatchObject({ action: 'delete', blockedBy: ['checkout-critical'] });
    expect(formatPlan(plan, { prune: true })).toContain(`- metric-alarm ${p99} (blocked: referenced by checkout-critical;`);
    // Deleting the dashboard is not blocked by anything.
    expect(plan.changes.filter((c) => c.blockedBy)).toHaveLength(1);

    const refused = await applyCloudWatch(account().client, plan, { prune: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SolidaError);
    expect((refused as SolidaError).exitCode).toBe(2);
    expect((refused as SolidaError).problems).toEqual([
      expect.objectContaining({ path: p99, message: expect.stringContaining('checkout-critical'), fix: expect.stringContaining('without --prune') }),
    ]);
    expect(account().gaps.mutations()).toEqual([]);
    expect(await account().metricAlarm(p99)).toBeDefined();

    // Without --prune the delete is only reported as kept, and the rest applies.
    const kept = await applyCloudWatch(account().client, plan, { prune: false });
    expect(kept.keptWithoutPrune).toContain(p99);
    expect(account().gaps.mutations().some((c) => c.startsWith('DeleteAlarms'))).toBe(false);

    // Once the team drops the reference, the prune goes through.
    await foreign('checkout-critical', 'ALARM("solida-inventory-alb-5xx")');
    const replan = await planCloudWatch(account().client, after);
    expect(replan.changes.find((c) => c.name === p99)?.blockedBy).toBeUndefined();
    await applyCloudWatch(account().client, replan, { prune: true });
    expect(await account().metricAlarm(p99)).toBeUndefined();
  });

  it('solida composites that stop referencing a pruned alarm in the same apply do not block it', async () => {
    const before = desired();
    before.compositeAlarms.push({ AlarmName: 'solida-inventory-edge', AlarmRule: 'ALARM("solida-inventory-alb-p99") OR ALARM("solida-inventory-alb-5xx")', Tags: before.metricAlarms[0].Tags });
    await apply(before);
    const after = desired();
    after.metricAlarms = after.metricAlarms.filter((a) => a.AlarmName !== 'solida-inventory-alb-p99');
    after.compositeAlarms.push({ AlarmName: 'solida-inventory-edge', AlarmRule: 'ALARM("solida-inventory-alb-5xx")', Tags: before.metricAlarms[0].Tags });
    const { plan } = await apply(after, true);
    expect(plan.changes.filter((c) => c.blockedBy)).toEqual([]);
    expect(await account().metricAlarm('solida-inventory-alb-p99')).toBeUndefined();
  });

  it('a kind change they block is refused even without --prune', async () => {
    await apply(desired());
    const tier = 'solida-inventory-availability-page-1h';
    await foreign('oncall-rollup', `ALARM("${tier}")`);
    const after = desired();
    after.compositeAlarms = after.compositeAlarms.filter((c) => c.AlarmName !== tier && c.AlarmName !== 'solida-inventory-availability-page');
    const long = after.metricAlarms.find((a) => a.AlarmName === `${tier}-long`)!;
    after.metricAlarms.push({ ...structuredClone(long), AlarmName: tier });
    account().gaps.clearCalls();
    const plan = await planCloudWatch(account().client, after);
    expect(plan.changes.find((c) => c.name === tier && c.replaced)?.blockedBy).toEqual(['oncall-rollup']);
    await expect(applyCloudWatch(account().client, plan, { prune: false })).rejects.toThrow(/still referenced by composite alarms/);
    expect(account().gaps.mutations()).toEqual([]);
  });
});

describe('--skip-composites (an endpoint without PutCompositeAlarm)', () => {
  it('neither writes nor deletes composites, even with --prune, and still applies the rest', async () => {
    await apply(desired());
    const composites = [...account().gaps.composites.keys()].sort();
    expect(composites.length).toBeGreaterThan(0);
    account().gaps.clearCalls();
    const changed = desired({ presets: { 'alb-5xx': { threshold: 50 } } });
    const plan = await planCloudWatch(account().client, changed, { skipComposites: true });
    expect(plan.changes.filter((c) => c.kind === 'composite-alarm')).toEqual([]);
    expect(notUnchanged(plan).map((c) => `${c.action} ${c.name}`)).toEqual(['update solida-inventory-alb-5xx']);
    await applyCloudWatch(account().client, plan, { prune: true });
    expect(account().gaps.mutations()).toEqual(['PutMetricAlarm solida-inventory-alb-5xx']);
    expect([...account().gaps.composites.keys()].sort()).toEqual(composites);
  });
});
