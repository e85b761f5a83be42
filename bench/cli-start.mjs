#!/usr/bin/env node
// CLI start-up: `solida --help` and `solida validate` on the example, compiled (bin/ → dist/, what users run).
// Goal (issue 19): each under 0.3 s wall, whole process, with the config's compile cache warm (the usual case:
// the same config validated again). Also shown: the compile cache cold (a new or changed config: esbuild runs
// and the cache is written; each run gets an empty cache folder), a bare `node -e 0` in the same rounds (how
// much of the time is Node itself), and, given --before DIR, another built checkout of solida (e.g. the
// previous release: git archive <rev> | tar -x -C DIR, link node_modules, npx tsc -p tsconfig.build.json);
// --tsx adds the TypeScript sources through tsx. Variants alternate within each round so machine noise hits
// all of them. Wall: median of the runs; CPU (user+sys of the whole process, all threads, from the kernel's
// accounting of waited-for children, Linux only): mean per run. Plus the tarball size, and with --install
// the installed size.
//   node bench/cli-start.mjs [runs=7] [--before DIR] [--tsx] [--install]      (needs dist/: npm run build)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GOAL_MS = 300;
const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const runs = Number(argv.find((a) => /^\d+$/.test(a)) ?? 7);
const beforeDir = argv.includes('--before') ? argv[argv.indexOf('--before') + 1] : undefined;
const scratch = mkdtempSync(join(tmpdir(), 'solida-cli-start-'));
// Each cold run gets a cache folder of its own, empty: the first validate of a config on a machine.
let coldRuns = 0;
const coldCache = () => ({ SOLIDA_CACHE_DIR: join(scratch, `cold-${coldRuns++}`) });
const warmCache = { SOLIDA_CACHE_DIR: join(scratch, 'warm') };
const FLOOR = 'node -e 0 (Node itself)';
const WARM = 'solida, cache warm';
// Each variant runs a command in a checkout: [node, args, cwd, extra env].
const variants = {
  [FLOOR]: () => [process.execPath, ['-e', '0'], root],
  [WARM]: (args) => [process.execPath, [join(root, 'bin/solida.js'), ...args], root, warmCache],
  'solida, cache cold': (args) => [process.execPath, [join(root, 'bin/solida.js'), ...args], root, coldCache()],
  ...(beforeDir ? { [`before (${beforeDir}), warm`]: (args) => [process.execPath, [join(beforeDir, 'bin/solida.js'), ...args], beforeDir, warmCache] } : {}),
  ...(argv.includes('--tsx')
    ? { 'sources through tsx': (args) => [process.execPath, ['--import', 'tsx', join(root, 'test/support/cli-entry.ts'), ...args], root, warmCache] }
    : {}),
};
// The example's path is relative, so each checkout validates its own copy of it.
const commands = { '--help': ['--help'], 'validate (example)': ['validate', '-c', 'examples/solida.config.ts'] };

/** CPU seconds (user+sys) of this process's waited-for children so far; undefined where /proc is absent. */
function childrenCpu() {
  if (!existsSync('/proc/self/stat')) return undefined;
  // Fields after the command name (which may hold spaces): cutime and cstime are the 14th and 15th.
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
}
const CLOCK_TICKS = existsSync('/proc/self/stat') ? Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) : 100;

function time([cmd, args, cwd, env]) {
  const cpu0 = childrenCpu();
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  const wall = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const cpu1 = childrenCpu();
  return { wall, cpu: cpu0 === undefined ? NaN : (cpu1 - cpu0) * 1000 };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const ms = (x) => `${Number.isNaN(x) ? '  ?' : x.toFixed(0).padStart(4)} ms`;

const load = () => (existsSync('/proc/loadavg') ? readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') : '?');
console.log(`CLI start, ${runs} rounds, variants interleaved; wall: median (whole process), CPU: mean user+sys; load average ${load()} on ${cpus().length} cores`);
try {
  // One untimed run per checkout fills the compile cache the warm variants read.
  time(variants[WARM](commands['validate (example)']));
  if (beforeDir) time(variants[`before (${beforeDir}), warm`](commands['validate (example)']));
  const verdicts = [];
  for (const [name, args] of Object.entries(commands)) {
    const samples = Object.fromEntries(Object.keys(variants).map((v) => [v, []]));
    for (let i = 0; i < runs; i++) for (const [v, make] of Object.entries(variants)) samples[v].push(time(make(args)));
    const floor = median(samples[FLOOR].map((s) => s.wall));
    for (const v of Object.keys(variants)) {
      const wall = median(samples[v].map((s) => s.wall));
      const cpu = mean(samples[v].map((s) => s.cpu));
      const over = v === FLOOR ? '' : `  (${ms(wall - floor).trim()} over node, ${(wall / floor).toFixed(1)}x)`;
      console.log(`  ${name.padEnd(19)} ${v.padEnd(30)} wall ${ms(wall)}  CPU ${ms(cpu)}${over}`);
      if (v === WARM) verdicts.push(`${name}: ${wall.toFixed(0)} ms`);
      if (v === WARM) verdicts[verdicts.length - 1] += ` — goal < ${GOAL_MS / 1000} s: ${wall < GOAL_MS ? 'met' : 'not met'}`;
    }
  }
  console.log(`load average at the end: ${load()}`);
  for (const v of verdicts) console.log(`solida ${v} (median wall, cache warm)`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

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
