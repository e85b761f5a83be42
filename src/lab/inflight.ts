// What `lab up` has running or lying around at this moment that is not a lab component yet: helper
// programs (initdb, pg_basebackup, promtool, cp) and temporary secrets (initdb's password file). An
// interrupted `up` stops the former — with their own children: initdb runs postgres in bootstrap mode — and
// deletes the latter before it exits; a process that exits any other way still deletes the secrets.
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { killTrees } from './process-tree.ts';
import { processStartTicks } from './processes.ts';

const children = new Map<ChildProcess, number | null>();
const secretDirs = new Set<string>();
let exitHook = false;

export function trackChild(child: ChildProcess): void {
  if (child.pid === undefined) return;
  children.set(child, processStartTicks(child.pid));
  child.once('exit', () => children.delete(child));
}

function removeSecrets(): void {
  for (const d of secretDirs) rmSync(d, { recursive: true, force: true });
  secretDirs.clear();
}

/** Register a temporary directory holding a secret; returns its removal (call it when done). */
export function trackSecretDir(dir: string): () => void {
  secretDirs.add(dir);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', removeSecrets);
  }
  return () => {
    rmSync(dir, { recursive: true, force: true });
    secretDirs.delete(dir);
  };
}

/** Kill every tracked helper program with its descendants and delete every tracked secret. */
export async function stopInflight(): Promise<void> {
  removeSecrets();
  const roots = [...children].map(([c, startTicks]) => ({ pid: c.pid ?? null, startTicks }));
  children.clear();
  if (roots.length) await killTrees(roots, 3000);
}
