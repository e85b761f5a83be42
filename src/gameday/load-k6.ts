// The game day's load driven by k6: the scenario's script (rendered by renderGamedayK6Script, pointed at
// the lab's endpoints) runs for the whole scenario with `--out json=FILE`; the file is tailed while k6
// runs (the orchestrator watches the SLI live to know when recovery has held), and read again whole with
// the NDJSON parser once k6 has stopped, into the same records and ledger as the built-in load.
// Stopping = SIGINT, as Ctrl-C does: k6 ends the test, flushes its outputs and exits (105).
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { forEachK6Record, visitLine } from '../k6/points.ts';
import { findOnPath } from '../k6/runner.ts';
import { renderGamedayK6Script, type GamedayScenario } from '../k6/script.ts';
import { SolidaError } from '../util/errors.ts';
import { collectK6Records } from './k6-records.ts';
import { checkedReadBase } from './read-check.ts';
import type { GamedayLoadOptions, LoadSummary, RunningLoad } from './load.ts';
import type { AckedWrite } from './measure.ts';

export type LoadDriver = 'builtin' | 'k6' | 'auto';

export const LOAD_DRIVERS: readonly LoadDriver[] = ['builtin', 'k6', 'auto'];

/** The k6 executable for `--load k6|auto` (undefined: use the built-in load). */
export async function resolveK6(driver: LoadDriver, pathVar = process.env.PATH ?? ''): Promise<string | undefined> {
  if (driver === 'builtin') return undefined;
  const k6 = await findOnPath('k6', pathVar);
  if (!k6 && driver === 'k6') {
    throw new SolidaError('--load k6: k6 is not on PATH', 2, [{ message: 'no executable named k6 in any PATH directory', fix: 'install k6 (https://k6.io/docs/get-started/installation/), or use --load builtin or --load auto' }]);
  }
  return k6;
}

export interface K6LoadOptions extends GamedayLoadOptions {
  k6: string;
  scenario: GamedayScenario;
  /** After SIGINT, how long k6 gets to flush and exit before it is killed (default 30 s). */
  stopTimeoutMs?: number;
}

/** Long enough never to end on its own: the game day stops k6. */
const DURATION = '24h';
const POLL_MS = 500;
/** k6 exit codes after which its output is complete: ok, thresholds crossed, stopped by a signal. */
const COMPLETE_CODES = new Set([0, 99, 105]);

/** Complete lines appended to a file since the last call (the partial last one waits for its end). */
function tailLines(file: string): () => string[] {
  let offset = 0;
  let rest = '';
  const buf = Buffer.alloc(1 << 16);
  // A character split across two reads is completed by the next one.
  const decoder = new StringDecoder('utf8');
  return () => {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch {
      return []; // k6 has not created it yet
    }
    try {
      let text = '';
      for (let n = readSync(fd, buf, 0, buf.length, offset); n > 0; n = readSync(fd, buf, 0, buf.length, offset)) {
        offset += n;
        text += decoder.write(buf.subarray(0, n));
      }
      const lines = (rest + text).split('\n');
      rest = lines.pop() ?? '';
      return lines;
    } finally {
      closeSync(fd);
    }
  };
}

export function startK6GamedayLoad(opts: K6LoadOptions): RunningLoad {
  const dir = mkdtempSync(join(tmpdir(), 'solida-gameday-k6-'));
  const script = join(dir, `${opts.scenario}.js`);
  const points = join(dir, 'points.json');
  writeFileSync(script, renderGamedayK6Script(opts.scenario));
  const args = [
    'run', '--quiet',
    '-e', `TARGET=${opts.target}`,
    '-e', `RATE=${opts.ratePerSecond}`,
    '-e', `DURATION=${DURATION}`,
    '-e', `RUN_ID=${opts.runId}`,
    '-e', `WRITE_EVERY=${opts.writeEvery}`,
    // The lab's inventory service: sequence-marked writes go to POST /writes {seq, run}.
    // The script appends &prefix=CHECK_PREFIX: the same request as the built-in load's checked read.
    '-e', `READ_PATH=${checkedReadBase(opts.check)}`,
    ...(opts.check ? ['-e', `CHECK_PREFIX=${opts.check.prefix}`, '-e', `CHECK_ROWS=${opts.check.rows}`] : []),
    '-e', 'WRITE_PATH=/writes',
    '-e', `REQUEST_TIMEOUT=${opts.timeoutMs}ms`,
    '--out', `json=${points}`,
    script,
  ];
  const live = collectK6Records();
  const notes: string[] = [];
  const readNew = tailLines(points);
  let lineNo = 0;
  const poll = () => {
    for (const line of readNew()) {
      lineNo++;
      if (line.trim() === '') continue;
      try {
        visitLine(line, lineNo, points, live.visitor);
      } catch {
        // A damaged line is reported by the whole-file read after k6 stops.
      }
    }
  };
  const timer = setInterval(poll, POLL_MS);

  let output = '';
  let exitedEarly = false;
  let stopping = false;
  const child = spawn(opts.k6, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
    child.on('close', (code, signal) => {
      if (!stopping) exitedEarly = true;
      resolve({ code, signal });
    });
  });

  let stopped: Promise<LoadSummary> | null = null;
  let finalLedger: AckedWrite[] | null = null;
  const stop = async (): Promise<LoadSummary> => {
    stopping = true;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    const killer = setTimeout(() => child.kill('SIGKILL'), opts.stopTimeoutMs ?? 30_000);
    const end = await exited;
    clearTimeout(killer);
    clearInterval(timer);
    const lastWords = output.trim().split('\n').slice(-5).join(' | ');
    if (end.error) notes.push(`k6 could not be run (${opts.k6}): ${end.error.message}`);
    else if (exitedEarly) notes.push(`k6 exited on its own before the game day stopped it (code ${end.code ?? end.signal}): ${lastWords || 'no output'}`);
    else if (end.code === null || !COMPLETE_CODES.has(end.code)) notes.push(`k6 ended with ${end.code ?? end.signal} after SIGINT: its output may be incomplete (${lastWords || 'no output'})`);
    // The whole file again, with the parser every k6 file goes through; the tailed records stay when it
    // cannot be read (k6 killed mid-line).
    const whole = collectK6Records();
    try {
      await forEachK6Record(points, whole.visitor);
      // In place (the orchestrator holds the array); no spread: hours of load are 10^5+ records.
      live.samples.length = 0;
      for (const sample of whole.samples) live.samples.push(sample);
      finalLedger = whole.ledger;
    } catch (err) {
      poll();
      finalLedger = live.ledger;
      notes.push(`k6 output ${points} not fully readable, the records read while it ran are used: ${(err as Error).message}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    notes.push(
      'load by k6: a request counts as scheduled at its end minus http_req_duration (k6 records no scheduled time; connection set-up is not included); ' +
        'reads are checked against the known rows (solida_read_incorrect marks a 2xx read with wrong content); the ledger is rebuilt from solida_write_acked points (metadata seq)',
    );
    return live.summary();
  };
  return {
    samples: live.samples,
    // While k6 runs: what the tail has read; after stop(): from the whole file.
    get ledger() {
      return finalLedger ?? live.ledger;
    },
    startedAt: Date.now(),
    notes,
    stop: () => (stopped ??= stop()),
  };
}
