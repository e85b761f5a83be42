// plan → apply → plan → change the spec → apply --prune, through the CLI (in-process, the user's
// AWS_ENDPOINT_URL override), against a real moto_server. What moto 5.2.1 lacks — composite alarms,
// ParentsOfAlarmName, AlarmTypes, result pages — goes through the in-repo gap fake in front of it
// (test/support/cloudwatch-gaps.ts); the first test here proves each of those is still a gap in moto.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, DescribeAlarmsCommand, ListDashboardsCommand, PutCompositeAlarmCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { DUMMY_CREDENTIALS, MOTO_ACCOUNT, MOTO_REGION } from '../support/moto.ts';
import { startCloudWatchAccount, type CloudWatchAccount } from '../support/cloudwatch-account.ts';
import { runSolida, type CliRunOptions } from '../support/cli.ts';

let cw: CloudWatchAccount;
let dir: string;

// Another team's alarms under solida's prefix: with solida's own they pass 100, AWS's largest DescribeAlarms
// page, so the plan reads two real-size pages.
const FOREIGN_ALARMS = 90;

function spec(slos: string[]) {
  const all: Record<string, unknown> = {
    availability: { service: 'inventory', name: 'availability', objective: 99.9, window: '30d', sli: { golden: { signal: 'availability' } } },
    latency: { service: 'inventory', name: 'latency', objective: 99, window: '30d', sli: { golden: { signal: 'latency', threshold: '300ms' } } },
  };
  return JSON.stringify({
    services: [{
      name: 'inventory',
      aws: {
        region: MOTO_REGION,
        alb: { loadBalancer: 'app/inventory-alb/50dc6c495c0c9188', targetGroup: 'targetgroup/inventory-tg/943f017f100becff' },
        rds: { instance: 'inventory-db', engine: 'postgres' },
        sns: { page: `arn:aws:sns:${MOTO_REGION}:${MOTO_ACCOUNT}:inventory-page`, ticket: `arn:aws:sns:${MOTO_REGION}:${MOTO_ACCOUNT}:inventory-ticket` },
      },
    }],
    slos: slos.map((s) => all[s]),
  });
}

/** The CLI in-process with the account's endpoint and dummy credentials, and nothing that could reach a real account. */
function solida(argv: string[], extra: Record<string, string | undefined> = {}, opts: Omit<CliRunOptions, 'env'> = {}) {
  return runSolida(argv, {
    ...opts,
    env: {
      ...cw.env,
      AWS_PROFILE: undefined,
      AWS_DEFAULT_PROFILE: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_ENDPOINT_URL_CLOUDWATCH: undefined,
      AWS_DEFAULT_REGION: undefined,
      ...extra,
    },
  });
}

beforeAll(async () => {
  cw = await startCloudWatchAccount();
  dir = await mkdtemp(join(tmpdir(), 'solida-moto-cw-'));
}, 120_000);
afterAll(async () => {
  await cw?.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await cw.reset();
});
afterEach(() => {
  // Every request solida sent matched the CloudWatch API model (checked by the gap fake as it crossed the wire).
  expect(cw.gaps.invalid).toEqual([]);
});

describe('what the gap fake serves is what moto_server 5.2.1 lacks', () => {
  it('moto refuses PutCompositeAlarm and ignores paging, ParentsOfAlarmName and AlarmTypes', async () => {
    const direct = new CloudWatchClient({ region: MOTO_REGION, endpoint: cw.moto.url, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
    for (const name of ['gap-a', 'gap-b', 'gap-c']) {
      await direct.send(new PutMetricAlarmCommand({ AlarmName: name, Namespace: 'N', MetricName: 'M', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' }));
      await cw.putDashboard(name, '{"widgets":[]}');
    }
    const composite = await direct.send(new PutCompositeAlarmCommand({ AlarmName: 'gap-rollup', AlarmRule: 'ALARM("gap-a")' })).catch((e: { $metadata?: { httpStatusCode?: number } }) => e);
    expect(composite.$metadata?.httpStatusCode).toBe(500);
    const page = await direct.send(new DescribeAlarmsCommand({ MaxRecords: 1 }));
    expect([page.MetricAlarms?.length, page.NextToken]).toEqual([3, undefined]);
    const parents = await direct.send(new DescribeAlarmsCommand({ ParentsOfAlarmName: 'gap-a' }));
    expect(parents.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['gap-a', 'gap-b', 'gap-c']);
    const composites = await direct.send(new DescribeAlarmsCommand({ AlarmTypes: ['CompositeAlarm'] }));
    expect(composites.MetricAlarms).toHaveLength(3);
    // ListDashboards has no page-size parameter (AWS pages at 1,000); moto's answer carries no NextToken at all.
    const dashboards = await direct.send(new ListDashboardsCommand({}));
    expect([dashboards.DashboardEntries?.length, dashboards.NextToken]).toEqual([3, undefined]);
    // moto accepts a request AWS refuses (MaxRecords is 1–100 in the model); the gap fake does not.
    expect((await direct.send(new DescribeAlarmsCommand({ MaxRecords: 1000 }))).MetricAlarms).toHaveLength(3);
    await expect(cw.client.send(new DescribeAlarmsCommand({ MaxRecords: 1000 }))).rejects.toThrow(/DescribeAlarms breaks the CloudWatch API model: MaxRecords/);
    expect(cw.gaps.invalid).toHaveLength(1);
    cw.gaps.invalid.length = 0;
  }, 60_000);
});

describe('plan/apply cloudwatch against moto_server', () => {
  it('applies, plans nothing, and prunes exactly what solida owns across more than one result page', async () => {
    // Dashboards: AWS's page is 1,000 and each dashboard under the prefix costs the plan a GetDashboard, so the
    // listing is cut into pages of 2 here; alarms use AWS's real page size (MaxRecords 100).
    await cw.reset({ dashboards: 2 });
    // Another team's resources under the same prefix: alarms without solida's tag, dashboards without its mark.
    const foreign = Array.from({ length: FOREIGN_ALARMS }, (_, i) => `solida-hand-made-${String(i).padStart(3, '0')}`);
    for (const name of foreign) await cw.addForeignAlarm(name, [{ Key: 'team', Value: 'platform' }]);
    await cw.putDashboard('solida-hand-made', JSON.stringify({ widgets: [] }));
    await cw.putDashboard('solida-another-hand-made', JSON.stringify({ widgets: [] }));

    const config = join(dir, 'solida.yaml');
    await writeFile(config, spec(['availability', 'latency']));

    const plan = await solida(['plan', 'cloudwatch', '--config', config]);
    expect(plan.code, plan.stderr).toBe(0);
    const created = Number(/Plan: (\d+) to create, 0 to update, 0 to delete/.exec(plan.stdout)?.[1]);
    expect(created).toBeGreaterThan(20);
    expect(plan.stdout).toContain('! solida-hand-made-000: under the prefix but not managed by solida; left alone');
    expect(await cw.alarmNames()).toEqual(foreign);

    const apply = await solida(['apply', 'cloudwatch', '--config', config, '--yes']);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('applied:');
    const afterApply = await cw.alarmNames();
    const owned = afterApply.filter((n) => !n.startsWith('solida-hand-made-'));
    expect(owned.length + 1).toBe(created);
    expect(afterApply.length).toBeGreaterThan(100);
    // Tags round-trip through moto: ownership is read back from ListTagsForResource.
    const metricOwned = owned.find((n) => !cw.gaps.composites.has(n))!;
    expect(await cw.tags(metricOwned)).toContainEqual({ Key: 'managed-by', Value: 'solida' });

    cw.gaps.clearCalls();
    const again = await solida(['plan', 'cloudwatch', '--config', config]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Plan: 0 to create, 0 to update, 0 to delete \(only with --prune\), \d+ unchanged/);
    // The plan read more than one page of each listing: two DescribeAlarms pages of up to 100.
    const describes = cw.gaps.requests('DescribeAlarms').filter((r) => r.ParentsOfAlarmName === undefined);
    expect(describes.map((r) => [r.MaxRecords, r.NextToken])).toEqual([[100, undefined], [100, '100']]);
    expect(cw.gaps.requests('ListDashboards').map((r) => r.NextToken)).toEqual([undefined, '2']);

    await writeFile(config, spec(['availability']));
    const prune = await solida(['apply', 'cloudwatch', '--config', config, '--prune', '--yes']);
    expect(prune.code, prune.stderr).toBe(0);
    const afterPrune = await cw.alarmNames();
    const removed = afterApply.filter((n) => !afterPrune.includes(n));
    expect(removed.length).toBeGreaterThan(0);
    expect(removed.every((n) => n.startsWith('solida-inventory-latency-'))).toBe(true);
    expect(afterPrune.filter((n) => n.startsWith('solida-inventory-latency-'))).toEqual([]);
    expect(afterPrune.filter((n) => n.startsWith('solida-hand-made-'))).toEqual(foreign);
    expect(afterPrune.some((n) => n.startsWith('solida-inventory-availability-'))).toBe(true);
    expect(await cw.dashboardNames()).toEqual(['solida-another-hand-made', 'solida-hand-made', 'solida-inventory']);
    expect(await cw.dashboardBody('solida-hand-made')).toBe(JSON.stringify({ widgets: [] }));
    expect(await cw.dashboardBody('solida-inventory')).not.toContain('latency');

    const finalPlan = await solida(['plan', 'cloudwatch', '--config', config, '--prune']);
    expect(finalPlan.stdout).toMatch(/Plan: 0 to create, 0 to update, 0 to delete, \d+ unchanged/);
  }, 240_000);

  it('apply asks first: refuses without a terminal unless --yes; at a terminal only "yes" applies', async () => {
    const config = join(dir, 'confirm.yaml');
    await writeFile(config, spec(['availability']));
    const noTty = await solida(['apply', 'cloudwatch', '--config', config]);
    expect(noTty.code).toBe(2);
    expect(noTty.stdout).toMatch(/Plan: \d+ to create/);
    expect(noTty.stderr).toMatch(/no terminal to ask: pass --yes/);
    const no = await solida(['apply', 'cloudwatch', '--config', config], {}, { interactive: true, stdin: 'y\n' });
    expect(no.code).toBe(1);
    expect(no.stdout).toMatch(/Only 'yes' will be accepted/);
    expect(no.stdout).toMatch(/Apply cancelled: nothing was changed/);
    expect(cw.gaps.mutations()).toEqual([]);
    expect(await cw.alarmNames()).toEqual([]);

    const yes = await solida(['apply', 'cloudwatch', '--config', config], {}, { interactive: true, stdin: 'yes\n' });
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stdout).toContain('applied:');
    expect((await cw.alarmNames()).length).toBeGreaterThan(0);
    // Nothing left to do: no question, even without a terminal.
    const again = await solida(['apply', 'cloudwatch', '--config', config]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('No changes');
  }, 120_000);

  it('honours AWS_ENDPOINT_URL_CLOUDWATCH, and --endpoint-url over both', async () => {
    const config = join(dir, 'endpoint.yaml');
    await writeFile(config, spec(['availability']));
    const nowhere = 'http://127.0.0.1:9'; // discard port: nothing answers there
    const viaService = await solida(['plan', 'cloudwatch', '--config', config], { AWS_ENDPOINT_URL: nowhere, AWS_ENDPOINT_URL_CLOUDWATCH: cw.gaps.url });
    expect(viaService.code, viaService.stderr).toBe(0);
    const viaFlag = await solida(['plan', 'cloudwatch', '--config', config, '--endpoint-url', cw.gaps.url], { AWS_ENDPOINT_URL: nowhere, AWS_ENDPOINT_URL_CLOUDWATCH: nowhere });
    expect(viaFlag.code, viaFlag.stderr).toBe(0);
    expect(viaFlag.stdout).toMatch(/Plan: \d+ to create/);
    const broken = await solida(['plan', 'cloudwatch', '--config', config], { AWS_ENDPOINT_URL: nowhere });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('CloudWatch DescribeAlarms failed');
    // Straight at moto, without the gap fake: metric alarms go in, then moto's HTML 500 for PutCompositeAlarm
    // ends the apply in one line that says what happened.
    const bare = await solida(['apply', 'cloudwatch', '--config', config, '--yes', '--endpoint-url', cw.moto.url]);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toMatch(/^error: CloudWatch PutCompositeAlarm solida-inventory-\S+ failed: the endpoint answered HTTP 500 with something that is not a CloudWatch response/m);
    expect(bare.stderr).not.toMatch(/Deserialization error|doctype/);
    expect((await cw.alarmNames()).length).toBeGreaterThan(0);
    // --skip-composites: the rest goes in, composites neither written nor deleted; then nothing is left to do.
    const skip = await solida(['apply', 'cloudwatch', '--config', config, '--yes', '--skip-composites', '--endpoint-url', cw.moto.url]);
    expect(skip.code, skip.stderr).toBe(0);
    expect(skip.stdout).not.toContain('composite-alarm');
    expect(await cw.dashboardNames()).toEqual(['solida-inventory']);
    const skipPlan = await solida(['plan', 'cloudwatch', '--config', config, '--skip-composites', '--endpoint-url', cw.moto.url]);
    expect(skipPlan.stdout).toMatch(/Plan: 0 to create, 0 to update, 0 to delete \(only with --prune\), \d+ unchanged/);
    const bad = await solida(['plan', 'cloudwatch', '--config', config, '--endpoint-url', 'localhost:5000']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--endpoint-url');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  }, 180_000);
});
