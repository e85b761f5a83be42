// Time for `lab up` until every component is healthy, and for `lab down`, against the goals (20 s / 5 s
// on 2 cores). Run: npx tsx bench/lab.ts [--regions 2] [--runs N]
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labDown, labUp } from '../src/lab/index.ts';
import { EXAMPLE_SPEC } from '../src/slo/example.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const regions = arg('--regions', '1') === '2' ? 2 : 1;
const runs = Number(arg('--runs', '3'));
const GOAL_UP = 20;
const GOAL_DOWN = 5;

const parent = mkdtempSync(join(tmpdir(), 'solida-bench-lab-'));
chmodSync(parent, 0o755);
const ups: number[] = [];
const downs: number[] = [];
try {
  for (let i = 0; i < runs; i++) {
    const dir = join(parent, `lab-${i}`);
    let t = performance.now();
    await labUp({ dir, regions, sloConfig: EXAMPLE_SPEC });
    ups.push((performance.now() - t) / 1000);
    t = performance.now();
    await labDown(dir);
    downs.push((performance.now() - t) / 1000);
    console.log(`run ${i + 1}: up ${ups[i].toFixed(2)} s, down ${downs[i].toFixed(2)} s`);
  }
} finally {
  rmSync(parent, { recursive: true, force: true });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const up = median(ups);
const down = median(downs);
console.log(`lab (${regions} region${regions > 1 ? 's' : ''}), median of ${runs}:`);
console.log(`  up to healthy: ${up.toFixed(2)} s (goal ${GOAL_UP} s, ${(up / GOAL_UP).toFixed(2)}x of goal) ${up <= GOAL_UP ? 'OK' : 'MISSED'}`);
console.log(`  down:          ${down.toFixed(2)} s (goal ${GOAL_DOWN} s, ${(down / GOAL_DOWN).toFixed(2)}x of goal) ${down <= GOAL_DOWN ? 'OK' : 'MISSED'}`);
