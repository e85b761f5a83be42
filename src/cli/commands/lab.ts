// solida lab up|status|down|logs: the local region lab game days run on.
import type { Command } from 'commander';
import { SolidaError } from '../../util/errors.ts';
import { emitJson, withExamples } from '../shared.ts';
import { componentLog, formatStatus, labDown, labStatus, labUp } from '../../lab/index.ts';
import { EXAMPLE_SPEC } from '../../slo/example.ts';

const err = (msg: string) => process.stderr.write(`${msg}\n`);

function parseRegions(value: string): 1 | 2 {
  if (value === '1' || value === '2') return Number(value) as 1 | 2;
  throw new SolidaError(`--regions must be 1 or 2, not ${value}`, 2);
}

export function registerLabCommands(program: Command): void {
  const lab = program.command('lab').description('the local region lab: PostgreSQL primary/standby, HAProxy, Prometheus, inventory service');
  withExamples(lab, 'solida lab up', 'solida lab status', 'solida lab down');

  const up = lab
    .command('up')
    .description('start a lab (region r1 with AZs a and b; --regions 2 adds r2 and a global front)')
    .option('--regions <n>', 'number of regions, 1 or 2', '1')
    .option('--dir <dir>', 'lab directory (default .solida/lab)')
    .option('--async', 'asynchronous standby in r1 (default: synchronous)')
    .option('--json [file]', 'the lab description as JSON: to FILE, or on stdout instead of the text')
    .action(async (opts: { regions: string; dir?: string; async?: boolean; json?: string | boolean }) => {
      const result = await labUp({
        dir: opts.dir,
        regions: parseRegions(opts.regions),
        async: opts.async,
        sloConfig: EXAMPLE_SPEC,
        handleSignals: true,
        log: (m) => err(`[lab] ${m}`),
      });
      if (await emitJson(opts.json, result.lab)) return;
      const { endpoints } = result.lab;
      process.stdout.write(
        [
          `lab up in ${result.seconds.toFixed(1)} s: ${result.lab.dir}`,
          ...Object.entries(endpoints.alb).map(([r, url]) => `  load balancer ${r}: ${url}`),
          ...(endpoints.global ? [`  global front:     ${endpoints.global}`] : []),
          `  prometheus:       ${endpoints.prometheus}`,
          `  SLO rules:        ${result.ruleFiles.length ? result.ruleFiles.join(', ') : `none (${result.rulesSkipped})`}`,
          'see `solida lab status`; stop with `solida lab down`',
          '',
        ].join('\n'),
      );
    });
  withExamples(up, 'solida lab up                      # region r1: AZs a and b, in .solida/lab', 'solida lab up --regions 2 --json out/lab.json');

  const status = lab
    .command('status')
    .description('health of each component, database roles, replication lag')
    .option('--dir <dir>', 'lab directory (default .solida/lab)')
    .option('--json [file]', 'the status as JSON: to FILE, or on stdout instead of the text')
    .action(async (opts: { dir?: string; json?: string | boolean }) => {
      const status = await labStatus(opts.dir);
      if (!(await emitJson(opts.json, status))) process.stdout.write(formatStatus(status));
    });
  withExamples(status, 'solida lab status', 'solida lab status --json');

  const down = lab
    .command('down')
    .description('stop every lab process and remove the lab directory')
    .option('--dir <dir>', 'lab directory (default .solida/lab)')
    .option('--keep', 'keep the data and logs for inspection')
    .action(async (opts: { dir?: string; keep?: boolean }) => {
      const result = await labDown(opts.dir, { keep: opts.keep });
      if (result.strays.length) err(`killed ${result.strays.length} leftover lab process(es) nobody recorded (orphaned PostgreSQL children of a lost region, or a crashed run's servers)`);
      if (result.nothingToStop) {
        process.stdout.write(`no lab in ${result.dir}: nothing to stop\n`);
        return;
      }
      // solida kills only what it recorded; anything else naming the directory is the operator's to judge.
      if (result.unrecorded.length) err(`warning: process(es) ${result.unrecorded.join(', ')} mention ${result.dir} but were not started by this lab; not killed`);
      process.stdout.write(
        `lab down in ${result.seconds.toFixed(1)} s: stopped ${result.stopped.length} component(s); ${opts.keep ? `kept ${result.dir}` : `removed ${result.dir}`}\n`,
      );
    });
  withExamples(down, 'solida lab down', 'solida lab down --keep            # keep data and logs to inspect');

  const logs = lab
    .command('logs')
    .description('print a component log (db-r1-a, inventory-r1-b, alb-r1, prometheus, ...)')
    .argument('<component>', 'component name')
    .option('--dir <dir>', 'lab directory (default .solida/lab)')
    .option('-n, --lines <n>', 'only the last N lines')
    .action((name: string, opts: { dir?: string; lines?: string }) => {
      const lines = opts.lines === undefined ? undefined : Number(opts.lines);
      if (lines !== undefined && (!Number.isInteger(lines) || lines <= 0)) throw new SolidaError('--lines must be a positive integer', 2);
      process.stdout.write(componentLog(opts.dir, name, lines));
    });
  withExamples(logs, 'solida lab logs db-r1-a -n 50');
}
