// `solida runbook list|show|run`: the DR runbooks on-call uses.
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { emitJson, withExamples } from '../shared.ts';
import { parseDuration } from '../../slo/duration.ts';
import { SolidaError } from '../../util/errors.ts';
import type { Objectives } from '../../chaos/scenarios.ts';
import { getRunbook, listRunbooks } from '../../runbooks/catalog.ts';
import { formatJournalStep, formatJournalSummary, formatList, formatRunbook } from '../../runbooks/format.ts';
import { runRunbook } from '../../runbooks/runner.ts';
import { createTarget, registerTarget, targetNames } from '../../runbooks/targets.ts';
import type { RunbookParams, TargetAdapter } from '../../runbooks/types.ts';
import { AwsTarget } from '../../aws/runbook-target.ts';
import { loadModel } from '../../slo/load.ts';
import { clientConfig, ENDPOINT_URL_HELP, parseEndpointUrl } from '../../aws/endpoint.ts';
import { assertAwsReady, REGION_FIX } from '../../aws/preflight.ts';
import { resolveConfigPath } from '../shared.ts';

// The running lab in SOLIDA_LAB_DIR (default .solida/lab); loaded on demand so `dry` needs none of it.
registerTarget('lab', async () => {
  const { LabTarget } = await import('../../lab/runbook-target.ts');
  const { labExists, resolveLabDir } = await import('../../lab/description.ts');
  // No lab is bad input, found before the first step: not a runbook that "failed" its first check.
  const dir = resolveLabDir(process.env.SOLIDA_LAB_DIR);
  if (!labExists(dir)) {
    throw new SolidaError(`no lab in ${dir}`, 2, [{ file: dir, message: 'the lab target acts on a running lab (SOLIDA_LAB_DIR, default .solida/lab)', fix: 'start one with `solida lab up` (`solida lab up --regions 2` for region-failover), or set SOLIDA_LAB_DIR' }]);
  }
  return new LabTarget(process.env.SOLIDA_LAB_DIR);
});

function seconds(flag: string) {
  return (text: string): number => {
    const d = text === '0' || text === '0s' ? { seconds: 0 } : parseDuration(text);
    if (!d) throw new SolidaError(`invalid ${flag} '${text}'`, 2, [{ message: `'${text}' is not a duration`, fix: `e.g. ${flag} 2m` }]);
    return d.seconds;
  };
}

function objectiveFlags(opts: { rto?: number; rpo?: number }): Partial<Objectives> | undefined {
  if (opts.rto === undefined && opts.rpo === undefined) return undefined;
  return { rtoSeconds: opts.rto, rpoSeconds: opts.rpo };
}

interface RunFlags {
  yes?: boolean;
  journal?: string;
  target: string;
  rto?: number;
  rpo?: number;
  az?: string;
  primaryRegion?: string;
  secondaryRegion?: string;
  table?: string;
  // aws target
  config?: string;
  service?: string;
  region?: string;
  endpointUrl?: string;
  execute?: boolean;
  prefix?: string;
}

/**
 * The on-call AWS target for the service in the config: its region, target group, database and alarm prefix.
 * Mutating requests need --execute, then a typed yes per request (or --yes with an explicit --region).
 */
async function awsTarget(flags: RunFlags, ask: ((q: string) => Promise<string>) | undefined): Promise<{ target: AwsTarget; region: string }> {
  const model = await loadModel(resolveConfigPath(flags.config));
  const candidates = model.services.filter((s) => (flags.service ? s.name === flags.service : s.aws?.rds || s.aws?.alb));
  if (candidates.length !== 1) {
    throw new SolidaError(flags.service ? `no service '${flags.service}' in ${model.source}` : `${candidates.length} services with AWS resources in ${model.source}`, 2, [{ path: 'services', message: 'the aws target acts on one service', fix: `pass --service NAME (one of: ${model.services.map((s) => s.name).join(', ')})` }]);
  }
  const service = candidates[0];
  // The region: --region, the service's aws.region, else the SDK's chain (AWS_REGION, the profile's region).
  const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
  const cloudwatch = new CloudWatchClient(clientConfig({ region: flags.region ?? service.aws?.region, endpointUrl: flags.endpointUrl }));
  const region = await assertAwsReady(cloudwatch, 'runbook run --target aws');
  if (!region) throw new SolidaError(`runbook run --target aws needs an AWS region: ${REGION_FIX}`, 2);
  if (!flags.az) throw new SolidaError('--az is required with --target aws', 2, [{ path: '--az', message: 'the lost AZ, as AWS names it', fix: `e.g. --az ${region}a` }]);
  if (flags.execute && flags.yes && !flags.region) {
    throw new SolidaError('--execute --yes needs --region', 2, [{ path: '--region', message: 'sending changes without a prompt must name the region they may touch', fix: `add --region ${region}` }]);
  }
  if (flags.execute && !flags.yes && !ask) {
    throw new SolidaError('--execute needs a terminal to confirm each change', 2, [{ message: 'no terminal to ask on', fix: `run it in a terminal, or pass --yes --region ${region}` }]);
  }
  const target = new AwsTarget({
    region,
    endpointUrl: flags.endpointUrl,
    clients: { cloudwatch },
    targetGroup: service.aws?.alb?.targetGroup,
    db: { instance: service.aws?.rds?.instance, cluster: service.aws?.rds?.cluster },
    lostAz: flags.az,
    alarmPrefix: `${flags.prefix ?? 'solida'}-${service.name}`,
    execute: !!flags.execute,
    confirm: async (question) => (flags.yes ? true : /^y(es)?$/i.test((await ask!(`${question} [y/N] `)).trim())),
  });
  return { target, region };
}

async function runCommand(name: string, flags: RunFlags): Promise<void> {
  const runbook = getRunbook(name, objectiveFlags(flags));
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const rl = process.stdin.isTTY ? createInterface({ input: process.stdin, output: process.stdout }) : undefined;
  let target: TargetAdapter;
  let awsRegion: string | undefined;
  try {
    if (flags.target === 'aws') ({ target, region: awsRegion } = await awsTarget(flags, rl ? (q) => rl.question(q) : undefined));
    else target = await createTarget(flags.target);
  } catch (err) {
    rl?.close();
    throw err;
  }
  if (flags.target === 'aws' && target.dryRun) out('DRY RUN (add --execute to send changes): checks read AWS for real; failovers are only described.');
  else if (target.dryRun) out(`DRY RUN: target '${flags.target}' simulates the topology; nothing real is touched.`);
  const params: Partial<RunbookParams> = {
    ...(awsRegion ? { primaryRegion: awsRegion } : {}),
    ...(flags.az ? { az: flags.az } : {}),
    ...(flags.primaryRegion ? { primaryRegion: flags.primaryRegion } : {}),
    ...(flags.secondaryRegion ? { secondaryRegion: flags.secondaryRegion } : {}),
    ...(flags.table ? { table: flags.table } : {}),
  };
  const controller = new AbortController();
  const onSigint = () => {
    process.stderr.write('\ninterrupted: stopping and undoing the faults in effect…\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const journal = await runRunbook(runbook, {
      target,
      params,
      yes: flags.yes,
      confirm: rl && !flags.yes ? async (prompt, signal) => /^y(es)?$/i.test((await rl.question(`\n${prompt}\nDone? [y/N] `, { signal })).trim()) : undefined,
      // A dry run on AWS only reads: with no terminal (CI, a pipe) it lists the manual steps instead of refusing.
      listManualSteps: flags.target === 'aws',
      signal: controller.signal,
      journalFile: flags.journal,
      onStep: (e) => out(formatJournalStep(e, target.dryRun)),
    });
    out(formatJournalSummary(journal));
    if (flags.journal) out(`journal: ${flags.journal}`);
    if (journal.outcome !== 'succeeded') process.exitCode = 1;
  } finally {
    rl?.close();
    process.off('SIGINT', onSigint);
  }
}

export function registerRunbookCommands(program: Command): void {
  const runbook = program.command('runbook').description('DR runbooks: list, show, run (with a JSON journal)');
  withExamples(runbook, 'solida runbook list', 'solida runbook show az-failure', 'solida runbook run region-failover --yes --journal out/journal.json');
  const list = runbook
    .command('list')
    .description('list the runbooks with their objectives')
    .action(() => {
      process.stdout.write(`${formatList(listRunbooks())}\n`);
    });
  withExamples(list, 'solida runbook list');
  const show = runbook
    .command('show')
    .argument('<name>', 'az-failure | region-failover | pitr')
    .description('show a runbook: objectives, expected timeline, steps')
    .option('--rto <duration>', 'override the RTO objective (e.g. 90s)', seconds('--rto'))
    .option('--rpo <duration>', 'override the RPO objective (e.g. 1m)', seconds('--rpo'))
    .option('--json [file]', 'the runbook as JSON: to FILE, or on stdout instead of the text')
    .action(async (name: string, flags: { rto?: number; rpo?: number; json?: string | boolean }) => {
      const r = getRunbook(name, objectiveFlags(flags));
      if (await emitJson(flags.json, r)) return;
      process.stdout.write(`${formatRunbook(r)}\n`);
    });
  withExamples(show, 'solida runbook show az-failure', 'solida runbook show pitr --rpo 1m --json');
  const run = runbook
    .command('run')
    .argument('<name>', 'az-failure | region-failover | pitr')
    .description('run a runbook against a target, writing a journal of every step')
    .option('--yes', 'auto-confirm manual steps')
    .option('--journal <file>', 'write the JSON journal here')
    .option('--target <name>', `where to run (${[...targetNames(), 'aws'].join(', ')})`, 'dry')
    .option('--az <az>', 'the AZ to lose (az-failure)')
    .option('--primary-region <region>', 'primary region')
    .option('--secondary-region <region>', 'DR region')
    .option('--table <name>', 'table the row-count checks read')
    .option('--rto <duration>', 'override the RTO objective', seconds('--rto'))
    .option('--rpo <duration>', 'override the RPO objective', seconds('--rpo'))
    .option('-c, --config <file>', 'aws: the spec naming the service’s target group, database and region')
    .option('--service <name>', 'aws: the service to act on (default: the only one with AWS resources)')
    .option('--region <region>', 'aws: AWS region (default: the service’s aws.region)')
    .option('--prefix <prefix>', 'aws: alarm name prefix whose alarms in ALARM are reported (default solida)')
    .option('--endpoint-url <url>', `aws: ${ENDPOINT_URL_HELP}`, parseEndpointUrl)
    .option('--execute', 'aws: send the failover requests (each confirmed); without it they are only described')
    .action((name: string, flags: RunFlags) => runCommand(name, flags));
  withExamples(
    run,
    'solida runbook run az-failure                          # dry target: simulated, nothing real is touched',
    'solida runbook run region-failover --target lab --yes --journal out/journal.json   # on a running 2-region lab',
  );
}
