// `solida generate prometheus` end to end: real promtool accepts the files as written, and the output
// is deterministic (same spec → same bytes), for the TypeScript example and the Sloth spec.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSolida } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'solida-gen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const specs = {
  typescript: new URL('../../examples/solida.config.ts', import.meta.url).pathname,
  yaml: new URL('../../examples/solida.yaml', import.meta.url).pathname,
  sloth: new URL('../fixtures/sloth-getting-started.yml', import.meta.url).pathname,
  openslo: new URL('../fixtures/openslo-availability.yaml', import.meta.url).pathname,
};

describe('solida generate prometheus', () => {
  for (const [name, spec] of Object.entries(specs)) {
    it(`writes rules promtool accepts, byte-identical on a second run (${name})`, async () => {
      const a = join(dir, `${name}-a`);
      const b = join(dir, `${name}-b`);
      const first = await runSolida(['generate', 'prometheus', '--config', spec, '--out', a]);
      expect(first.code, first.stderr).toBe(0);
      expect((await runSolida(['generate', 'prometheus', '--config', spec, '--out', b])).code).toBe(0);
      expect(first.stdout).toMatch(/promtool check rules: \d+ file\(s\) OK/);
      const files = readdirSync(a).sort();
      expect(files.length).toBeGreaterThan(0);
      expect(readdirSync(b).sort()).toEqual(files);
      for (const f of files) expect(readFileSync(join(b, f), 'utf8')).toBe(readFileSync(join(a, f), 'utf8'));
    });
  }
});
