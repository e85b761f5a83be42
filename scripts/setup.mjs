#!/usr/bin/env node
// One idempotent set-up for `npm run demo` and `npm test` on a fresh machine:
// npm packages from the lockfile, the compiled CLI, then the Debian packages solida drives for real.
// Plain Node with no dependencies, because it runs before node_modules exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = (msg) => process.stderr.write(`[setup] ${msg}\n`);

/** npm's own record of what is installed (node_modules/.package-lock.json) matches the lockfile. */
function installedFromLock() {
  const hidden = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(hidden)) return false;
  const want = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages ?? {};
  const have = JSON.parse(readFileSync(hidden, 'utf8')).packages ?? {};
  for (const [path, entry] of Object.entries(want)) {
    // Optional packages for other platforms (e.g. @esbuild/darwin-arm64) are never installed here.
    if (path === '' || entry.optional) continue;
    if (have[path]?.version !== entry.version) return false;
  }
  return Object.entries(have).every(([path, entry]) => want[path]?.version === entry.version);
}

function ensureNodeModules() {
  const lock = join(root, 'package-lock.json');
  const stamp = join(root, 'node_modules', '.solida-lock-hash');
  const hash = createHash('sha256').update(readFileSync(lock)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  // Installed by someone else's `npm ci`/`npm install` from this same lockfile: nothing to do but remember it.
  if (installedFromLock()) {
    writeFileSync(stamp, hash);
    return;
  }
  log('installing npm packages from package-lock.json (npm ci)');
  const r = spawnSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm ci failed');
  writeFileSync(stamp, hash);
}

/** Newest modification time of the files under dir. */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** bin/solida.js runs the compiled dist/: build it when it is missing or older than the sources. */
function ensureBuilt() {
  const entry = join(root, 'dist', 'cli', 'main.js');
  if (existsSync(entry) && statSync(entry).mtimeMs >= newest(join(root, 'src'))) return;
  log('compiling src/ to dist/ (npm run build)');
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed');
}

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

// binary -> Debian package that provides it
const debianNeeds = [
  { bin: 'promtool', pkg: 'prometheus' },
  { bin: 'prometheus', pkg: 'prometheus' },
  { bin: 'haproxy', pkg: 'haproxy' },
  // Reports and game-day pages are checked in a real browser.
  { bin: 'chromium', pkg: 'chromium' },
];

function postgresPresent() {
  return onPath('pg_ctl') || existsSync('/usr/lib/postgresql/15/bin/pg_ctl');
}

function ensureDebianPackages() {
  const missing = new Set(debianNeeds.filter((n) => !onPath(n.bin)).map((n) => n.pkg));
  if (!postgresPresent()) missing.add('postgresql-15');
  if (missing.size === 0) return;
  const pkgs = [...missing];
  if (process.getuid && process.getuid() !== 0) {
    throw new Error(`missing Debian packages: ${pkgs.join(' ')}; run: sudo apt-get install -y ${pkgs.join(' ')}`);
  }
  log(`installing Debian packages: ${pkgs.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
}

// The AWS tests talk to a real moto_server (AWS's wire protocols, no account needed).
function ensureMoto() {
  if (onPath('moto_server')) return;
  const pip = ['pip3', 'pip'].find(onPath);
  if (!pip) throw new Error("moto_server is missing and pip is not installed: install python3-pip, then pip install 'moto[server]'");
  log("installing moto_server (pip install 'moto[server]')");
  const r = spawnSync(pip, ['install', '--quiet', 'moto[server]'], { stdio: 'inherit' });
  // Debian's system Python refuses plain pip installs (PEP 668); the package is only a test server.
  if (r.status !== 0) execFileSync(pip, ['install', '--quiet', '--break-system-packages', 'moto[server]'], { stdio: 'inherit' });
  if (!onPath('moto_server')) throw new Error("pip installed moto but moto_server is not on PATH: add pip's script directory (e.g. ~/.local/bin) to PATH");
}

try {
  ensureNodeModules();
  ensureBuilt();
  ensureDebianPackages();
  ensureMoto();
} catch (err) {
  log(`failed: ${err.message}`);
  process.exit(1);
}
