// `solida demo --no-gameday`: its closing line names only what it wrote (no game-day reports).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runSolida } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'solida-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('demo --no-gameday ends by naming the rules and CloudWatch requests, not game-day reports', async () => {
  const r = await runSolida(['demo', '--no-gameday', '-o', 'out'], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  expect(existsSync(join(dir, 'out/gameday'))).toBe(false);
  const done = r.stdout.split('\n').find((l) => l.startsWith('== Done'));
  expect(done).toMatch(/^== Done: rules and CloudWatch requests \(no game day: --no-gameday\) under out\./);
  expect(done).not.toMatch(/game-day reports/);
}, 60_000);
