#!/usr/bin/env node
// One idempotent set-up for `npm run demo` and `npm test` on a fresh machine:
// npm packages from the lockfile, then the Debian packages solida drives for real.
// Plain Node with no dependencies, because it runs before node_modules exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = (msg) => process.stderr.write(`[setup] ${msg}\n`);

function ensureNodeModules() {
  const lock = join(root, 'package-lock.json');
  const stamp = join(root, 'node_modules', '.solida-lock-hash');
  const hash = createHash('sha256').update(readFileSync(lock)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  log('installing npm packages from package-lock.json (npm ci)');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm ci failed');
  writeFileSync(stamp, hash);
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
  ensureDebianPackages();
  ensureMoto();
} catch (err) {
  log(`failed: ${err.message}`);
  process.exit(1);
}
