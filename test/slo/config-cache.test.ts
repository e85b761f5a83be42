// The compile cache of TypeScript configs: an unchanged config is not bundled again, and a change to the
// config or to a local file it imports is never served from the cache.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigModule } from '../../src/slo/config-sandbox.ts';

const dir = mkdtempSync(join(tmpdir(), 'solida-config-cache-'));
const cache = join(dir, 'cache');
const config = join(dir, 'solida.config.ts');
const objective = join(dir, 'objective.ts');
const saved = process.env.SOLIDA_CACHE_DIR;

beforeAll(() => {
  process.env.SOLIDA_CACHE_DIR = cache;
});
afterAll(() => {
  if (saved === undefined) delete process.env.SOLIDA_CACHE_DIR;
  else process.env.SOLIDA_CACHE_DIR = saved;
  rmSync(dir, { recursive: true, force: true });
});

const write = (objectiveValue: number, name = 'availability') => {
  writeFileSync(objective, `export const objective: number = ${objectiveValue};\n`);
  writeFileSync(config, `import { objective } from './objective.ts';\nconst name: string = '${name}';\nexport default { slos: [{ name, objective }] };\n`);
};
const load = async () => (await loadConfigModule(pathToFileURL(config).href, 'solida.config.ts')) as { slos: { name: string; objective: number }[] };
const entries = () => readdirSync(cache).filter((f) => f.endsWith('.json'));

describe('the config compile cache', () => {
  it('keeps the bundle of an unchanged config and reuses it', async () => {
    write(99.9);
    expect((await load()).slos[0]).toEqual({ name: 'availability', objective: 99.9 });
    expect(entries()).toHaveLength(1);
    const written = statSync(join(cache, entries()[0])).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    expect((await load()).slos[0].objective).toBe(99.9);
    // Read, not written again.
    expect(statSync(join(cache, entries()[0])).mtimeMs).toBe(written);
  }, 60_000);

  it('bundles a changed config again', async () => {
    write(99.9, 'latency');
    expect((await load()).slos[0]).toEqual({ name: 'latency', objective: 99.9 });
  }, 60_000);

  it('bundles again when only a local import changed (same config text)', async () => {
    write(99.9);
    expect((await load()).slos[0].objective).toBe(99.9);
    write(99.5);
    expect((await load()).slos[0]).toEqual({ name: 'availability', objective: 99.5 });
    write(99.9);
    expect((await load()).slos[0].objective).toBe(99.9);
  }, 60_000);

  it('ignores a corrupt cache entry', async () => {
    write(99.95);
    await load();
    for (const f of entries()) writeFileSync(join(cache, f), '{"version":1,"inputs":[],"code":"export default 42"');
    expect((await load()).slos[0].objective).toBe(99.95);
  }, 60_000);
});
