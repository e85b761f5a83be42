// `solida gameday SCENARIO --target local`: runs the game day on the lab, prints the summary, writes the
// JSON/Markdown/HTML reports, and exits non-zero when an objective is missed or the run is interrupted.
import { parseDuration } from '../slo/duration.ts';
import { parseScenario } from '../chaos/scenarios.ts';
import { writeFileAtomically } from '../util/files.ts';
import { SolidaError } from '../util/errors.ts';
import { LOAD_DRIVERS, type LoadDriver } from './load-k6.ts';
import { runGameday, type GamedayOptions, type GamedayResult } from './orchestrator.ts';
import { formatSummary } from './report.ts';
import { emergencyUndo, labDownCommand, type GamedayLab } from './interrupt.ts';
import { renderGamedayHtml } from './render-html.ts';
import { renderGamedayMarkdown } from './render-markdown.ts';

export interface LocalGamedayFlags {
  config?: string;
  labDir?: string;
  async?: boolean;
  keep?: boolean;
  json?: string;
  markdown?: string;
  html?: string;
  journal?: string;
  rate?: string;
  load?: string;
  baseline?: string;
  sustain?: string;
  window?: string;
  failoverDelay?: string;
  replicaDelay?: string;
  rto?: string;
  rpo?: string;
}

export function durationSeconds(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (/^0+(s)?$/.test(text)) return 0;
  const d = parseDuration(text);
  if (!d) throw new SolidaError(`invalid ${flag} '${text}'`, 2, [{ message: `'${text}' is not a duration`, fix: `e.g. ${flag} 30s` }]);
  return d.seconds;
}

function positiveNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new SolidaError(`invalid ${flag} '${text}'`, 2, [{ message: 'expected a positive number', fix: `e.g. ${flag} 50` }]);
  return n;
}

function loadDriver(text: string | undefined): LoadDriver | undefined {
  if (text === undefined) return undefined;
  if (!(LOAD_DRIVERS as readonly string[]).includes(text)) {
    throw new SolidaError(`invalid --load '${text}'`, 2, [{ message: `expected one of ${LOAD_DRIVERS.join(', ')}`, fix: 'e.g. --load k6 (k6 on PATH) or --load builtin' }]);
  }
  return text as LoadDriver;
}

export function gamedayOptionsFromFlags(scenario: string, flags: LocalGamedayFlags): GamedayOptions {
  const rto = durationSeconds('--rto', flags.rto);
  const rpo = durationSeconds('--rpo', flags.rpo);
  return {
    scenario: parseScenario(scenario),
    sloConfig: flags.config,
    labDir: flags.labDir,
    async: flags.async,
    keep: flags.keep,
    journalFile: flags.journal,
    ratePerSecond: positiveNumber('--rate', flags.rate),
    load: loadDriver(flags.load),
    baselineSeconds: durationSeconds('--baseline', flags.baseline),
    sustainSeconds: durationSeconds('--sustain', flags.sustain),
    windowSeconds: durationSeconds('--window', flags.window),
    failoverDelaySeconds: durationSeconds('--failover-delay', flags.failoverDelay),
    replicaDelaySeconds: durationSeconds('--replica-delay', flags.replicaDelay),
    objectives: rto !== undefined || rpo !== undefined ? { rtoSeconds: rto, rpoSeconds: rpo } : undefined,
  };
}

/** Writes the requested report files (each whole or not at all). */
export async function writeGamedayReports(result: GamedayResult, files: { json?: string; markdown?: string; html?: string }): Promise<string[]> {
  const written: string[] = [];
  if (files.json) {
    await writeFileAtomically(files.json, `${JSON.stringify(result.report, null, 2)}\n`);
    written.push(files.json);
  }
  if (files.markdown) {
    await writeFileAtomically(files.markdown, renderGamedayMarkdown(result.report));
    written.push(files.markdown);
  }
  if (files.html) {
    await writeFileAtomically(files.html, renderGamedayHtml(result.report));
    written.push(files.html);
  }
  return written;
}

export async function localGamedayCommand(scenario: string, flags: LocalGamedayFlags): Promise<GamedayResult> {
  const options = gamedayOptionsFromFlags(scenario, flags);
  const controller = new AbortController();
  let lab: GamedayLab | null = null;
  let undoing = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (undoing) {
      // Third interrupt: leave now, but say exactly what is left and how to stop it.
      process.stderr.write(`\nexiting now${lab ? `; if the lab is still up: ${labDownCommand(lab.dir)}` : ''}\n`);
      process.exit(130);
    }
    if (controller.signal.aborted) {
      undoing = true;
      process.stderr.write('\nsecond interrupt: undoing the fault now (again to exit at once)\n');
      void emergencyUndo(lab)
        .then((lines) => process.stderr.write(`${lines.join('\n')}\n`))
        .finally(() => process.exit(130));
      return;
    }
    process.stderr.write(`\n${sig}: undoing the fault, stopping the load, cleaning up… (again to force)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await runGameday({ ...options, signal: controller.signal, onLab: (l) => (lab = l), log: (l) => process.stderr.write(`${l}\n`) });
    process.stdout.write(`${formatSummary(result.report)}\n`);
    for (const f of await writeGamedayReports(result, flags)) process.stdout.write(`wrote ${f}\n`);
    if (result.report.lab.kept) process.stdout.write(`lab left running in ${result.labDir}\n`);
    if (result.report.verdict !== 'pass') process.exitCode = 1;
    return result;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
