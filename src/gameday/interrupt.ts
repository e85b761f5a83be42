// A second Ctrl-C during a game day: the orderly undo (first Ctrl-C) is taking too long, so do the short,
// certain part now instead of walking away with the fault in place. Frozen processes are resumed; a lab the
// game day started itself is torn down (nothing of it may outlive the run); a lab the operator gave is left
// running and the exact commands to inspect or stop it are printed with its real directory.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { labDown, readLab } from '../lab/index.ts';
import { signalProcess } from '../lab/processes.ts';

export interface GamedayLab {
  dir: string;
  /** Started by this game day (and to be removed with its temporary parent directory). */
  startedHere: boolean;
  /** Keep the lab when the game day ends (--keep). */
  keep: boolean;
}

const quoted = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export function labDownCommand(dir: string): string {
  return `solida lab down --dir ${quoted(dir)}`;
}

/** Resume every recorded lab process a fault may have frozen (SIGCONT to a running process is harmless). */
export function resumeFrozen(dir: string): number {
  let n = 0;
  try {
    for (const c of readLab(dir).components) if (signalProcess(c.pid, c.startTicks, 'SIGCONT')) n++;
  } catch {
    // no lab.json yet: nothing was started, nothing is frozen
  }
  return n;
}

/** The second interrupt's undo; returns the lines to print. */
export async function emergencyUndo(lab: GamedayLab | null): Promise<string[]> {
  if (!lab) return ['no lab was started yet: nothing to undo'];
  const resumed = resumeFrozen(lab.dir);
  const lines = [`resumed ${resumed} lab process(es) a fault may have frozen`];
  if (lab.startedHere && !lab.keep) {
    try {
      await labDown(lab.dir);
      rmSync(dirname(lab.dir), { recursive: true, force: true });
      lines.push(`stopped the game day's lab and removed ${lab.dir}`);
    } catch (err) {
      lines.push(`could not stop the lab (${(err as Error).message}): run \`${labDownCommand(lab.dir)}\``);
    }
    return lines;
  }
  lines.push(
    `the lab in ${lab.dir} is still running and may still carry the fault (a killed AZ, a disabled server, a promoted standby)`,
    `  inspect it: solida lab status --dir ${quoted(lab.dir)}`,
    `  stop it:    ${labDownCommand(lab.dir)}`,
  );
  return lines;
}
