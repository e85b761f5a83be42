// generate / plan / apply cloudwatch. The AWS SDK is loaded only by plan/apply, when they run.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { parse } from 'yaml';
import { loadModel } from '../../slo/load.ts';
import type { SolidaModel } from '../../slo/model.ts';
import { cloudWatchOptionsSchema, resolveCloudWatchOptions, type CloudWatchOptions, type CloudWatchOptionsInput } from '../../cloudwatch/options.ts';
import { zodProblems } from '../../slo/issues.ts';
import { generateCloudWatch, type CloudWatchArtifacts } from '../../cloudwatch/generate.ts';
import type { CloudWatchPlan } from '../../aws/cloudwatch-plan.ts';
import { toCloudFormation, toTerraformJson } from '../../cloudwatch/export.ts';
import { writeFilesAtomically, type OutputFile } from '../../util/files.ts';
import { SolidaError } from '../../util/errors.ts';
import { clientConfig } from '../../aws/endpoint.ts';
import { confirmedPlan, printPlan, withApplyOptions, withAwsTargetOptions, withSpecOptions, type ApplyFlags, type AwsTargetFlags } from '../aws-apply.ts';
import { parentCommand, resolveConfigPath, withExamples } from '../shared.ts';

export interface CloudWatchCliDeps {
  /** Builds the client for plan/apply; region (when solida knows it) and credentials otherwise come from the SDK's standard chain. */
  client: (region: string | undefined, endpointUrl?: string) => CloudWatchClient | Promise<CloudWatchClient>;
}

const defaultDeps: CloudWatchCliDeps = {
  client: async (region, endpointUrl) => {
    const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
    return new CloudWatchClient(clientConfig({ region, endpointUrl }));
  },
};

const SKIP_COMPOSITES = [
  '--skip-composites',
  'leave composite alarms out (neither written nor deleted): for an emulator without PutCompositeAlarm, e.g. moto',
] as const;

/** What apply would send: every change but unchanged resources, and deletions only with --prune. */
function pendingChanges(plan: CloudWatchPlan, prune: boolean): number {
  return plan.changes.filter((c) => c.action !== 'unchanged' && (c.action !== 'delete' || prune || c.replaced)).length;
}

export interface CommonOpts {
  config?: string;
  prefix?: string;
  options?: string;
  accountId?: string;
}

export async function readOptions(opts: CommonOpts): Promise<CloudWatchOptions> {
  let input: CloudWatchOptionsInput = {};
  if (opts.options) {
    let raw: unknown;
    try {
      raw = parse(await readFile(opts.options, 'utf8'));
    } catch (err) {
      throw new SolidaError(`cannot read ${opts.options}`, 2, [{ file: opts.options, message: (err as Error).message, fix: 'give a YAML or JSON file with prefix, presets, tags…' }]);
    }
    const parsed = cloudWatchOptionsSchema.safeParse(raw ?? {});
    if (!parsed.success) throw new SolidaError(`${opts.options}: invalid CloudWatch options`, 2, zodProblems(parsed.error, cloudWatchOptionsSchema, opts.options));
    input = parsed.data;
  }
  const merged = { ...input, ...(opts.prefix ? { prefix: opts.prefix } : {}), ...(opts.accountId ? { accountId: opts.accountId } : {}) };
  const parsed = cloudWatchOptionsSchema.safeParse(merged);
  if (!parsed.success) throw new SolidaError('invalid CloudWatch options', 2, zodProblems(parsed.error, cloudWatchOptionsSchema, '--prefix/--account-id'));
  return resolveCloudWatchOptions(parsed.data);
}

async function build(opts: CommonOpts): Promise<{ model: SolidaModel; artifacts: CloudWatchArtifacts }> {
  const model = await loadModel(resolveConfigPath(opts.config));
  const artifacts = generateCloudWatch(model, await readOptions(opts));
  for (const n of artifacts.notes) process.stderr.write(`note: ${n}\n`);
  return { model, artifacts };
}

/** One JSON file per API request, as `generate cloudwatch --format api` writes them. */
export function apiFiles(a: CloudWatchArtifacts): OutputFile[] {
  const json = (x: unknown) => `${JSON.stringify(x, null, 2)}\n`;
  return [
    ...a.dashboards.map((d) => ({ path: `dashboards/${d.DashboardName}.json`, content: json(d) })),
    ...a.metricAlarms.map((m) => ({ path: `alarms/${m.AlarmName}.json`, content: json(m) })),
    ...a.compositeAlarms.map((c) => ({ path: `composite-alarms/${c.AlarmName}.json`, content: json(c) })),
  ];
}

/** The one region the services declare (aws.region), if they agree on one. */
export function declaredRegion(model: SolidaModel): string | undefined {
  const regions = [...new Set(model.services.map((s) => s.aws?.region).filter((r): r is string => !!r))];
  return regions.length === 1 ? regions[0] : undefined;
}

/**
 * Where plan/apply write: --region, else the one region the services declare. undefined lets the SDK's
 * chain decide (AWS_REGION, the profile's region); the preflight check names the fix when that is empty too.
 * Services in several regions need --region: one apply writes to one region.
 */
export function regionFor(model: SolidaModel, given: string | undefined): string | undefined {
  if (given) return given;
  const regions = [...new Set(model.services.map((s) => s.aws?.region).filter((r): r is string => !!r))];
  if (regions.length > 1) throw new SolidaError(`services declare several regions (${regions.join(', ')}): pass --region`, 2);
  return regions[0];
}

export function registerCloudWatchCommands(program: Command, deps: CloudWatchCliDeps = defaultDeps): void {
  const common = (c: Command) =>
    withSpecOptions(c, 'every alarm and dashboard', 'prefix, presets thresholds, tags, accountId, maxEvaluationSeconds').option(
      '--account-id <id>',
      'AWS account id for alarm ARNs in dashboards (default: from the SNS topic ARNs)',
    );

  const generate = common(
    parentCommand(program, 'generate', 'generate artifacts from the SLOs')
      .command('cloudwatch')
      .description('write CloudWatch dashboards, alarms and composite alarms (API requests, Terraform JSON or CloudFormation)'),
  )
    .requiredOption('-o, --out <dir>', 'folder to write the files into')
    .option('--format <format>', 'api (one PutDashboard/PutMetricAlarm/PutCompositeAlarm input per file), terraform or cloudformation', 'api')
    .action(async (opts: CommonOpts & { out: string; format: string }) => {
      // Refused before the spec is read: a typo in --format is not worth a screen of generation notes.
      if (!['api', 'terraform', 'cloudformation'].includes(opts.format)) {
        throw new SolidaError(`unknown format "${opts.format}"`, 2, [{ path: '--format', message: 'unknown --format', fix: 'use api, terraform or cloudformation' }]);
      }
      const { artifacts } = await build(opts);
      let files: OutputFile[];
      if (opts.format === 'api') files = apiFiles(artifacts);
      else if (opts.format === 'terraform') files = [{ path: 'cloudwatch.tf.json', content: `${JSON.stringify(toTerraformJson(artifacts), null, 2)}\n` }];
      else files = [{ path: 'cloudwatch.cfn.json', content: `${JSON.stringify(toCloudFormation(artifacts), null, 2)}\n` }];
      // Only files the previous run recorded in the output's manifest (and nobody changed since) are removed.
      const written = await writeFilesAtomically(opts.out, files, { manifest: `generate cloudwatch --format ${opts.format}` });
      for (const r of written.removed ?? []) process.stdout.write(`removed ${r} (written by the previous run, no longer generated)\n`);
      for (const k of written.keptChanged ?? []) process.stderr.write(`warning: kept ${k}: the previous run wrote it but it has been changed since\n`);
      process.stdout.write(
        `wrote ${artifacts.dashboards.length} dashboard(s), ${artifacts.metricAlarms.length} alarm(s), ${artifacts.compositeAlarms.length} composite alarm(s) to ${opts.out} (${opts.format})\n`,
      );
    });

  withExamples(
    generate,
    'solida generate cloudwatch -o out/cloudwatch                      # one API request per file, validated against the AWS API model',
    'solida generate cloudwatch -o infra --format terraform --prefix checkout',
  );

  const plan = withAwsTargetOptions(common(
    parentCommand(program, 'plan', 'show what apply would change')
      .command('cloudwatch')
      .description('diff the generated CloudWatch alarms and dashboards against the account (under the prefix only)'),
  ))
    .option('--prune', 'show deletions as they would be applied with --prune')
    .option(SKIP_COMPOSITES[0], SKIP_COMPOSITES[1])
    .option('--show-unchanged', 'list unchanged resources too')
    .option('--adopt', 'take over dashboards under the prefix solida cannot prove it wrote (made by someone else or edited in the console)')
    .action(async (opts: CommonOpts & AwsTargetFlags & { prune?: boolean; showUnchanged?: boolean; adopt?: boolean; skipComposites?: boolean }) => {
      const { model, artifacts } = await build(opts);
      const client = await deps.client(regionFor(model, opts.region), opts.endpointUrl);
      const { formatPlan, planCloudWatch } = await import('../../aws/cloudwatch-plan.ts');
      const plan = () => planCloudWatch(client, artifacts, { adopt: !!opts.adopt, skipComposites: !!opts.skipComposites });
      await printPlan(client, { command: 'plan cloudwatch', plan, format: formatPlan }, opts);
    });
  withExamples(plan, 'solida plan cloudwatch --region us-east-1', 'solida plan cloudwatch -c solida.config.ts --prune --show-unchanged');
  withExamples(parentCommand(program, 'plan', 'show what apply would change'), 'solida plan cloudwatch --region us-east-1');
  withExamples(parentCommand(program, 'apply', 'make the account match the generated resources'), 'solida apply cloudwatch --region us-east-1');

  const apply = withApplyOptions(common(
    parentCommand(program, 'apply', 'make the account match the generated resources')
      .command('cloudwatch')
      .description('create/update CloudWatch alarms and dashboards under the prefix; delete removed ones only with --prune'),
  ), 'alarms and dashboards')
    .option('--adopt', 'take over dashboards under the prefix solida cannot prove it wrote (made by someone else or edited in the console)')
    .option(SKIP_COMPOSITES[0], SKIP_COMPOSITES[1])
    .action(async (opts: CommonOpts & ApplyFlags & { adopt?: boolean; skipComposites?: boolean }) => {
      const { model, artifacts } = await build(opts);
      const client = await deps.client(regionFor(model, opts.region), opts.endpointUrl);
      const { applyCloudWatch, formatPlan, planCloudWatch } = await import('../../aws/cloudwatch-plan.ts');
      const diff = () => planCloudWatch(client, artifacts, { adopt: !!opts.adopt, skipComposites: !!opts.skipComposites });
      const plan = await confirmedPlan(client, { command: 'apply cloudwatch', plan: diff, format: formatPlan, pending: pendingChanges }, opts);
      if (!plan) return;
      const result = await applyCloudWatch(client, plan, { prune: !!opts.prune });
      const sent = result.sent.reduce((n, s) => n + s.names.length, 0);
      process.stdout.write(`applied: ${result.sent.length} request(s) for ${sent} resource(s)`);
      if (result.keptWithoutPrune.length) process.stdout.write(`; ${result.keptWithoutPrune.length} removed resource(s) kept (use --prune)`);
      process.stdout.write('\n');
    });
  withExamples(
    apply,
    'solida apply cloudwatch --region us-east-1              # shows the plan, then asks',
    'solida apply cloudwatch --region us-east-1 --yes --prune  # in CI: no prompt; also delete what the config dropped',
  );
}
