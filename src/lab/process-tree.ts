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

function childrenByParent(): Map<number, number[]> {
  const byParent = new Map<number, number[]>();
  for (const [child, parent] of parents()) byParent.set(parent, [...(byParent.get(parent) ?? []), child]);
  return byParent;
}

function descendantsIn(byParent: Map<number, number[]>, pid: number): number[] {
  const out: number[] = [];
  const queue = [...(byParent.get(pid) ?? [])];
  while (queue.length) {
    const p = queue.shift()!;
    out.push(p);
    queue.push(...(byParent.get(p) ?? []));
  }
  return out;
}

/** Every live descendant of `pid` (children, grandchildren...), not `pid` itself. */
export function descendantsOf(pid: number): number[] {
  return descendantsIn(childrenByParent(), pid);
}

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // exited meanwhile
  }
}

/** A recorded process: its pid and start time (so a reused pid is never signalled). */
export interface ProcessRef {
  pid: number | null;
  startTicks: number | null;
}

/**
 * Signal recorded processes and all their descendants, each root only if it is still the process that
 * was recorded. Every root first (a stopped postmaster forks no new child), then every tree from one
 * /proc scan, rescanned until no new descendant appears: one instant for a whole region, not one
 * component after the other. Returns the pids signalled per root (empty when that root is gone).
 */
export function signalTrees(roots: ProcessRef[], signal: NodeJS.Signals): number[][] {
  const live = roots.map((r) => (r.pid && isAlive(r.pid, r.startTicks) ? r.pid : null));
  const done = live.map((pid) => new Set<number>(pid ? [pid] : []));
  for (const pid of live) if (pid) send(pid, signal);
  for (let round = 0; round < 5; round++) {
    let fresh = 0;
    const byParent = childrenByParent();
    live.forEach((pid, i) => {
      if (!pid) return;
      for (const p of descendantsIn(byParent, pid)) {
        if (done[i].has(p)) continue;
        send(p, signal);
        done[i].add(p);
        fresh++;
      }
    });
    if (fresh === 0) break;
  }
  return done.map((d) => [...d]);
}

/** One process and its descendants (see signalTrees). */
export function signalTree(pid: number | null, startTicks: number | null, signal: NodeJS.Signals): number[] {
  return signalTrees([{ pid, startTicks }], signal)[0];
}

/** Stopped by SIGSTOP (state T) — or gone. */
function stoppedOrGone(pid: number): boolean {
  const f = statFields(pid);
  return !f || f[0] === 'T' || f[0] === 'Z' || f[0] === 'X';
}

/** Freeze a tree and wait until /proc shows every member stopped (signals are delivered asynchronously). */
export async function freezeTree(pid: number | null, startTicks: number | null, timeoutMs = 3000): Promise<number[]> {
  const pids = signalTree(pid, startTicks, 'SIGSTOP');
  await untilStopped(pids, timeoutMs);
  return pids;
}

/** Wait until /proc shows every pid stopped (or gone); false on timeout. */
export async function untilStopped(pids: number[], timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!pids.every(stoppedOrGone)) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 2));
  }
  return true;
}

/**
 * SIGKILL a tree (frozen members too: a killed stopped process dies) and wait until none is left.
 * The tree is frozen and collected first: a killed parent's children are reparented to pid 1 at once, so
 * killing the root before reading /proc would lose them — stopped PostgreSQL children left behind forever.
 */
export async function killTree(pid: number | null, startTicks: number | null, timeoutMs = 5000): Promise<boolean> {
  return killTrees([{ pid, startTicks }], timeoutMs);
}

/** killTree for several roots at once (a whole region). */
export async function killTrees(roots: ProcessRef[], timeoutMs = 5000): Promise<boolean> {
  const pids = signalTrees(roots, 'SIGSTOP').flat();
  return killPids(pids, timeoutMs);
}

/** SIGKILL (then SIGCONT, for good measure) each pid and wait until every one is gone. */
export async function killPids(pids: number[], timeoutMs = 5000): Promise<boolean> {
  for (const p of pids) send(p, 'SIGKILL');
  for (const p of pids) send(p, 'SIGCONT');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pids.every((p) => statFields(p) === null || ['Z', 'X'].includes(statFields(p)![0]))) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}
