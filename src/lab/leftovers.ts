// Processes of a lab that nobody recorded: PostgreSQL children orphaned when their postmaster was killed
// (reparented to pid 1, possibly still stopped by a region freeze), a server left by a crashed `up`.
// They are found by what ties them to the lab directory solida owns — a working directory inside it (a
// postgres process runs in its data directory, even after the directory is deleted) or an argument naming
// it — and only among the programs the lab runs, never a shell, an editor or another solida command.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { basename, resolve, sep } from 'node:path';
import { killPids, type ProcessRef, signalTrees } from './process-tree.ts';

/** Programs the lab runs that are never anything but lab servers when they live in the lab directory. */
const LAB_PROGRAMS = new Set(['postgres', 'postmaster', 'initdb', 'pg_basebackup', 'pg_ctl', 'haproxy', 'prometheus', 'promtool']);

function under(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}${sep}`);
}

function procLink(pid: number, what: 'exe' | 'cwd'): string | null {
  try {
    // A deleted target reads as "<path> (deleted)": the path is still what ties it to the lab.
    return readlinkSync(`/proc/${pid}/${what}`).replace(/ \(deleted\)$/, '');
  } catch {
    return null;
  }
}

function state(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

/** Live (not zombie) lab programs whose working directory or arguments lie inside `dirArg`. */
export function strayLabProcesses(dirArg: string): number[] {
  const dir = resolve(dirArg);
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const exe = procLink(pid, 'exe');
    if (!exe || !LAB_PROGRAMS.has(basename(exe))) continue;
    const s = state(pid);
    if (!s || s === 'Z' || s === 'X') continue;
    const cwd = procLink(pid, 'cwd');
    let args: string[] = [];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const named = args.some((a) => under(a, dir) || a.split('=').slice(1).some((v) => under(v, dir)));
    if ((cwd && under(cwd, dir)) || named) found.push(pid);
  }
  return found;
}

/**
 * Kill every process of the lab: the recorded ones with all their descendants, and every stray lab
 * program in its directory. Each is frozen first (so nothing forks or is reparented out of sight),
 * then SIGKILLed and SIGCONTed (a stopped process must run to die). Returns the pids killed.
 */
export async function killLabProcesses(dir: string, recorded: ProcessRef[] = []): Promise<{ pids: number[]; allGone: boolean }> {
  const trees = signalTrees(recorded, 'SIGSTOP').flat();
  const strays = strayLabProcesses(dir);
  const strayTrees = signalTrees(
    strays.map((pid) => ({ pid, startTicks: null })),
    'SIGSTOP',
  ).flat();
  const pids = [...new Set([...trees, ...strayTrees])];
  const allGone = await killPids(pids);
  return { pids, allGone };
}
