// Compares every generated file with its golden copy; with UPDATE_GOLDEN=1 rewrites the copies (and
// removes files no longer generated) instead. The behaviour tests (promtool, the CloudWatch simulator,
// k6 runs) say the outputs are right; these say exactly what a change did to them.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN_CASES } from './cases.ts';

const ROOT = import.meta.dirname;
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function filesUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe.each(GOLDEN_CASES)('golden outputs: $name ($input)', (c) => {
  it('match test/golden/' + c.name + ' (UPDATE_GOLDEN=1 npx vitest run test/golden to accept a change)', async () => {
    const dir = resolve(ROOT, c.name);
    const actual = await c.outputs();
    expect(actual.length).toBeGreaterThan(0);
    if (UPDATE) {
      rmSync(dir, { recursive: true, force: true });
      for (const f of actual) {
        mkdirSync(dirname(join(dir, f.path)), { recursive: true });
        writeFileSync(join(dir, f.path), f.content);
      }
      return;
    }
    const stored = filesUnder(dir)
      .map((p) => relative(dir, p))
      .sort();
    expect(actual.map((f) => f.path).sort(), 'generated file names').toEqual(stored);
    for (const f of actual) expect(f.content, f.path).toBe(readFileSync(join(dir, f.path), 'utf8'));
  });
});
