// Finds the real Debian binaries solida drives (promtool, prometheus, haproxy, PostgreSQL's tools).
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const EXTRA_DIRS = ['/usr/lib/postgresql/15/bin', '/usr/sbin', '/usr/local/bin', '/usr/bin'];

export function findBinary(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...EXTRA_DIRS];
  for (const d of dirs) {
    if (!d) continue;
    const p = join(d, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}
