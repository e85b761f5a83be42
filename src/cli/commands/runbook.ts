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
import type { RunbookParams } from '../../runbooks/types.ts';

// The running lab in SOLIDA_LAB_DIR (default .solida/lab); loaded on demand so `dry` needs none of it.
registerTarget('lab', async () => new (await import('../../lab/runbook-target.ts')).LabTarget(process.env.SOLIDA_LAB_DIR));

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
}

async function runCommand(name: string, flags: RunFlags): Promise<void> {
  const runbook = getRunbook(name, objectiveFlags(flags));
  const target = await createTarget(flags.target);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (target.dryRun) out(`DRY RUN: target '${flags.target}' simulates the topology; nothing real is touched.`);
  const params: Partial<RunbookParams> = {
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
  const rl = !flags.yes && process.stdin.isTTY ? createInterface({ input: process.stdin, output: process.stdout }) : undefined;
  try {
    const journal = await runRunbook(runbook, {
      target,
      params,
      yes: flags.yes,
      confirm: rl ? async (prompt, signal) => /^y(es)?$/i.test((await rl.question(`\n${prompt}\nDone? [y/N] `, { signal })).trim()) : undefined,
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
    .option('--target <name>', `where to run (${targetNames().join(', ')})`, 'dry')
    .option('--az <az>', 'the AZ to lose (az-failure)')
    .option('--primary-region <region>', 'primary region')
    .option('--secondary-region <region>', 'DR region')
    .option('--table <name>', 'table the row-count checks read')
    .option('--rto <duration>', 'override the RTO objective', seconds('--rto'))
    .option('--rpo <duration>', 'override the RPO objective', seconds('--rpo'))
    .action((name: string, flags: RunFlags) => runCommand(name, flags));
  withExamples(
    run,
    'solida runbook run az-failure                          # dry target: simulated, nothing real is touched',
    'solida runbook run region-failover --target lab --yes --journal out/journal.json   # on a running 2-region lab',
  );
}
