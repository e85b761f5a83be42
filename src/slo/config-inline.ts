// Most configs are closed data: the bundle of solida.config.ts imports nothing but defineConfig and only builds
// an object. Such a bundle is evaluated here, in a fresh V8 context of this thread (node:vm) that holds only
// JavaScript's own globals and defineConfig: no process, require, timers or I/O, so it can neither
// end the CLI nor touch anything, and a busy loop is stopped at the same deadline as the worker's. That saves
// starting a worker thread (a second Node environment) on every `solida validate` (start-up time: issue 19).
// Anything else — other imports, async code, a throw, a ReferenceError to a Node global, a value that is not
// plain data — is left to the worker (config-sandbox.ts), which words every failure; so "undefined" here
// means only "ask the worker", never "invalid".
import { Script, createContext } from 'node:vm';

export type InlineResult = { kind: 'ok'; value: unknown } | { kind: 'timeout' } | undefined;

/**
 * Words that need the event loop, a module loader or the terminal: such a config goes to the worker (also when
 * the word is only in a string). console: V8 gives every context one, but its output would go nowhere.
 */
const NEEDS_WORKER = /\b(?:async|await|Promise|queueMicrotask|import|export|console|WebAssembly|Atomics|SharedArrayBuffer)\b/;
const IDENTIFIER = '[A-Za-z_$][\\w$]*';
/** esbuild ends an ESM bundle with its exports in this one form. */
const DEFAULT_EXPORT = new RegExp(`\\nexport \\{\\n  (${IDENTIFIER}) as default\\n\\};\\n?$`);

/** The script form of a closed bundle: its defineConfig binding and its default export's name; else undefined. */
export function closedScript(code: string, defineConfigHref: string): { script: string; binding: string; result: string } | undefined {
  const importLine = new RegExp(`^import \\{ defineConfig(?: as (${IDENTIFIER}))? \\} from ${escapeRegExp(JSON.stringify(defineConfigHref))};$`, 'm');
  const imported = importLine.exec(code);
  const body = imported ? code.replace(importLine, '') : code;
  const exported = DEFAULT_EXPORT.exec(body);
  if (!exported) return undefined;
  const script = body.slice(0, exported.index);
  if (NEEDS_WORKER.test(script)) return undefined;
  return { script: `${script}\n${exported[1]};\n`, binding: imported?.[1] ?? 'defineConfig', result: exported[1] };
}

/** The config's default export, evaluated in a context of its own; undefined: use the worker. */
export function evaluateClosedConfig(code: string, defineConfigHref: string, timeoutMs: number): InlineResult {
  const closed = closedScript(code, defineConfigHref);
  if (!closed) return undefined;
  // The global is made from no object of this realm: `this.constructor.constructor` would otherwise be our Function,
  // code generation from strings would be allowed, and `return process` would reach the CLI's process.
  const context = createContext(Object.create(null), { codeGeneration: { strings: false, wasm: false }, microtaskMode: 'afterEvaluate' });
  let value: unknown;
  try {
    // defineConfig is made inside the context: a function of this realm would hand the config our Function.
    const define = new Script('(config) => config').runInContext(context);
    Object.defineProperty(context, closed.binding, { value: define });
    value = new Script(closed.script, { filename: 'solida.config.ts' }).runInContext(context, { timeout: timeoutMs, breakOnSigint: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException | undefined)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return { kind: 'timeout' };
    return undefined;
  }
  // As the worker does: a CommonJS-style default wrapped once more is unwrapped.
  if (value && typeof value === 'object' && 'default' in value && Object.keys(value).length === 1) value = (value as { default: unknown }).default;
  if (value === undefined) return undefined;
  try {
    // A copy made of this realm's objects, as the worker's message would be; a function or class instance throws.
    return { kind: 'ok', value: structuredClone(value) };
  } catch {
    return undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
