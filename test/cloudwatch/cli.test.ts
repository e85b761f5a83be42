import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerCloudWatchCommands } from '../../src/cli/commands/cloudwatch.ts';
import { validateRequest } from '../../src/aws-models/smithy.ts';
import { SolidaError } from '../../src/util/errors.ts';
import { runSolida } from '../support/cli.ts';

const CONFIG = 'examples/solida.config.ts';
let dir: string;
let out: string[] = [];

// plan/apply run against moto_server in test/aws/cloudwatch-moto.test.ts; generate needs no AWS client.
async function run(args: string[]): Promise<string> {
  const program = new Command('solida').exitOverride();
  registerCloudWatchCommands(program);
  out = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
  return out.join('');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'solida-cw-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('solida generate cloudwatch', () => {
  it('writes one valid API request per file for the example config', async () => {
    const target = join(dir, 'api');
    await run(['generate', 'cloudwatch', '--config', CONFIG, '--out', target]);
    const alarms = await readdir(join(target, 'alarms'));
    const composites = await readdir(join(target, 'composite-alarms'));
    const dashboards = await readdir(join(target, 'dashboards'));
    expect(dashboards).toEqual(['solida-inventory.json']);
    expect(alarms).toContain('solida-inventory-availability-page-1h-long.json');
    expect(alarms).toContain('solida-inventory-rds-free-storage.json');
    // The per-route SLO (writes-availability) cannot be measured at the ALB: no alarms for it.
    expect(alarms.some((a) => a.includes('writes-availability'))).toBe(false);
    for (const f of alarms) expect(validateRequest('cloudwatch', 'PutMetricAlarm', JSON.parse(await readFile(join(target, 'alarms', f), 'utf8'))), f).toEqual([]);
    for (const f of composites) expect(validateRequest('cloudwatch', 'PutCompositeAlarm', JSON.parse(await readFile(join(target, 'composite-alarms', f), 'utf8'))), f).toEqual([]);
    const dash = JSON.parse(await readFile(join(target, 'dashboards', dashboards[0]), 'utf8'));
    expect(validateRequest('cloudwatch', 'PutDashboard', dash)).toEqual([]);
  });

  it('removes only the request files its previous run wrote (per manifest) and nobody changed since', async () => {
    const target = join(dir, 'stale');
    await run(['generate', 'cloudwatch', '--config', CONFIG, '--out', target]);
    // Not solida's: a file someone else put there, and a generated file someone edited.
    await writeFile(join(target, 'alarms', 'solida-gone.json'), '{}');
    await writeFile(join(target, 'alarms', 'solida-inventory-rds-free-storage.json'), '{"edited": true}');
    await run(['generate', 'cloudwatch', '--config', CONFIG, '--out', target, '--prefix', 'acme']);
    const alarms = await readdir(join(target, 'alarms'));
    expect(alarms.filter((a) => !a.startsWith('acme-')).sort()).toEqual(['solida-gone.json', 'solida-inventory-rds-free-storage.json']);
    expect(alarms.some((a) => a.startsWith('acme-'))).toBe(true);
  });

  it('exports Terraform JSON and CloudFormation with composite dependencies', async () => {
    const target = join(dir, 'iac');
    await run(['generate', 'cloudwatch', '--config', CONFIG, '--out', target, '--format', 'terraform']);
    await run(['generate', 'cloudwatch', '--config', CONFIG, '--out', target, '--format', 'cloudformation']);
    const tf = JSON.parse(await readFile(join(target, 'cloudwatch.tf.json'), 'utf8'));
    const page = tf.resource.aws_cloudwatch_composite_alarm['solida-inventory-availability-page'];
    expect(page.alarm_actions).toEqual(['arn:aws:sns:us-east-1:123456789012:inventory-page']);
    expect(page.depends_on).toEqual([
      'aws_cloudwatch_composite_alarm.solida-inventory-availability-page-1h',
      'aws_cloudwatch_composite_alarm.solida-inventory-availability-page-6h',
    ]);
    const long = tf.resource.aws_cloudwatch_metric_alarm['solida-inventory-availability-page-1h-long'];
    expect(long.metric_query.filter((q: { return_data: boolean }) => q.return_data)).toHaveLength(1);
    expect(long.metric_query[0].metric[0]).toMatchObject({ namespace: 'AWS/ApplicationELB', period: 3600, stat: 'Sum' });
    expect(tf.resource.aws_cloudwatch_dashboard['solida-inventory'].dashboard_body).toContain('"widgets"');

    const cfn = JSON.parse(await readFile(join(target, 'cloudwatch.cfn.json'), 'utf8'));
    const ids = Object.keys(cfn.Resources);
    expect(ids.every((id) => /^[A-Za-z0-9]+$/.test(id))).toBe(true);
    const composite = cfn.Resources.CompositeSolidaInventoryAvailabilityPage1h;
    expect(composite.Type).toBe('AWS::CloudWatch::CompositeAlarm');
    expect(composite.DependsOn).toEqual(['AlarmSolidaInventoryAvailabilityPage1hLong', 'AlarmSolidaInventoryAvailabilityPage1hShort']);
    // CloudFormation's alarm properties are the PutMetricAlarm members: the API model validates them.
    const alarm = cfn.Resources.AlarmSolidaInventoryAlb5xx;
    expect(validateRequest('cloudwatch', 'PutMetricAlarm', alarm.Properties)).toEqual([]);
  });

  it('rejects an unknown format and invalid options with exit code 2', async () => {
    await expect(run(['generate', 'cloudwatch', '--config', CONFIG, '--out', join(dir, 'x'), '--format', 'pulumi'])).rejects.toMatchObject({ exitCode: 2 });
    const opts = join(dir, 'opts.yaml');
    await writeFile(opts, 'presets:\n  alb-5xx:\n    treshold: 10\n');
    const err = await run(['generate', 'cloudwatch', '--config', CONFIG, '--out', join(dir, 'y'), '--options', opts]).catch((e) => e);
    expect(err).toBeInstanceOf(SolidaError);
    expect(JSON.stringify(err.problems)).toContain('treshold');
  });

  it('an unknown --format is refused before the spec is read: one error, no generation notes', async () => {
    const r = await runSolida(['generate', 'cloudwatch', '-c', CONFIG, '-o', join(dir, 'z'), '--format', 'pulumi']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: unknown format "pulumi"\n {2}- --format: unknown --format\n {4}fix: use api, terraform or cloudformation\n$/);
  });
});
