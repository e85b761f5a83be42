// Native Application Signals SLOs: the requests generated from the spec (checked against the API model and
// against figures worked out by hand), then generate/plan/apply/prune through the real CLI against the
// in-repo fake of the service (moto has no Application Signals), reached through
// AWS_ENDPOINT_URL_APPLICATION_SIGNALS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '../../src/slo/load.ts';
import { generateApplicationSignals } from '../../src/cloudwatch/application-signals.ts';
import { validateRequest } from '../../src/aws-models/smithy.ts';
import { credentialsEnv, MOTO_ACCOUNT, MOTO_REGION } from '../support/moto.ts';
import { startFakeApplicationSignals, type FakeApplicationSignals } from '../support/fake-application-signals.ts';
import { runSolida as runInProcess } from '../support/cli.ts';

/** The CLI in-process with `env` and no profile or session token that could reach a real account. */
const runSolida = (argv: string[], env: Record<string, string>) =>
  runInProcess(argv, { env: { ...env, AWS_PROFILE: undefined, AWS_DEFAULT_PROFILE: undefined, AWS_SESSION_TOKEN: undefined } });

let dir: string;
let fake: FakeApplicationSignals;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'solida-appsignals-'));
  fake = await startFakeApplicationSignals({ region: MOTO_REGION, account: MOTO_ACCOUNT, pageSize: 2 });
});
afterAll(async () => {
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

const LB = 'app/inventory-alb/50dc6c495c0c9188';
function spec(slos: string[]) {
  const all: Record<string, unknown> = {
    availability: { service: 'inventory', name: 'availability', objective: 99.9, window: '30d', sli: { golden: { signal: 'availability' } } },
    latency: { service: 'inventory', name: 'latency', objective: 99, window: '28d', sli: { golden: { signal: 'latency', threshold: '300ms' } } },
    monthly: {
      service: 'inventory', name: 'writes', objective: 99.5, window: { calendar: 'month' },
      sli: { cloudwatch: { errors: [{ namespace: 'Shop', metricName: 'Errors', dimensions: { Service: 'inventory' }, stat: 'Sum' }], total: [{ namespace: 'Shop', metricName: 'Requests', dimensions: { Service: 'inventory' }, stat: 'Sum' }] } },
      alerting: { tiers: { 'ticket-3d': { enabled: false } } },
    },
    perRoute: { service: 'inventory', name: 'items', objective: 99, window: '7d', sli: { golden: { signal: 'availability', route: '/items/:id' } } },
  };
  return JSON.stringify({ services: [{ name: 'inventory', aws: { region: MOTO_REGION, alb: { loadBalancer: LB } } }], slos: slos.map((s) => all[s]) });
}

describe('Application Signals SLO requests', () => {
  it('are request-based, keep the window and objective, and burn-rate windows match the tiers', async () => {
    const file = join(dir, 'gen.yaml');
    await writeFile(file, spec(['availability', 'latency', 'monthly', 'perRoute']));
    const { requests, notes } = generateApplicationSignals(await loadModel(file), { prefix: 'solida' });
    expect(requests.map((r) => r.Name)).toEqual(['solida-inventory-availability', 'solida-inventory-latency', 'solida-inventory-writes']);
    for (const r of requests) expect(validateRequest('application-signals', 'CreateServiceLevelObjective', r), r.Name).toEqual([]);
    // The per-route SLO cannot be measured at the ALB.
    expect(notes.join('\n')).toMatch(/inventory-items: no Application Signals SLO: its golden SLI is per route/);

    const [availability, latency, writes] = requests;
    expect(availability.Goal).toEqual({ Interval: { RollingInterval: { DurationUnit: 'DAY', Duration: 30 } }, AttainmentGoal: 99.9 });
    // The workbook tiers: 1h/5m, 6h/30m, 1d/2h, 3d/6h, in minutes, each once.
    expect(availability.BurnRateConfigurations!.map((b) => b.LookBackWindowMinutes)).toEqual([5, 30, 60, 120, 360, 1440, 4320]);
    const metric = availability.RequestBasedSliConfig!.RequestBasedSliMetricConfig!;
    expect(metric.TotalRequestCountMetric).toEqual([{
      Id: 'total0', ReturnData: true, Label: 'inventory-availability requests',
      MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Dimensions: [{ Name: 'LoadBalancer', Value: LB }] }, Period: 60, Stat: 'Sum' },
    }]);
    // Target and load-balancer 5xx are both bad requests: summed, a missing minute counting as zero.
    const bad = (metric.MonitoredRequestCountMetric as { BadCountMetric: { Id: string; Expression?: string; ReturnData?: boolean; MetricStat?: { Metric?: { MetricName?: string } } }[] }).BadCountMetric;
    expect(bad.map((q) => [q.Id, q.MetricStat?.Metric?.MetricName ?? q.Expression, q.ReturnData])).toEqual([
      ['bad0', 'HTTPCode_Target_5XX_Count', false],
      ['bad1', 'HTTPCode_ELB_5XX_Count', false],
      ['bad', 'FILL(bad0, 0) + FILL(bad1, 0)', true],
    ]);
    expect(latency.Goal!.Interval).toEqual({ RollingInterval: { DurationUnit: 'DAY', Duration: 28 } });
    const slow = (latency.RequestBasedSliConfig!.RequestBasedSliMetricConfig!.MonitoredRequestCountMetric as { BadCountMetric: { MetricStat: { Stat: string } }[] }).BadCountMetric;
    expect(slow[0].MetricStat.Stat).toBe('TC(0.3:)');
    // Calendar month: months from the 1st, 00:00 UTC; ticket-3d disabled, so its windows are gone.
    expect(writes.Goal).toEqual({ Interval: { CalendarInterval: { StartTime: new Date('2024-01-01T00:00:00Z'), DurationUnit: 'MONTH', Duration: 1 } }, AttainmentGoal: 99.5 });
    expect(writes.BurnRateConfigurations!.map((b) => b.LookBackWindowMinutes)).toEqual([5, 30, 60, 120, 360, 1440]);
    expect(writes.Tags).toContainEqual({ Key: 'managed-by', Value: 'solida' });
  });
});

describe('generate/plan/apply application-signals through the CLI', () => {
  it('writes, applies, plans nothing, and prunes only what solida owns', async () => {
    const config = join(dir, 'solida.yaml');
    await writeFile(config, spec(['availability', 'latency', 'monthly']));
    const env = { ...credentialsEnv(), AWS_REGION: MOTO_REGION, AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_APPLICATION_SIGNALS: fake.url };
    fake.addForeign('solida-hand-made');

    const out = join(dir, 'requests');
    const gen = await runSolida(['generate', 'application-signals', '--config', config, '--out', out], env);
    expect(gen.code, gen.stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['solida-inventory-availability.json', 'solida-inventory-latency.json', 'solida-inventory-writes.json']);
    expect(JSON.parse(await readFile(join(out, 'solida-inventory-writes.json'), 'utf8')).Goal.Interval.CalendarInterval.StartTime).toBe('2024-01-01T00:00:00.000Z');

    const apply = await runSolida(['apply', 'application-signals', '--config', config, '--yes'], env);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('Plan: 3 to create, 0 to update, 0 to delete');
    expect(apply.stdout).toContain('! solida-hand-made: under the prefix but not managed by solida; left alone');
    expect([...fake.slos.keys()].sort()).toEqual(['solida-hand-made', 'solida-inventory-availability', 'solida-inventory-latency', 'solida-inventory-writes']);

    // What the service stored and returns (timestamps as epoch seconds, a filled-in warning threshold) reads as unchanged.
    const again = await runSolida(['plan', 'application-signals', '--config', config], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete (only with --prune), 3 unchanged.');
    // Four SLOs in pages of two: the listing followed NextToken.
    expect(fake.calls.filter((c) => c === 'POST /slos').length).toBeGreaterThanOrEqual(2);

    await writeFile(config, spec(['availability', 'latency']).replace('"objective":99,', '"objective":99.5,'));
    const prune = await runSolida(['apply', 'application-signals', '--config', config, '--prune', '--yes'], env);
    expect(prune.code, prune.stderr).toBe(0);
    // The default description names the objective, so it changes too.
    expect(prune.stdout).toContain('~ slo solida-inventory-latency (Description, AttainmentGoal)');
    expect(prune.stdout).toContain('- slo solida-inventory-writes');
    expect([...fake.slos.keys()].sort()).toEqual(['solida-hand-made', 'solida-inventory-availability', 'solida-inventory-latency']);
    expect(fake.slos.get('solida-inventory-latency')!.Goal.AttainmentGoal).toBe(99.5);
  }, 180_000);
});

describe('apply application-signals asks first, like apply cloudwatch', () => {
  it('shows the plan, refuses without a terminal unless --yes; at a terminal only "yes" applies', async () => {
    const config = join(dir, 'confirm.yaml');
    await writeFile(config, spec(['availability']));
    const env = {
      ...credentialsEnv(), AWS_REGION: MOTO_REGION, AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_APPLICATION_SIGNALS: fake.url,
      AWS_PROFILE: undefined, AWS_DEFAULT_PROFILE: undefined, AWS_SESSION_TOKEN: undefined,
    };
    const mine = () => [...fake.slos.keys()].filter((n) => n.startsWith('acme-'));
    const writes = () => fake.calls.filter((c) => !c.startsWith('GET') && c !== 'POST /slos').length;
    const before = writes();

    const noTty = await runInProcess(['apply', 'application-signals', '--config', config, '--prefix', 'acme'], { env });
    expect(noTty.code).toBe(2);
    expect(noTty.stdout).toContain('Plan: 1 to create, 0 to update, 0 to delete');
    expect(noTty.stdout).toContain('+ slo acme-inventory-availability');
    expect(noTty.stderr).toMatch(/^error: apply application-signals will change 1 resource\(s\) in eu-west-1 needs a confirmation and there is no terminal to ask: pass --yes/m);
    const no = await runInProcess(['apply', 'application-signals', '--config', config, '--prefix', 'acme'], { env, interactive: true, stdin: 'y\n' });
    expect(no.code).toBe(1);
    expect(no.stdout).toMatch(/Only 'yes' will be accepted/);
    expect(no.stdout).toContain('Apply cancelled: nothing was changed.');
    expect(mine()).toEqual([]);
    expect(writes()).toBe(before);

    const yes = await runInProcess(['apply', 'application-signals', '--config', config, '--prefix', 'acme'], { env, interactive: true, stdin: 'yes\n' });
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stdout).toContain('applied: 1 request(s)');
    expect(mine()).toEqual(['acme-inventory-availability']);
    // Nothing left to do: no question, even without a terminal.
    const again = await runInProcess(['apply', 'application-signals', '--config', config, '--prefix', 'acme'], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('No changes: the account already matches.');
  }, 60_000);
});
