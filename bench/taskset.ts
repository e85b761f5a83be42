// Whether `taskset` can pin processes here: the exporter benches put the server on one CPU and the
// load on the others, so variants are compared under the same split.
import { execFileSync } from 'node:child_process';

export function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
