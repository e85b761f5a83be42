// Where the lab's programs are, and which OS user runs PostgreSQL (it refuses to run as root).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SolidaError } from '../util/errors.ts';
import { findBinary } from '../util/binaries.ts';

export interface LabBinaries {
  pgBin: string;
  haproxy: string;
  prometheus: string;
  node: string;
  /** ESM loader that lets `node --import` run the TypeScript inventory service from the sources ('' when
   *  tsx is not installed: the installed package runs the compiled service and needs no loader). */
  tsxLoader: string;
}

function pgBinDir(): string | null {
  for (const version of ['17', '16', '15', '14']) {
    const dir = `/usr/lib/postgresql/${version}/bin`;
    if (existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'pg_basebackup'))) return dir;
  }
  const pgCtl = findBinary('pg_ctl');
  return pgCtl ? dirname(pgCtl) : null;
}

function tsxLoader(): string {
  const require = createRequire(import.meta.url);
  let pkgFile: string;
  try {
    pkgFile = require.resolve('tsx/package.json');
  } catch {
    return '';
  }
  const pkg = require(pkgFile) as { exports: Record<string, unknown> };
  const dot = pkg.exports['.'];
  const entry = typeof dot === 'string' ? dot : (dot as { import?: string; default?: string }).import ?? 'dist/loader.mjs';
  return join(dirname(pkgFile), typeof entry === 'string' ? entry : 'dist/loader.mjs');
}

export function findBinaries(): LabBinaries {
  const pgBin = pgBinDir();
  const haproxy = findBinary('haproxy');
  const prometheus = findBinary('prometheus');
  const missing = [
    !pgBin && { message: 'PostgreSQL (pg_ctl, pg_basebackup) not found', fix: 'apt-get install postgresql-15' },
    !haproxy && { message: 'haproxy not found', fix: 'apt-get install haproxy' },
    !prometheus && { message: 'prometheus not found', fix: 'apt-get install prometheus' },
  ].filter((p): p is { message: string; fix: string } => Boolean(p));
  if (missing.length > 0) throw new SolidaError('the lab needs programs that are not installed (npm run setup installs them)', 2, missing);
  return { pgBin: pgBin!, haproxy: haproxy!, prometheus: prometheus!, node: process.execPath, tsxLoader: tsxLoader() };
}

export interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

function lookupUser(name: string): OsUser | null {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { name, uid, gid };
  } catch {
    return null;
  }
}

/**
 * The user PostgreSQL runs as: the current user, or when that is root the Debian `postgres` user
 * (created as a system user if the package did not).
 */
export function postgresOsUser(): OsUser {
  const uid = process.getuid?.() ?? 0;
  if (uid !== 0) {
    const name = process.env.USER ?? String(uid);
    return { name, uid, gid: process.getgid?.() ?? uid };
  }
  const existing = lookupUser('postgres');
  if (existing) return existing;
  const r = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { encoding: 'utf8' });
  const created = lookupUser('postgres');
  if (!created) {
    throw new SolidaError('PostgreSQL cannot run as root and no `postgres` user could be created', 2, [
      { message: r.stderr || 'useradd failed', fix: 'create an unprivileged user named postgres (useradd --system postgres)' },
    ]);
  }
  return created;
}
