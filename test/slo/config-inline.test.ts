// A closed config bundle (imports only defineConfig, no async code) is evaluated without a worker; everything
// else must be handed to the worker ("undefined"), so the worker keeps wording every failure.
import { describe, expect, it } from 'vitest';
import { evaluateClosedConfig } from '../../src/slo/config-inline.ts';

const HREF = 'file:///pkg/dist/slo/define-config.js';
/** esbuild's ESM bundle shape for a config whose body is `body` and whose default export is `value`. */
const bundle = (body: string, value = 'solida_config_default', imports = `import { defineConfig } from ${JSON.stringify(HREF)};\n`) =>
  `// solida.config.ts\n${imports}${body}\nexport {\n  ${value} as default\n};\n`;
const run = (code: string, timeoutMs = 2000) => evaluateClosedConfig(code, HREF, timeoutMs);

describe('evaluating a closed config bundle without a worker', () => {
  it('returns the default export as plain data of this realm', () => {
    const r = run(bundle('var solida_config_default = defineConfig({ services: [{ name: "api" }], slos: [], n: [1, 2] });'));
    expect(r).toEqual({ kind: 'ok', value: { services: [{ name: 'api' }], slos: [], n: [1, 2] } });
    expect(Object.getPrototypeOf((r as { value: object }).value)).toBe(Object.prototype);
  });

  it('takes defineConfig under another local name, and a bundle with no import at all', () => {
    expect(run(bundle('var c = dc({ a: 1 });', 'c', `import { defineConfig as dc } from ${JSON.stringify(HREF)};\n`))).toEqual({ kind: 'ok', value: { a: 1 } });
    expect(run(bundle('var c = { a: 2 };', 'c', ''))).toEqual({ kind: 'ok', value: { a: 2 } });
  });

  it('stops a busy loop at the deadline', () => {
    expect(run(bundle('for (;;) {}\nvar c = {};', 'c'), 200)).toEqual({ kind: 'timeout' });
  });

  it.each([
    ['another import', bundle('var c = x({});', 'c', 'import { x } from "file:///elsewhere.js";\n')],
    ['a Node global (process)', bundle('var c = { name: process.env.NAME };', 'c')],
    ['console output', bundle('console.log("hi");\nvar c = {};', 'c')],
    ['async code', bundle('var c = {};\nPromise.reject(new Error("x"));', 'c')],
    ['a dynamic import', bundle('var c = {};\nimport("node:fs");', 'c')],
    ['a throw', bundle('throw new Error("bad");\nvar c = {};', 'c')],
    ['eval (code generation is off in the context)', bundle('var c = eval("({})");', 'c')],
    ['Function from defineConfig (no way out to this realm)', bundle('var c = defineConfig.constructor("return process")();', 'c')],
    // The context's global is made of no object of this realm: its constructor is the context's own Function.
    ['Function from the global object (no way out to this realm)', bundle('var c = this.constructor.constructor("return process")().pid;', 'c')],
    ['a function in the value', bundle('var c = { hook: () => 1 };', 'c')],
    ['an undefined default export', bundle('var c = undefined;', 'c')],
    ['no default export', '// x\nvar c = {};\nexport {\n  c\n};\n'],
  ])('hands %s to the worker', (_name, code) => {
    expect(run(code)).toBeUndefined();
  });
});
