// `lab down`: stop exactly what `up` recorded (by pid, whole process groups, verified dead), then remove the
// lab directory unless asked to keep it. Only a directory `lab up` created (marker file) is touched; no
// process is ever chosen by its command line (`up` records each pid the moment it spawns it).
import { existsSync, rmSync } from 'node:fs';
import { SolidaError } from '../util/errors.ts';
import { labFile, readLab, resolveLabDir, writeLab, type LabComponent } from './description.ts';
import { isAlive, processesMentioning, stopProcessGroup } from './processes.ts';
import { assertDeletableLab } from './ownership.ts';
import { killLabProcesses } from './leftovers.ts';
import { signalTrees } from './process-tree.ts';

export interface DownOptions {
  /** Keep the lab directory (data, logs) for inspection. */
  keep?: boolean;
}

export interface DownResult {
  dir: string;
  stopped: string[];
  /** Seconds each component took to stop. */
  timings: Record<string, number>;
  /** Processes still naming the lab directory that `up` never recorded: reported, never killed. */
  unrecorded: number[];
  /** Lab servers nobody recorded (orphaned PostgreSQL children, a crashed `up`'s servers): killed. */
  strays: number[];
  /** No lab directory: nothing was there to stop. */
  nothingToStop?: boolean;
  seconds: number;
}

function stopSignal(c: LabComponent, keep: boolean): NodeJS.Signals {
  // postgres: SIGINT = fast shutdown (clean data to keep), SIGQUIT = immediate (data is deleted anyway).
  if (c.kind === 'postgres') return keep ? 'SIGINT' : 'SIGQUIT';
  return 'SIGTERM';
}

export async function teardown(dirArg: string | undefined, opts: DownOptions = {}): Promise<DownResult> {
  const started = Date.now();
  const dir = resolveLabDir(dirArg);
  const keep = opts.keep ?? false;
  if (!existsSync(dir)) {
    // No lab, nothing to stop — but a lab deleted under its servers (a game day's, a crashed run's) may
    // have left some running in the deleted directory: those go too.
    const swept = await killLabProcesses(dir);
    return { dir, stopped: [], timings: {}, unrecorded: [], strays: swept.pids, nothingToStop: true, seconds: (Date.now() - started) / 1000 };
  }
  assertDeletableLab(dir, keep ? 'stop the lab in' : 'delete');
  const hasDescription = existsSync(labFile(dir));
  const lab = hasDescription ? readLab(dir) : null;
  const stopped: string[] = [];
  const timings: Record<string, number> = {};
  if (lab) {
    lab.state = 'stopping';
    writeLab(lab);
    // A frozen tree (a lost region) must run again to act on its shutdown: PostgreSQL's children live in
    // process groups of their own, out of reach of the group signal below.
    signalTrees(lab.components, 'SIGCONT');
    await Promise.all(
      lab.components.map(async (c) => {
        if (!c.pid) return;
        const wasAlive = isAlive(c.pid, c.startTicks);
        const t0 = Date.now();
        const ok = await stopProcessGroup(c.pid, c.startTicks, stopSignal(c, keep), c.kind === 'postgres' ? 4000 : 2000);
        if (!ok) throw new SolidaError(`could not stop ${c.name} (pid ${c.pid})`, 1);
        timings[c.name] = (Date.now() - t0) / 1000;
        if (wasAlive) stopped.push(c.name);
      }),
    );
  }
  const survivors = lab?.components.filter((c) => isAlive(c.pid, c.startTicks)).map((c) => `${c.name} (pid ${c.pid})`) ?? [];
  if (survivors.length > 0) {
    throw new SolidaError(`lab processes still alive after down: ${survivors.join(', ')}`, 1);
  }
  const swept = await killLabProcesses(dir);
  if (!swept.allGone) throw new SolidaError(`lab processes still alive after SIGKILL: ${swept.pids.join(', ')}`, 1);
  const unrecorded = processesMentioning(dir);
  if (keep) {
    if (lab) {
      lab.state = 'down';
      writeLab(lab);
    }
  } else {
    rmSync(dir, { recursive: true, force: true });
  }
  return { dir, stopped, timings, unrecorded, strays: swept.pids, seconds: (Date.now() - started) / 1000 };
}

export const labDown = teardown;
