// `solida generate fis` (FIS templates + IAM policies as JSON) and the AWS path of `solida gameday`.
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { loadModel } from '../../slo/load.ts';
import { parseDuration } from '../../slo/duration.ts';
import { SolidaError } from '../../util/errors.ts';
import { writeFileAtomically, writeFilesAtomically, type OutputFile } from '../../util/files.ts';
import { generateFisPlan, type FisOptions, type FisPlan } from '../../chaos/fis.ts';
import { generatePitrPlan, type PitrPlan } from '../../chaos/pitr.ts';
import { confirmRealRun, describeFisRun, runFisExperiment, type FisRunResult } from '../../chaos/fis-run.ts';
import { describeRdsRestore, runRdsRestore, DEFAULT_RESTORE_TIMEOUT_MS, type RdsRestoreResult } from '../../chaos/rds-restore.ts';
import { objectivesFor, parseScenario, SCENARIOS, type ScenarioName } from '../../chaos/scenarios.ts';
import { pageAlarmNames } from '../../chaos/stop-alarms.ts';
import { deprecated, parentCommand, resolveConfigPath, shownPath, withExamples, withJsonOnStdout, configOptionHelp } from '../shared.ts';
import { clientConfig, ENDPOINT_URL_HELP, parseEndpointUrl } from '../../aws/endpoint.ts';
import { assertAwsReady } from '../../aws/preflight.ts';
import type { FisClient } from '@aws-sdk/client-fis';
import { durationSeconds, localGamedayCommand, type LocalGamedayFlags } from '../../gameday/command.ts';
import { awsGamedayRecord } from '../../gameday/aws-record.ts';
import type { SolidaModel } from '../../slo/model.ts';

export interface FisFlags {
  config: string;
  account?: string;
  region?: string;
  partition?: string;
  roleArn?: string;
  az?: string;
  subnetArn: string[];
  subnetTag: string[];
  vpc?: string;
  secondaryRegion?: string;
  duration?: number;
  stopAlarm: string[];
  stopAlarmPrefix?: string;
  service: string[];
  corruptedAt?: string;
  instanceClass?: string;
  endpointUrl?: string;
}

const collect = (v: string, prev: string[]) => [...prev, v];

function durationFlagOf(flag: string, example: string): (text: string) => number {
  return (text) => {
    const d = parseDuration(text);
    if (!d) throw new SolidaError(`invalid ${flag} '${text}'`, 2, [{ message: 'not a duration', fix: `e.g. ${flag} ${example}` }]);
    return d.seconds;
  };
}
const durationFlag = durationFlagOf('--duration', '10m');

function tags(list: string[]): Record<string, string> | undefined {
  if (!list.length) return undefined;
  const out: Record<string, string> = {};
  for (const kv of list) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new SolidaError(`invalid --subnet-tag '${kv}'`, 2, [{ message: 'expected KEY=VALUE', fix: '--subnet-tag tier=app' }]);
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}

function withFisOptions(cmd: Command): Command {
  return withAwsFisOptions(cmd.option('-c, --config <file>', configOptionHelp()));
}

/** Where and how the FIS experiment runs: `generate fis` and `gameday --target aws`. */
function withAwsFisOptions(cmd: Command): Command {
  return cmd
    .option('--account <id>', 'AWS account id (12 digits)')
    .option('--region <region>', 'region of the experiment (default: the services’ aws.region)')
    .option('--partition <partition>', 'AWS partition', 'aws')
    .option('--role-arn <arn>', 'experiment role (default role/solida-fis-<scenario>)')
    .option('--az <az>', 'AZ name to lose (az-failure), e.g. us-east-1a')
    .option('--subnet-arn <arn>', 'subnet to disrupt (repeatable, ≤ 5)', collect, [])
    .option('--subnet-tag <key=value>', 'select subnets by tag (repeatable)', collect, [])
    .option('--vpc <id>', 'VPC of the tagged subnets')
    .option('--secondary-region <region>', 'DR region (region-failover)')
    .option('--duration <duration>', 'fault duration (e.g. 10m)', durationFlag)
    .option('--stop-alarm <arn-or-name>', 'SLO page alarm used as stop condition (repeatable, ≤ 5)', collect, [])
    .option('--stop-alarm-prefix <prefix>', 'use the page alarms `generate cloudwatch` created with this prefix as stop conditions')
    .option('--service <name>', 'limit to these services (repeatable)', collect, [])
    .option('--corrupted-at <iso-time>', 'pitr: when the bad write happened (generates the restore request)')
    .option('--instance-class <class>', 'pitr: instance class of the restored database')
    .option('--endpoint-url <url>', ENDPOINT_URL_HELP, parseEndpointUrl);
}

function fisOptions(model: SolidaModel, flags: FisFlags, scenario: ScenarioName): FisOptions {
  if (!flags.account) throw new SolidaError('--account is required', 2, [{ message: 'ARNs in templates and policies name the account', fix: '--account 123456789012' }]);
  return {
    scenario,
    accountId: flags.account,
    region: flags.region,
    partition: flags.partition,
    roleArn: flags.roleArn,
    availabilityZone: flags.az,
    subnets: { arns: flags.subnetArn, tags: tags(flags.subnetTag), vpcId: flags.vpc },
    isolateRegion: flags.secondaryRegion,
    durationSeconds: flags.duration,
    stopAlarms: [...flags.stopAlarm, ...(flags.stopAlarmPrefix ? pageAlarmNames(model, flags.stopAlarmPrefix, flags.service) : [])],
    services: flags.service.length ? flags.service : undefined,
  };
}

function pitrPlan(model: Awaited<ReturnType<typeof loadModel>>, flags: FisFlags): PitrPlan | undefined {
  if (!flags.corruptedAt) return undefined;
  const corruptedAt = new Date(flags.corruptedAt);
  return generatePitrPlan(model, {
    accountId: flags.account!,
    region: flags.region,
    partition: flags.partition,
    service: flags.service[0],
    corruptedAt,
    instanceClass: flags.instanceClass,
  });
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** The files `generate fis` writes for one scenario. */
export function scenarioFiles(plan: FisPlan, pitr?: PitrPlan): OutputFile[] {
  const s = plan.scenario;
  const files = [
    { path: `${s}.template.json`, content: json(plan.template) },
    { path: `${s}.trust-policy.json`, content: json(plan.trustPolicy) },
  ];
  if (plan.rolePolicy) files.push({ path: `${s}.role-policy.json`, content: json(plan.rolePolicy) });
  if (pitr) {
    files.push({ path: 'pitr.restore.json', content: json({ restoreTime: pitr.restoreTime, restoreGapSeconds: pitr.restoreGapSeconds, ...pitr.requests }) });
    files.push({ path: 'pitr.operator-policy.json', content: json(pitr.operatorPolicy) });
  }
  return files;
}

export async function generateFisCommand(flags: FisFlags & { out: string; scenario?: string }): Promise<void> {
  const model = await loadModel(flags.config);
  const scenarios = flags.scenario ? [parseScenario(flags.scenario)] : [...SCENARIOS];
  const files: OutputFile[] = [];
  const notes: string[] = [];
  // Everything is generated (and validated) before the first file is written.
  for (const scenario of scenarios) {
    const plan = generateFisPlan(model, fisOptions(model, flags, scenario));
    const pitr = scenario === 'pitr' ? pitrPlan(model, flags) : undefined;
    if (scenario === 'pitr' && !pitr) notes.push('pitr: pass --corrupted-at to also write the restore request (pitr.restore.json)');
    files.push(...scenarioFiles(plan, pitr));
    notes.push(...plan.warnings.map((w) => `${scenario}: ${w}`));
  }
  // Stale files of the previous run of the same selection (manifest) are removed; nothing else is.
  const written = await writeFilesAtomically(flags.out, files, { manifest: `generate fis ${flags.scenario ?? 'all'}` });
  for (const path of written) process.stdout.write(`wrote ${shownPath(path)}\n`);
  for (const r of written.removed ?? []) process.stdout.write(`removed ${shownPath(r)} (written by the previous run, no longer generated)\n`);
  for (const n of notes) process.stderr.write(`warning: ${n}\n`);
}

function restoreSummary(r: RdsRestoreResult): string[] {
  const lines = [
    r.outcome === 'available'
      ? `restore available at ${r.availableAt!.toISOString()}: ${r.seconds} s after it was requested (${r.requestedAt.toISOString()})`
      : `restore ${r.outcome}: ${r.reason}`,
  ];
  for (const p of r.phases) lines.push(`  ${p.operation} ${p.identifier}: ${p.seconds !== undefined ? `available after ${p.seconds} s` : `last status ${p.lastStatus ?? 'not yet visible'}`}`);
  if (r.outcome !== 'available' && r.created.length) {
    lines.push(`  left in place (solida deletes nothing): ${r.created.map((c) => `${c.resource} ${c.identifier}`).join(', ')}`);
  }
  return lines;
}

export interface AwsGamedayFlags extends FisFlags {
  execute?: boolean;
  yes?: boolean;
  restoreTimeout?: number;
  /** Write the run's record (experiment, restore, RTO/RPO against the objectives) to this file. */
  json?: string;
  rto?: string;
  rpo?: string;
}

export async function awsGamedayCommand(scenarioName: string, flags: AwsGamedayFlags): Promise<void> {
  const scenario = parseScenario(scenarioName);
  const objectives = objectivesFor(scenario, { explicit: { rtoSeconds: durationSeconds('--rto', flags.rto), rpoSeconds: durationSeconds('--rpo', flags.rpo) } });
  const model = await loadModel(resolveConfigPath(flags.config));
  let fis: FisClient | undefined;
  // Where the experiment runs; the --region the user typed stays as given (a --yes run must name it).
  let planRegion = flags.region;
  if (flags.execute) {
    // Before anything else: a real run with no credentials or region ends here, in one line.
    const { FisClient } = await import('@aws-sdk/client-fis');
    const declared = [...new Set(model.services.map((s) => s.aws?.region).filter((r): r is string => !!r))];
    fis = new FisClient(clientConfig({ region: flags.region ?? (declared.length === 1 ? declared[0] : undefined), endpointUrl: flags.endpointUrl }));
    // Several declared regions and no --region: the plan below says so; otherwise the SDK's chain may supply one.
    const region = await assertAwsReady(fis, 'gameday --target aws');
    if (declared.length <= 1) planRegion = region;
  }
  const plan = generateFisPlan(model, fisOptions(model, { ...flags, region: planRegion }, scenario));
  const pitr = scenario === 'pitr' ? pitrPlan(model, { ...flags, region: planRegion }) : undefined;
  const restoreTimeoutMs = flags.restoreTimeout !== undefined ? flags.restoreTimeout * 1000 : DEFAULT_RESTORE_TIMEOUT_MS;
  const out = (s: string) => process.stdout.write(`${s}\n`);
  for (const w of plan.warnings) process.stderr.write(`warning: ${w}\n`);
  if (!flags.execute) {
    out(`DRY RUN (add --execute to run in AWS): game day ${scenario} in ${plan.location.accountId}/${plan.location.region}`);
    for (const line of describeFisRun(plan.template, plan.location.region)) out(line);
    if (pitr) for (const line of describeRdsRestore(pitr.requests, undefined, restoreTimeoutMs)) out(line);
    if (flags.json) process.stderr.write(`note: ${flags.json} not written: the record is of a real run (add --execute); a dry run sends and measures nothing\n`);
    return;
  }
  if (scenario === 'pitr' && !pitr) {
    throw new SolidaError('a real pitr game day needs the corruption time', 2, [{ path: '--corrupted-at', message: 'the restore point is chosen just before the bad write', fix: '--corrupted-at 2026-01-30T10:00:00Z' }]);
  }
  const rl = process.stdin.isTTY ? createInterface({ input: process.stdin, output: process.stdout }) : undefined;
  try {
    await confirmRealRun({ accountId: plan.location.accountId, region: plan.location.region }, { yes: flags.yes, account: flags.account, region: flags.region }, rl ? (q) => rl.question(q) : undefined);
  } finally {
    rl?.close();
  }
  const controller = new AbortController();
  let phase = 'stopping the experiment';
  const onSigint = () => {
    process.stderr.write(`\ninterrupted: ${phase}…\n`);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const startedAt = new Date();
  let experiment: FisRunResult | undefined;
  let experimentError: string | undefined;
  let restore: RdsRestoreResult | undefined;
  try {
    try {
      experiment = await runFisExperiment({
        client: fis!,
        template: plan.template,
        signal: controller.signal,
        onEvent: (e) => out(`${e.at.toISOString()} experiment ${e.status}${e.reason ? `: ${e.reason}` : ''}`),
      });
    } catch (err) {
      experimentError = (err as Error)?.message ?? String(err);
      throw err;
    }
    const result = experiment;
    out(`experiment ${result.experimentId} (template ${result.templateId}) ended ${result.status}${result.stoppedByUs ? ' (stopped by solida)' : ''}`);
    for (const a of result.failedActions) out(`  action ${a.name}: ${a.status}${a.reason ? ` — ${a.reason}` : ''}`);
    if (result.status !== 'completed') {
      process.exitCode = 1;
      if (pitr) out('restore not requested: the experiment did not complete');
      return;
    }
    if (pitr) {
      const { RDSClient } = await import('@aws-sdk/client-rds');
      phase = 'no longer waiting for the restore (what it created is left in place)';
      out(`restoring ${pitr.source} to ${pitr.restoreTime.toISOString()} into ${pitr.target}…`);
      restore = await runRdsRestore({
        client: new RDSClient(clientConfig({ region: plan.location.region, endpointUrl: flags.endpointUrl })),
        requests: pitr.requests,
        signal: controller.signal,
        timeoutMs: restoreTimeoutMs,
        onEvent: (e) => out(`${e.at.toISOString()} ${e.resource} ${e.identifier} ${e.status}`),
      });
      for (const line of restoreSummary(restore)) out(line);
      if (restore.outcome !== 'available') process.exitCode = 1;
    }
  } finally {
    process.off('SIGINT', onSigint);
    if (flags.json) {
      const record = awsGamedayRecord({
        scenario,
        account: plan.location.accountId,
        region: plan.location.region,
        startedAt,
        finishedAt: new Date(),
        objectives,
        experiment,
        experimentError,
        pitr,
        restore,
      });
      await writeFileAtomically(flags.json, `${JSON.stringify(record, null, 2)}\n`);
      out(`record: ${flags.json} (verdict ${record.verdict}${record.reasons.length ? `: ${record.reasons.join('; ')}` : ''})`);
      if (record.verdict !== 'pass') process.exitCode = 1;
    }
  }
}

/** `solida generate fis`: attaches to an existing `generate` command when another module created it. */
export function registerFisCommands(program: Command): void {
  const generate = parentCommand(program, 'generate', 'generate artifacts from the SLOs');
  const fis = withFisOptions(generate.command('fis').description('FIS experiment templates and least-privilege IAM policies for the DR scenarios'))
    .requiredOption('-o, --out <dir>', 'folder to write the JSON files into')
    .option('--scenario <name>', `one of ${SCENARIOS.join(', ')} (default: all)`)
    .action((flags: FisFlags & { out: string; scenario?: string }) => generateFisCommand({ ...flags, config: resolveConfigPath(flags.config) }));
  withExamples(
    fis,
    'solida generate fis -o out/fis --account 123456789012 --az us-east-1a --subnet-tag tier=app --stop-alarm-prefix solida',
    'solida generate fis -o out/fis --account 123456789012 --scenario pitr --corrupted-at 2026-01-30T10:00:00Z',
  );
}

/** `--target` of gameday (and runbook run): where it runs. `local` is the old name of `lab`. */
function gamedayTarget(value: string): 'lab' | 'aws' {
  if (value === 'local') {
    deprecated('gameday --target local', '--target lab');
    return 'lab';
  }
  if (value === 'lab' || value === 'aws') return value;
  throw new SolidaError(`unknown --target ${value}`, 2, [{ path: '--target', message: 'game days run on the local lab or in AWS', fix: '--target lab or --target aws' }]);
}

/**
 * `solida gameday SCENARIO [--target lab|aws]`: lab (the default) runs the scenario on the local lab with
 * load and measures RTO/RPO; aws generates the FIS experiment and runs it (dry-run unless --execute).
 * --help groups the options by target.
 */
export function registerAwsGamedayCommand(program: Command): void {
  if (program.commands.some((c) => c.name() === 'gameday')) return;
  const cmd = program
    .command('gameday')
    .argument('<scenario>', SCENARIOS.join(' | '))
    .description('run a DR game day and measure RTO/RPO against the objectives (lab: the local lab under load; aws: an AWS FIS experiment, dry-run unless --execute)');
  cmd
    .optionsGroup('Options (both targets):')
    .option('--target <target>', 'lab (processes on this machine) or aws (FIS)', gamedayTarget, 'lab')
    .option('-c, --config <file>', 'spec file (default: lab: the embedded example; aws: ./solida.config.ts)')
    .option('--json [file]', 'the JSON report (verdict, RTO/RPO against the objectives): to FILE, or on stdout instead of the text')
    .option('--rto <duration>', 'RTO objective (default: the runbook’s)')
    .option('--rpo <duration>', 'RPO objective (default: the runbook’s)')
    .option('--yes', 'aws: skip the prompt (needs --account and --region); lab: implied (manual steps auto-confirmed)');
  cmd
    .optionsGroup('Lab options (--target lab):')
    .option('--lab-dir <dir>', 'use this running lab (left running) instead of starting one')
    .option('--async', 'asynchronous standby in the lab it starts')
    .option('--keep', 'leave the lab it started running')
    .option('--markdown <file>', 'write the Markdown report')
    .option('--html <file>', 'write the HTML report with the timeline chart')
    .option('--journal <file>', 'write the runbook journal (JSON) as it runs')
    .option('--rate <n>', 'requests per second (open model)', '50')
    .option('--load <driver>', 'load generator: builtin, k6 (k6 on PATH, reads its --out json) or auto (k6 when on PATH)', 'builtin')
    .option('--baseline <duration>', 'steady state before the fault (default 10s; pitr: the profile\'s restorable-time lag + 20s, so a base backup is older than the restore point)')
    .option('--sustain <duration>', 'how long the SLI must hold to count as recovered', '15s')
    .option('--window <duration>', 'SLI window', '5s')
    .option('--profile <name>', "timing profile of the managed parts: short (seconds, slept) or reference (the reference architecture's documented timelines, modelled)", 'short')
    .option('--failover-delay <duration>', "override the profile's RDS failure detection before a standby is promoted (short: 10s, reference: 120s)")
    .option('--replica-delay <duration>', 'two regions: the DR replica streams through a link delaying the WAL this long', '500ms');
  cmd.optionsGroup('AWS options (--target aws):');
  withAwsFisOptions(cmd)
    .option('--execute', 'really create and start the experiment (asks for the account and region); pitr: then restore through RDS')
    .option('--restore-timeout <duration>', 'pitr: how long to wait for the restored database to be available (default 60m)', durationFlagOf('--restore-timeout', '90m'))
    .action(async (scenario: string, flags: Omit<AwsGamedayFlags & LocalGamedayFlags, 'json'> & { target: 'lab' | 'aws'; json?: string | boolean }) => {
      await withJsonOnStdout(flags.json, async (json) => {
        if (flags.target === 'aws') return awsGamedayCommand(scenario, { ...flags, json });
        await localGamedayCommand(scenario, { ...flags, json });
      });
    });
  withExamples(
    cmd,
    'solida gameday az-failure                                   # on the local lab: load, AZ loss, runbook, RTO/RPO',
    'solida gameday region-failover --json out/region.json --html out/region.html',
    'solida gameday az-failure --target aws --account 123456789012 --region us-east-1 --az us-east-1a --subnet-tag tier=app   # dry run',
  );
}
