// Long-running lab processes: each is spawned detached, so it leads its own process group (postgres
// backends, for instance, stay in the postmaster's group) and outlives the `lab up` that started it.
// Signals go to the whole group, and only after checking the pid still belongs to the process we started.
import { spawn, type SpawnOptions } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync } from 'node:fs';

export interface SpawnedProcess {
  pid: number;
  startTicks: number | null;
}

export interface DetachedSpawn {
  command: string;
  args: string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  uid?: number;
  gid?: number;
}

export function spawnDetached(spec: DetachedSpawn): SpawnedProcess {
  const log = openSync(spec.logFile, 'a');
  try {
    const options: SpawnOptions = {
      detached: true,
      stdio: ['ignore', log, log],
      env: spec.env ?? process.env,
      cwd: spec.cwd,
    };
    if (spec.uid !== undefined) options.uid = spec.uid;
    if (spec.gid !== undefined) options.gid = spec.gid;
    const child = spawn(spec.command, spec.args, options);
    // Spawn failures (ENOENT, EACCES) arrive as an event; without a listener they would crash the process.
    child.on('error', () => {});
    if (child.pid === undefined) throw new Error(`could not start ${spec.command}`);
    child.unref();
    return { pid: child.pid, startTicks: processStartTicks(child.pid) };
  } finally {
    closeSync(log);
  }
}

function procStat(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after its closing paren.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest; // rest[0] is field 3 (state)
  } catch {
    return null;
  }
}

/** Start time of a process in clock ticks since boot (field 22 of /proc/PID/stat). */
export function processStartTicks(pid: number): number | null {
  const rest = procStat(pid);
  return rest ? Number(rest[19]) : null;
}

/** Alive and still the same process (zombies count as dead: nothing may reap them in a container). */
export function isAlive(pid: number | null, startTicks?: number | null): boolean {
  if (!pid) return false;
  const rest = procStat(pid);
  if (!rest) return false;
  if (rest[0] === 'Z' || rest[0] === 'X') return false;
  if (startTicks != null && Number(rest[19]) !== startTicks) return false;
  return true;
}

/** Stopped by SIGSTOP (state T). */
export function isStopped(pid: number): boolean {
  const rest = procStat(pid);
  return rest?.[0] === 'T';
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Signal a recorded process and its group, if it is still the process that was recorded. */
export function signalProcess(pid: number | null, startTicks: number | null, signal: NodeJS.Signals): boolean {
  if (!pid || !isAlive(pid, startTicks)) return false;
  signalGroup(pid, signal);
  return true;
}

function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const rest = procStat(Number(entry));
    // rest[2] is field 5 (pgrp)
    if (rest && Number(rest[2]) === pgid && rest[0] !== 'Z' && rest[0] !== 'X') members.push(Number(entry));
  }
  return members;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Stop a process group: `signal` first, SIGKILL after `graceMs`, then wait until no member is left.
 * A stopped (SIGSTOP) group gets SIGCONT so it can act on the signal. Returns false if something survived.
 */
export async function stopProcessGroup(
  pid: number | null,
  startTicks: number | null,
  signal: NodeJS.Signals,
  graceMs: number,
): Promise<boolean> {
  if (!pid) return true;
  const ticks = processStartTicks(pid);
  // A recycled pid may lead an unrelated group of the same id: never touch it.
  if (startTicks != null && ticks !== null && ticks !== startTicks) return true;
  if (isAlive(pid, startTicks)) {
    signalGroup(pid, signal);
    signalGroup(pid, 'SIGCONT');
  } else if (groupMembers(pid).length === 0) {
    return true;
  } else {
    // The leader died and left members behind (postgres backends after a postmaster crash).
    signalGroup(pid, 'SIGKILL');
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (groupMembers(pid).length === 0) return true;
    await sleep(25);
  }
  signalGroup(pid, 'SIGKILL');
  const killDeadline = Date.now() + 3000;
  while (Date.now() < killDeadline) {
    if (groupMembers(pid).length === 0) return true;
    await sleep(25);
  }
  return false;
}

/** Processes whose command line mentions `needle` (the lab dir): orphans a crashed `up` never recorded. */
export function processesMentioning(needle: string, exclude: number[] = [process.pid, process.ppid]): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (exclude.includes(pid)) continue;
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const exe = argv[0] ?? '';
      // Only the programs the lab runs, never a shell or editor that happens to name the directory.
      if (!/(postgres|haproxy|prometheus|node)$/.test(exe.split('/').pop() ?? '')) continue;
      if (argv.some((a) => a === needle || a.startsWith(`${needle}/`) || a.includes(`=${needle}/`) || a === `--lab-dir=${needle}`)) {
        found.push(pid);
      }
    } catch {
      // exited meanwhile
    }
  }
  return found;
}
