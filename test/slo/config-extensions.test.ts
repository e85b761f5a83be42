// Every script extension Node and TypeScript know is loaded as a config, never read as YAML.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSolida } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'solida-config-ext-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONFIG = `{ services: [{ name: 'api' }], slos: [{ service: 'api', name: 'availability', objective: 99.9, sli: { golden: { signal: 'availability' } } }] }`;

describe('config file extensions', () => {
  // The message names the language of the file; the JSON `format` stays 'typescript' for every code config.
  const cases: [string, string, string][] = [
    ['solida.config.cjs', `module.exports = ${CONFIG};\n`, 'JavaScript config'],
    ['solida.config.mjs', `export default ${CONFIG};\n`, 'JavaScript config'],
    ['solida.config.cts', `const config: { services: unknown[] } = ${CONFIG};\nexport default config;\n`, 'typescript spec'],
  ];
  for (const [name, text, kind] of cases) {
    it(`${name} is loaded as a config: "valid ${kind}"`, async () => {
      writeFileSync(join(dir, name), text);
      const r = await runSolida(['validate', '-c', join(dir, name)]);
      expect(r.stderr).not.toMatch(/YAML/);
      expect(r.stdout).toContain(`${name}: valid ${kind} — 1 service(s), 1 SLO(s)`);
      expect(r.code, r.stderr).toBe(0);
      const json = await runSolida(['validate', '-c', join(dir, name), '--json']);
      expect(JSON.parse(json.stdout)).toMatchObject({ format: 'typescript' });
    }, 30_000);
  }

  it('import/export in a .js config of a CommonJS package: exit 2, and the fix says to rename it or set "type": "module"', async () => {
    // What `npm init -y` (npm 11) makes: "type": "commonjs", so .js is CommonJS.
    const project = join(dir, 'commonjs-project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{ "name": "p", "version": "1.0.0", "type": "commonjs" }\n');
    writeFileSync(join(project, 'solida.config.js'), `export default ${CONFIG};\n`);
    const r = await runSolida(['validate', '-c', join(project, 'solida.config.js')]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/solida\.config\.js: loading threw SyntaxError/);
    expect(r.stderr).toMatch(/fix: .*rename it to solida\.config\.mjs \(or \.ts\), or add "type": "module" to package\.json/);
  }, 30_000);
});

describe('the default config', () => {
  it('solida.config.mjs alone in the directory is found without --config', async () => {
    const project = join(dir, 'mjs-project');
    mkdirSync(project);
    writeFileSync(join(project, 'solida.config.mjs'), `export default ${CONFIG};\n`);
    const r = await runSolida(['validate'], { cwd: project });
    expect(r.stdout).toMatch(/solida\.config\.mjs: valid JavaScript config/);
    expect(r.code, r.stderr).toBe(0);
  }, 30_000);

  it('no config at all: exit 2, and the fix names init', async () => {
    const project = join(dir, 'empty-project');
    mkdirSync(project);
    const r = await runSolida(['validate'], { cwd: project });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/fix: pass --config FILE .*, or write one: npx solida init/);
  });
});
