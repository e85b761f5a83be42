// Loading solida.config.ts runs someone's code. It runs in a worker thread so that whatever it does, the
// CLI still ends with one clear refusal (exit 2): a throw of any value, an unhandled rejection,
// process.exit() (which in a worker ends only the worker), a top-level await that never settles (the
// worker's event loop drains without an answer) or a busy loop (the worker is terminated at the deadline).
// A config that is closed data (it imports only defineConfig and runs no async code) is evaluated without a
// worker, in a bare V8 context with the same deadline (config-inline.ts): most configs, and the start-up time.
import { SolidaError } from '../util/errors.ts';
import { evaluateClosedConfig } from './config-inline.ts';
import { configModule, defineConfigModuleHref } from './import-config.ts';

export const DEFAULT_CONFIG_TIMEOUT_MS = 15_000;

// The worker's entry: it must not depend on how the CLI itself was started (compiled JavaScript, vitest, tsx),
// so it imports plain JavaScript: the config as is, or the module esbuild made of a TypeScript config
// (import-config.ts) before the worker starts. It is an ES module from a data: URL, not an eval string: the
// worker inherits node's flags (a loader such as tsx's stays useful), and --input-type, meant for the
// parent's `node -e` or stdin, would turn an eval string into another kind of module than it was written as.
const WORKER_SOURCE = `
import { parentPort, workerData } from 'node:worker_threads';
const describe = (v) => {
  try {
    if (v instanceof Error) return (v.name && v.name !== 'Error' ? v.name + ': ' : '') + String(v.message).split('\\n').filter(Boolean).slice(0, 2).join(' ');
    if (typeof v === 'string') return JSON.stringify(v);
    if (v === null || v === undefined || typeof v !== 'object') return String(v);
    return JSON.stringify(v) ?? Object.prototype.toString.call(v);
  } catch { return Object.prototype.toString.call(v); }
};
let done = false;
const send = (m) => { if (!done) { done = true; parentPort.postMessage(m); } };
const realExit = process.exit.bind(process);
process.exit = (code) => { send({ kind: 'exit', code: code ?? process.exitCode ?? 0 }); realExit(code); };
process.on('unhandledRejection', (reason) => { send({ kind: 'rejection', detail: describe(reason) }); realExit(1); });
process.on('uncaughtException', (err) => { send({ kind: 'throw', detail: describe(err) }); realExit(1); });
(async () => {
  let mod;
  try {
    mod = await import(workerData.url);
  } catch (err) {
    return send({ kind: 'throw', detail: describe(err) });
  }
  // One macrotask later: rejections the module left unhandled are reported before its value is accepted.
  await new Promise((r) => setTimeout(r, 0));
  let value = mod && mod.default;
  // A CommonJS-style module compiled by tsx may wrap the default export once more.
  if (value && typeof value === 'object' && 'default' in value && Object.keys(value).length === 1) value = value.default;
  if (value === undefined) return send({ kind: 'no-default' });
  try {
    send({ kind: 'ok', value });
  } catch (err) {
    done = false;
    send({ kind: 'not-data', detail: describe(err) });
  }
})();
`;

type WorkerMessage =
  | { kind: 'ok'; value: unknown }
  | { kind: 'no-default' }
  | { kind: 'exit'; code: number | string }
  | { kind: 'rejection'; detail: string }
  | { kind: 'throw'; detail: string }
  | { kind: 'not-data'; detail: string };

function configTimeoutMs(): number {
  const env = Number(process.env.SOLIDA_CONFIG_TIMEOUT_MS);
  return Number.isFinite(env) && env > 0 ? env : DEFAULT_CONFIG_TIMEOUT_MS;
}

function refuse(file: string, message: string, fix: string): SolidaError {
  return new SolidaError(`${file} could not be loaded`, 2, [{ file, message, fix }]);
}

/** import/export in a .js file of a package that says "type": "commonjs" (what `npm init -y` writes since npm 11). */
const ESM_IN_COMMONJS = /Cannot use import statement outside a module|Unexpected token 'export'/;

function fixForThrow(file: string, detail: string): string {
  if (/\.js$/.test(file) && ESM_IN_COMMONJS.test(detail)) {
    return 'the file uses import/export but its package.json makes .js CommonJS: rename it to solida.config.mjs (or .ts), or add "type": "module" to package.json';
  }
  return 'fix the error in the config (type errors: npx tsc --noEmit)';
}

function timedOut(file: string, timeoutMs: number): SolidaError {
  return refuse(file, `loading did not finish within ${timeoutMs / 1000} s (a busy loop or a very slow top-level await?)`, 'make the config finish quickly; it should only build and export its settings');
}

/** The default export of a TypeScript/JavaScript config, loaded in a worker with a deadline. */
export async function loadConfigModule(url: string, file: string, timeoutMs = configTimeoutMs()): Promise<unknown> {
  let mod: Awaited<ReturnType<typeof configModule>>;
  try {
    mod = await configModule(url);
  } catch (err) {
    // esbuild's own message names the file, line and column of a syntax error.
    const first = (err as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } }> }).errors?.[0];
    const where = first?.location ? ` at ${first.location.file}:${first.location.line}:${first.location.column}` : '';
    const text = first?.text ?? (err as Error).message.split('\n')[0];
    const missing = /Could not resolve "([^"./][^"]*)"/.exec(text)?.[1];
    throw refuse(file, `${text}${where}`, missing ? `install it in this project: npm install ${missing}` : 'fix the TypeScript error (run: npx tsc --noEmit)');
  }
  const inline = mod.code === undefined ? undefined : evaluateClosedConfig(mod.code, defineConfigModuleHref(), timeoutMs);
  if (inline?.kind === 'ok') return inline.value;
  if (inline?.kind === 'timeout') throw timedOut(file, timeoutMs);
  // Loaded only now: most configs never need a worker (start-up time).
  const { Worker } = await import('node:worker_threads');
  let worker: InstanceType<typeof Worker>;
  try {
    worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(WORKER_SOURCE)}`), {
      workerData: { url: mod.url },
      // The config's console output still reaches the terminal; its stdin is not the CLI's.
      stdin: false,
    });
  } catch (err) {
    // Node's permission model (--permission, --experimental-permission) forbids worker threads unless allowed.
    if ((err as NodeJS.ErrnoException).code === 'ERR_ACCESS_DENIED') {
      throw refuse(file, 'node refused to start the worker thread this config is loaded in (permission model)', 'add --allow-worker to the node flags, or make the config plain data (no imports but defineConfig)');
    }
    throw err;
  }
  const message = await new Promise<WorkerMessage | { kind: 'timeout' } | { kind: 'ended'; code: number } | { kind: 'crash'; detail: string }>((resolve) => {
    const timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs);
    const finish = (m: Parameters<typeof resolve>[0]) => {
      clearTimeout(timer);
      resolve(m);
    };
    worker.once('message', (m: WorkerMessage) => finish(m));
    worker.once('error', (err) => finish({ kind: 'crash', detail: err instanceof Error ? err.message : String(err) }));
    worker.once('exit', (code) => finish({ kind: 'ended', code }));
  });
  await worker.terminate().catch(() => undefined);
  switch (message.kind) {
    case 'ok':
      return message.value;
    case 'no-default':
      throw new SolidaError(`${file} has no default export`, 2, [{ file, message: 'no default export', fix: 'end the file with: export default defineConfig({ services, slos })' }]);
    case 'exit':
      throw refuse(file, `the config called process.exit(${message.code}) while loading`, 'remove the process.exit call: a config only exports its settings');
    case 'rejection':
      throw refuse(file, `a promise in the config was rejected and never handled: ${message.detail}`, 'await the promise (or remove it) and handle its failure');
    case 'throw':
      throw refuse(file, `loading threw ${message.detail}`, fixForThrow(file, message.detail));
    case 'not-data':
      throw refuse(file, `the default export is not plain data (${message.detail})`, 'export only objects, arrays, strings, numbers and booleans (no functions or class instances)');
    case 'timeout':
      throw timedOut(file, timeoutMs);
    case 'ended':
      throw refuse(file, 'the config never finished loading: a top-level await waits for something that never happens', 'remove the await, or make sure what it waits for settles');
    case 'crash':
      throw refuse(file, `loading failed: ${message.detail}`, 'fix the error in the config');
  }
}
