// mkdir -p that always ends. Node's own recursive mkdir loops forever when a missing directory's parent
// exists but mkdir still answers ENOENT (under /proc, or below a symlink to a missing directory): it
// climbs to the parent, gets EEXIST and climbs back down. Here each missing component is made once, from
// the deepest existing ancestor down, and the first refusal is the answer.
import { mkdirSync, statSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** The missing components of `dir`, outermost first (empty when it exists). */
function missingChain(dir: string, exists: (p: string) => boolean): string[] {
  const chain: string[] = [];
  for (let p = resolve(dir); !exists(p); p = dirname(p)) {
    chain.unshift(p);
    if (dirname(p) === p) break;
  }
  return chain;
}

const existsSync = (p: string) => {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
};

export function makeDirSync(dir: string, mode?: number): void {
  for (const p of missingChain(dir, existsSync)) {
    try {
      mkdirSync(p, mode === undefined ? undefined : { mode });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

export async function makeDir(dir: string, mode?: number): Promise<void> {
  const chain: string[] = [];
  for (let p = resolve(dir); !(await stat(p).then(() => true, () => false)); p = dirname(p)) {
    chain.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const p of chain) {
    try {
      await mkdir(p, mode === undefined ? undefined : { mode });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
