#!/usr/bin/env node
// CLI start-up: `solida --help` and `solida validate` on the example, compiled (bin/ → dist/, what users run),
// with the config compile cache warm (the usual case: the same config validated again) and off (a changed
// config), against a bare `node -e 0` and, given --before DIR, another built checkout of solida (e.g. the
// previous release: git archive <rev> | tar -x -C DIR, link node_modules, npx tsc -p tsconfig.build.json);
// --tsx adds the TypeScript sources through tsx (as bin/ ran before 0.2). Variants alternate within one run
// so machine noise hits all of them; plus the tarball size and, with --install, the installed size.
//   node bench/cli-start.mjs [runs=7] [--before DIR] [--tsx] [--install]      (needs dist/: npm run build)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const runs = Number(argv.find((a) => /^\d+$/.test(a)) ?? 7);
const beforeDir = argv.includes('--before') ? argv[argv.indexOf('--before') + 1] : undefined;
const noCache = { SOLIDA_CONFIG_CACHE: 'off' };
// Each variant runs a command in a checkout: [node, args, cwd, extra env].
const variants = {
  'node -e 0 (floor)': () => [process.execPath, ['-e', '0'], root],
  'compiled, cache warm': (args) => [process.execPath, [join(root, 'bin/solida.js'), ...args], root],
  'compiled, cache off': (args) => [process.execPath, [join(root, 'bin/solida.js'), ...args], root, noCache],
  ...(beforeDir ? { [`compiled, before (${beforeDir})`]: (args) => [process.execPath, [join(beforeDir, 'bin/solida.js'), ...args], beforeDir] } : {}),
  ...(argv.includes('--tsx') ? { 'sources through tsx': (args) => [process.execPath, ['--import', 'tsx', join(root, 'test/support/cli-entry.ts'), ...args], root] } : {}),
};
// The example's path is relative, so each checkout validates its own copy of it.
const commands = { '--help': ['--help'], 'validate (example)': ['validate', '-c', 'examples/solida.config.ts'] };
const baseline = beforeDir ? `compiled, before (${beforeDir})` : 'node -e 0 (floor)';

function time([cmd, args, cwd, env]) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`CLI start, median of ${runs} runs (wall ms, whole process), variants interleaved; load average ${load()} on ${cpus().length} cores`);
// One untimed run fills the compile cache the "cache warm" variant reads.
time(variants['compiled, cache warm'](commands['validate (example)']));
for (const [name, args] of Object.entries(commands)) {
  const samples = Object.fromEntries(Object.keys(variants).map((v) => [v, []]));
  for (let i = 0; i < runs; i++) for (const [v, make] of Object.entries(variants)) samples[v].push(time(make(args)));
  const floor = median(samples['node -e 0 (floor)']);
  const base = median(samples[baseline]);
  for (const v of Object.keys(variants)) {
    const m = median(samples[v]);
    console.log(`  ${name.padEnd(20)} ${v.padEnd(34)} ${m.toFixed(0).padStart(6)} ms  (${(m - floor).toFixed(0).padStart(4)} ms over node; ${(m / base).toFixed(2)}x ${baseline === v ? 'itself' : 'before'})`);
  }
}
console.log(`load average at the end: ${load()}`);

const pack = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }));
console.log(`tarball: ${(pack[0].size / 1024).toFixed(0)} KiB packed, ${(pack[0].unpackedSize / 1024).toFixed(0)} KiB unpacked, ${pack[0].entryCount} files`);

if (process.argv.includes('--install')) {
  // What a user's `npm i solida` adds: the packed tarball (built by `prepare`) installed into an empty
  // project without dev dependencies, measured on disk (du, so file-system blocks as the user pays them).
  const dir = mkdtempSync(join(tmpdir(), 'solida-install-'));
  try {
    const out = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 }).replace(/^[^[]*/, ''));
    console.log(`packed tarball: ${kib(out[0].size)} packed, ${kib(out[0].unpackedSize)} unpacked, ${out[0].entryCount} files`);
    writeFileSync(join(dir, 'package.json'), '{"private":true}');
    execFileSync('npm', ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(dir, out[0].filename)], { cwd: dir, stdio: 'inherit' });
    const nm = join(dir, 'node_modules');
    const files = Number(execFileSync('sh', ['-c', `find "${nm}" -type f | wc -l`], { encoding: 'utf8' }).trim());
    const packages = installedPackages(nm);
    console.log(`installed: ${mib(duKiB(nm))} in node_modules, ${files} files, ${packages.length} packages (npm i --omit=dev solida-*.tgz)`);
    const sized = packages.map((p) => ({ p, k: duKiB(join(nm, p)) })).sort((a, b) => b.k - a.k);
    console.log(
      `  largest packages: ${sized
        .slice(0, 5)
        .map(({ p, k }) => `${p} ${mib(k)}`)
        .join(', ')}`,
    );
    const families = new Map();
    for (const { p, k } of sized) families.set(family(p), (families.get(family(p)) ?? 0) + k);
    const top = [...families].sort((a, b) => b[1] - a[1]).slice(0, 5);
    console.log(`  largest families: ${top.map(([f, k]) => `${f} ${mib(k)}`).join(', ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function duKiB(path) {
  return Number(execFileSync('du', ['-sk', path], { encoding: 'utf8' }).split('\t')[0]);
}
function kib(bytes) {
  return `${(bytes / 1024).toFixed(0)} KiB`;
}
function mib(k) {
  return `${(k / 1024).toFixed(1)} MiB`;
}
/** Top-level installed packages (`name` or `@scope/name`); npm hoists nearly everything there. */
function installedPackages(nm) {
  return readdirSync(nm)
    .filter((e) => !e.startsWith('.'))
    .flatMap((e) => (e.startsWith('@') ? readdirSync(join(nm, e)).map((n) => `${e}/${n}`) : [e]));
}
/** Packages that come as a set: a scope, or esbuild with its per-platform binary package. */
function family(p) {
  if (p === 'esbuild' || p.startsWith('@esbuild/')) return 'esbuild';
  return p.startsWith('@') ? `${p.split('/')[0]}/*` : p;
}
