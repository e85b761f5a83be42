// A process and every descendant of it. PostgreSQL's children (backends, walsender, archiver, walwriter)
// each call setsid(): they leave the postmaster's process group, so signalling the group freezes the
// postmaster alone while the archiver keeps shipping WAL and the walsender keeps streaming — a "lost"
// region that still talks. A whole-region fault has to reach the whole tree, found through /proc's ppid.
import { readFileSync, readdirSync } from 'node:fs';
import { isAlive } from './processes.ts';

function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** pid → parent pid of every live process. */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(Number(entry));
    // f[0] state (Z/X: gone), f[1] ppid.
    if (f && f[0] !== 'Z' && f[0] !== 'X') map.set(Number(entry), Number(f[1]));
  }
  return map;
}

/** Every live descendant of `pid` (children, grandchildren...), not `pid` itself. */
export function descendantsOf(pid: number): number[] {
  const byParent = new Map<number, number[]>();
  for (const [child, parent] of parents()) byParent.set(parent, [...(byParent.get(parent) ?? []), child]);
  const out: number[] = [];
  const queue = [...(byParent.get(pid) ?? [])];
  while (queue.length) {
    const p = queue.shift()!;
    out.push(p);
    queue.push(...(byParent.get(p) ?? []));
  }
  return out;
}

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // exited meanwhile
  }
}

/**
 * Signal a recorded process and all its descendants, if it is still the process that was recorded.
 * The leader first (a stopped postmaster forks no new child), then the tree, rescanned until no new
 * descendant appears. Returns every pid signalled (empty when the leader is gone).
 */
export function signalTree(pid: number | null, startTicks: number | null, signal: NodeJS.Signals): number[] {
  if (!pid || !isAlive(pid, startTicks)) return [];
  const done = new Set<number>([pid]);
  send(pid, signal);
  for (let round = 0; round < 5; round++) {
    const fresh = descendantsOf(pid).filter((p) => !done.has(p));
    if (fresh.length === 0) break;
    for (const p of fresh) {
      send(p, signal);
      done.add(p);
    }
  }
  return [...done];
}

/** Stopped by SIGSTOP (state T) — or gone. */
function stoppedOrGone(pid: number): boolean {
  const f = statFields(pid);
  return !f || f[0] === 'T' || f[0] === 'Z' || f[0] === 'X';
}

/** Freeze a tree and wait until /proc shows every member stopped (signals are delivered asynchronously). */
export async function freezeTree(pid: number | null, startTicks: number | null, timeoutMs = 3000): Promise<number[]> {
  const pids = signalTree(pid, startTicks, 'SIGSTOP');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !pids.every(stoppedOrGone)) await new Promise((r) => setTimeout(r, 5));
  return pids;
}

/** SIGKILL a tree (frozen members too: a killed stopped process dies) and wait until none is left. */
export async function killTree(pid: number | null, startTicks: number | null, timeoutMs = 5000): Promise<boolean> {
  const pids = signalTree(pid, startTicks, 'SIGKILL');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pids.every((p) => statFields(p) === null || ['Z', 'X'].includes(statFields(p)![0]))) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}
