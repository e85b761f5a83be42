// plan → apply → plan → change the spec → apply --prune, through the real CLI, against a real moto_server.
// Composite alarms, ParentsOfAlarmName and result pages go through the in-repo fake for what moto lacks
// (test/support/cloudwatch-gaps.ts); metric alarms, tags and dashboards are moto's own.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetDashboardCommand,
  ListDashboardsCommand,
  ListTagsForResourceCommand,
  PutDashboardCommand,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import { DUMMY_CREDENTIALS, MOTO_ACCOUNT, MOTO_REGION, startMoto, type Moto } from '../support/moto.ts';
import { startCloudWatchGaps, type CloudWatchGaps } from '../support/cloudwatch-gaps.ts';
import { runSolida } from '../support/solida-cli.ts';

let moto: Moto;
let gaps: CloudWatchGaps;
let dir: string;
/** Straight to moto: what the account really holds, not what the fake in front of it says. */
let direct: CloudWatchClient;

const FOREIGN_ALARMS = 12; // another team's alarms under the prefix; with solida's own, several pages of 20

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

async function allAlarmNames(): Promise<string[]> {
  const out = await direct.send(new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm'] }));
  return (out.MetricAlarms ?? []).map((a) => a.AlarmName!).sort();
}

beforeAll(async () => {
  moto = await startMoto();
  dir = await mkdtemp(join(tmpdir(), 'solida-moto-cw-'));
  direct = new CloudWatchClient({ region: MOTO_REGION, endpoint: moto.url, credentials: DUMMY_CREDENTIALS });
}, 120_000);
afterAll(async () => {
  await gaps?.close();
  await moto?.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await gaps?.close();
  await moto.reset();
  gaps = await startCloudWatchGaps(moto.url, { region: MOTO_REGION, account: MOTO_ACCOUNT, dashboardPageSize: 2, alarmPageSize: 20 });
});

describe('plan/apply cloudwatch against moto_server', () => {
  it('applies, plans nothing, and prunes exactly what solida owns across several result pages', async () => {
    // Another team's resources under the same prefix: an untagged alarm and a dashboard without solida's mark.
    for (let i = 0; i < FOREIGN_ALARMS; i++) {
      await direct.send(new PutMetricAlarmCommand({
        AlarmName: `solida-hand-made-${String(i).padStart(3, '0')}`, Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Statistic: 'Average',
        Period: 60, EvaluationPeriods: 1, Threshold: 90, ComparisonOperator: 'GreaterThanThreshold', Tags: [{ Key: 'team', Value: 'platform' }],
      }));
    }
    await direct.send(new PutDashboardCommand({ DashboardName: 'solida-hand-made', DashboardBody: JSON.stringify({ widgets: [] }) }));
    await direct.send(new PutDashboardCommand({ DashboardName: 'solida-another-hand-made', DashboardBody: JSON.stringify({ widgets: [] }) }));

    const config = join(dir, 'solida.yaml');
    await writeFile(config, spec(['availability', 'latency']));
    const env = { ...moto.env, AWS_ENDPOINT_URL: gaps.url };

    const plan = await runSolida(['plan', 'cloudwatch', '--config', config], env);
    expect(plan.stderr).not.toContain('error');
    expect(plan.code).toBe(0);
    const created = Number(/Plan: (\d+) to create, 0 to update, 0 to delete/.exec(plan.stdout)?.[1]);
    expect(created).toBeGreaterThan(20);
    expect(plan.stdout).toContain('! solida-hand-made-000: under the prefix but not managed by solida; left alone');

    const apply = await runSolida(['apply', 'cloudwatch', '--config', config, '--yes'], env);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('applied:');
    const afterApply = await allAlarmNames();
    const owned = afterApply.filter((n) => !n.startsWith('solida-hand-made-'));
    expect(owned.length).toBeGreaterThan(10);
    expect(owned.length + gaps.composites.size + 1).toBe(created);
    // Tags round-trip through moto: ownership is read back from ListTagsForResource.
    const anArn = `arn:aws:cloudwatch:${MOTO_REGION}:${MOTO_ACCOUNT}:alarm:${owned[0]}`;
    expect((await direct.send(new ListTagsForResourceCommand({ ResourceARN: anArn }))).Tags).toContainEqual({ Key: 'managed-by', Value: 'solida' });

    const again = await runSolida(['plan', 'cloudwatch', '--config', config], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Plan: 0 to create, 0 to update, 0 to delete \(only with --prune\), \d+ unchanged/);
    // The plan read more than one page of each listing.
    const describes = gaps.calls.filter((c) => c.operation === 'DescribeAlarms' && !c.input.ParentsOfAlarmName);
    expect(describes.some((c) => c.input.NextToken)).toBe(true);
    expect(gaps.calls.some((c) => c.operation === 'ListDashboards' && c.input.NextToken)).toBe(true);

    await writeFile(config, spec(['availability']));
    const prune = await runSolida(['apply', 'cloudwatch', '--config', config, '--prune', '--yes'], env);
    expect(prune.code, prune.stderr).toBe(0);
    const afterPrune = await allAlarmNames();
    const removed = afterApply.filter((n) => !afterPrune.includes(n));
    expect(removed.length).toBeGreaterThan(0);
    expect(removed.every((n) => n.startsWith('solida-inventory-latency-'))).toBe(true);
    expect(afterPrune.filter((n) => n.startsWith('solida-inventory-latency-'))).toEqual([]);
    expect(afterPrune.filter((n) => n.startsWith('solida-hand-made-'))).toHaveLength(FOREIGN_ALARMS);
    expect(afterPrune.some((n) => n.startsWith('solida-inventory-availability-'))).toBe(true);
    expect([...gaps.composites.keys()].some((n) => n.includes('latency'))).toBe(false);
    const dashboards = (await direct.send(new ListDashboardsCommand({}))).DashboardEntries!.map((d) => d.DashboardName).sort();
    expect(dashboards).toEqual(['solida-another-hand-made', 'solida-hand-made', 'solida-inventory']);
    const body = (await direct.send(new GetDashboardCommand({ DashboardName: 'solida-inventory' }))).DashboardBody!;
    expect(body).not.toContain('latency');

    const finalPlan = await runSolida(['plan', 'cloudwatch', '--config', config, '--prune'], env);
    expect(finalPlan.stdout).toMatch(/Plan: 0 to create, 0 to update, 0 to delete, \d+ unchanged/);
  }, 240_000);

  it('honours AWS_ENDPOINT_URL_CLOUDWATCH, and --endpoint-url over both', async () => {
    const config = join(dir, 'endpoint.yaml');
    await writeFile(config, spec(['availability']));
    const nowhere = 'http://127.0.0.1:9'; // discard port: nothing answers there
    const viaService = await runSolida(['plan', 'cloudwatch', '--config', config], { ...moto.env, AWS_ENDPOINT_URL: nowhere, AWS_ENDPOINT_URL_CLOUDWATCH: gaps.url });
    expect(viaService.code, viaService.stderr).toBe(0);
    const viaFlag = await runSolida(['plan', 'cloudwatch', '--config', config, '--endpoint-url', gaps.url], { ...moto.env, AWS_ENDPOINT_URL: nowhere, AWS_ENDPOINT_URL_CLOUDWATCH: nowhere });
    expect(viaFlag.code, viaFlag.stderr).toBe(0);
    expect(viaFlag.stdout).toMatch(/Plan: \d+ to create/);
    const broken = await runSolida(['plan', 'cloudwatch', '--config', config], { ...moto.env, AWS_ENDPOINT_URL: nowhere });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('CloudWatch DescribeAlarms failed');
    const bad = await runSolida(['plan', 'cloudwatch', '--config', config, '--endpoint-url', 'localhost:5000'], moto.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--endpoint-url');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  }, 180_000);
});
