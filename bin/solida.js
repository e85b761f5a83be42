#!/usr/bin/env node
// Runs the compiled CLI in dist/ (built by `npm install`/`npm ci` through `prepare`, by `npm run build`, and
// by scripts/setup.mjs before `npm run demo` and `npm test`). Plain JavaScript: no TypeScript loader at start.
import { existsSync, readdirSync, statSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

// Node 22.1+ keeps V8's compiled code of each module on disk (in the OS temp folder) and reuses it on the next
// start; Node 20 has no such cache, and this line does nothing there (NODE_DISABLE_COMPILE_CACHE=1 turns it off).
module.enableCompileCache?.();

const entry = new URL('../dist/cli/main.js', import.meta.url);
const src = fileURLToPath(new URL('../src', import.meta.url));

if (!existsSync(entry)) {
  process.stderr.write(`error: solida is not built (no ${fileURLToPath(entry)}): run npm run build in the checkout, or reinstall solida\n`);
  process.exit(2);
}

/** Newest modification time under a folder (a checkout's src/ is ~150 files: a few ms). */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

// Only a checkout has src/ (the package ships dist/): say so when the sources changed after the build,
// instead of silently running yesterday's code.
if (existsSync(src) && newest(src) > statSync(entry).mtimeMs) {
  process.stderr.write('warning: src/ changed after the last build; this runs dist/ as built. Run: npm run build\n');
}

const { exitWhenDone, installProcessGuards } = await import(new URL('../dist/cli/process-guards.js', import.meta.url).href);
installProcessGuards();
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
exitWhenDone();
