// PostgreSQL for the lab: initdb, configuration, streaming replicas, WAL archiving into the object store,
// base backups, and the live facts game days need (role, replication lag, promotion).
import { execFile } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { SolidaError } from '../util/errors.ts';
import type { OsUser } from './binaries.ts';
import { passwordForPort } from './secrets.ts';
import { trackChild, trackSecretDir } from './inflight.ts';

const execFileAsync = promisify(execFile);

/**
 * Admin connections never wait long: a SIGSTOPped server must read as "unreachable", not hang. Nor may
 * the connection outlive the call: postgres.js ends a connection politely (a Terminate message, then a
 * half-close awaiting the server's FIN), and a frozen server never answers, so the socket would stay open
 * — and keep the process alive — for as long as the server is stopped. The sockets are this function's
 * own, destroyed after a timed-out call (at once) or a finished one (after a grace to close cleanly).
 */
export async function withAdmin<T>(
  port: number,
  fn: (sql: postgres.Sql) => Promise<T>,
  opts: { timeoutMs?: number; database?: string } = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 3000;
  const sockets: Socket[] = [];
  const sql = postgres({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    pass: passwordForPort(port),
    database: opts.database ?? 'postgres',
    max: 1,
    connect_timeout: Math.max(1, Math.ceil(timeoutMs / 1000)),
    idle_timeout: 1,
    fetch_types: false,
    prepare: false,
    onnotice: () => {},
    // Not in the typings, documented in postgres.js's README ("Custom socket"): a connected socket.
    ...({
      socket: () =>
        new Promise<Socket>((resolve, reject) => {
          const s = connect({ host: '127.0.0.1', port });
          sockets.push(s);
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        }),
    } as object),
  });
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  try {
    return await Promise.race([
      fn(sql),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timedOut = true;
          reject(new Error(`no answer from 127.0.0.1:${port} in ${timeoutMs} ms`));
        }, timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await sql.end({ timeout: 0 }).catch(() => {});
    for (const s of sockets) {
      if (s.destroyed) continue;
      if (timedOut) s.destroy();
      else setTimeout(() => s.destroy(), 1000).unref();
    }
  }
}

/** Identifier-safe form of a component name (slot and application names allow [a-z0-9_]). */
export function pgIdent(name: string): string {
  return name.replace(/[^a-z0-9_]/g, '_');
}

async function runAs(user: OsUser, command: string, args: string[], what: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  try {
    const run = execFileAsync(command, args, { uid: user.uid, gid: user.gid, env: { ...process.env, LC_ALL: 'C.UTF-8', ...env } });
    trackChild(run.child);
    await run;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new SolidaError(`${what} failed`, 1, [{ message: (e.stderr || e.message).trim() }]);
  }
}

/** A directory owned by the PostgreSQL OS user (data dirs must be 0700 and owned by it). */
export function ownedDir(dir: string, user: OsUser, mode = 0o700): void {
  mkdirSync(dir, { recursive: true });
  chownSync(dir, user.uid, user.gid);
  chmodSync(dir, mode);
}

/**
 * initdb with password authentication for every connection (socket and TCP): the superuser's password is
 * the lab secret, handed over in a file only the PostgreSQL user can read, removed right after.
 */
export async function initdb(pgBin: string, dataDir: string, user: OsUser, superuser: string, password?: string): Promise<void> {
  ownedDir(dataDir, user);
  const auth = password ? ['--auth=scram-sha-256'] : ['--auth=trust'];
  let pwDir: string | null = null;
  let removePw = () => {};
  if (password) {
    pwDir = mkdtempSync(join(tmpdir(), 'solida-initdb-'));
    removePw = trackSecretDir(pwDir);
    const pwFile = join(pwDir, 'pw');
    writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
    chownSync(pwDir, user.uid, user.gid);
    chownSync(pwFile, user.uid, user.gid);
    auth.push(`--pwfile=${pwFile}`);
  }
  try {
    await runAs(user, join(pgBin, 'initdb'), ['-D', dataDir, '-U', superuser, ...auth, '-E', 'UTF8', '--locale=C', '--no-sync'], 'initdb');
  } finally {
    removePw();
  }
}

export interface ServerSettings {
  port: number;
  socketDir: string | null;
  walArchiveDir: string;
  clusterName: string;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Settings appended to postgresql.conf (later lines win), shared by the primary and every copy of it. */
/** archive_command / restore_command for one WAL archive directory (a region's object store). */
export function archiveSettings(walArchiveDir: string): Record<string, string> {
  return {
    archive_command: `test ! -f ${walArchiveDir}/%f && cp %p ${walArchiveDir}/%f`,
    restore_command: `cp ${walArchiveDir}/%f %p`,
  };
}

export function serverSettings(s: ServerSettings): string {
  const archive = archiveSettings(s.walArchiveDir).archive_command;
  return [
    '',
    '# --- solida lab ---',
    `listen_addresses = '127.0.0.1'`,
    `port = ${s.port}`,
    `unix_socket_directories = ${quote(s.socketDir ?? '')}`,
    // Only the PostgreSQL user may even reach the socket (and every login needs the password anyway).
    'unix_socket_permissions = 0700',
    `cluster_name = ${quote(s.clusterName)}`,
    'max_connections = 60',
    'shared_buffers = 32MB',
    'wal_level = replica',
    'max_wal_senders = 10',
    'max_replication_slots = 10',
    'wal_keep_size = 256MB',
    'hot_standby = on',
    'hot_standby_feedback = on',
    // Every WAL segment goes to the object store, so a base backup plus the archive gives point-in-time recovery.
    'archive_mode = on',
    `archive_command = ${quote(archive)}`,
    'archive_timeout = 30',
    `restore_command = ${quote(`cp ${s.walArchiveDir}/%f %p`)}`,
    "recovery_target_timeline = 'latest'",
    // Processes get killed, the host does not crash: page-cache durability is enough and much faster on 2 cores.
    'fsync = off',
    'wal_receiver_status_interval = 1s',
    'wal_receiver_timeout = 10s',
    'wal_sender_timeout = 10s',
    "log_line_prefix = '%m [%p] %q%a '",
    'log_min_messages = warning',
    'log_checkpoints = off',
    '',
  ].join('\n');
}

/** Settings a copy overrides in postgresql.auto.conf (read after postgresql.conf). */
export function copySettings(s: { port: number; clusterName: string; extra?: Record<string, string> }): string {
  const lines = [`port = ${s.port}`, `cluster_name = ${quote(s.clusterName)}`];
  for (const [k, v] of Object.entries(s.extra ?? {})) lines.push(`${k} = ${quote(v)}`);
  return `${lines.join('\n')}\n`;
}

export function writeServerSettings(dataDir: string, settings: ServerSettings): void {
  appendFileSync(join(dataDir, 'postgresql.conf'), serverSettings(settings));
}

export interface Upstream {
  /** One or more ports on 127.0.0.1; several means "whichever is the writable primary". */
  ports: number[];
  replicationUser: string;
  applicationName: string;
  slotName?: string;
  /** The replication user's password (the lab secret); absent for labs with trust authentication. */
  password?: string;
}

export function primaryConninfo(up: Upstream): string {
  const parts = [
    `host=${up.ports.map(() => '127.0.0.1').join(',')}`,
    `port=${up.ports.join(',')}`,
    `user=${up.replicationUser}`,
    `application_name=${up.applicationName}`,
    'connect_timeout=2',
  ];
  if (up.ports.length > 1) parts.push('target_session_attrs=read-write');
  // Stored in postgresql.auto.conf inside the 0700 data directory; PostgreSQL masks it in pg_stat_wal_receiver.
  if (up.password) parts.push(`password=${up.password}`);
  return parts.join(' ');
}

export async function baseBackup(
  pgBin: string,
  user: OsUser,
  from: { port: number; replicationUser: string },
  targetDir: string,
  opts: { slot?: string } = {},
): Promise<void> {
  ownedDir(targetDir, user);
  const args = ['-h', '127.0.0.1', '-p', String(from.port), '-U', from.replicationUser, '-D', targetDir, '-c', 'fast', '--no-sync'];
  if (opts.slot) args.push('-X', 'stream', '-C', '-S', opts.slot);
  else args.push('-X', 'fetch');
  const password = passwordForPort(from.port);
  await runAs(user, join(pgBin, 'pg_basebackup'), args, `pg_basebackup into ${targetDir}`, password ? { PGPASSWORD: password } : {});
}

/** Turn a base backup into a streaming standby of `upstream`, listening on `port`. */
export function configureStandby(dataDir: string, user: OsUser, port: number, clusterName: string, upstream: Upstream, settings: Record<string, string> = {}): void {
  const extra: Record<string, string> = {
    ...settings,
    primary_conninfo: primaryConninfo(upstream),
    // A promoted standby must not wait for a synchronous standby that no longer exists.
    synchronous_standby_names: '',
  };
  if (upstream.slotName) extra.primary_slot_name = upstream.slotName;
  appendFileSync(join(dataDir, 'postgresql.auto.conf'), copySettings({ port, clusterName, extra }));
  const signal = join(dataDir, 'standby.signal');
  writeFileSync(signal, '');
  chownSync(signal, user.uid, user.gid);
}

/** Turn a base backup into a server that replays the archive up to `targetTime`, then promotes. */
export function configurePointInTimeRestore(dataDir: string, user: OsUser, port: number, clusterName: string, targetTime: Date): void {
  const extra: Record<string, string> = {
    // PostgreSQL's timestamptz input wants a space and an explicit offset, not ISO 8601's T...Z.
    recovery_target_time: targetTime.toISOString().replace('T', ' ').replace('Z', '+00'),
    recovery_target_inclusive: 'false',
    recovery_target_action: 'promote',
    synchronous_standby_names: '',
    // The restored copy must not write its new timeline into the archive the live cluster uses.
    archive_mode: 'off',
  };
  appendFileSync(join(dataDir, 'postgresql.auto.conf'), copySettings({ port, clusterName, extra }));
  const signal = join(dataDir, 'recovery.signal');
  writeFileSync(signal, '');
  chownSync(signal, user.uid, user.gid);
  // A base backup may contain a standby.signal if it was taken from a standby.
  for (const stale of ['standby.signal', 'postmaster.pid']) {
    rmSync(join(dataDir, stale), { force: true });
  }
}

/** Base backups in the object store, oldest first, with the time each started. */
export function listBaseBackups(baseBackupsDir: string): { dir: string; startedAt: Date }[] {
  if (!existsSync(baseBackupsDir)) return [];
  return readdirSync(baseBackupsDir)
    .filter((name) => /^\d{8}T\d{6}(\d{3})?Z$/.test(name))
    .sort()
    .map((name) => ({ dir: join(baseBackupsDir, name), startedAt: parseStamp(name) }));
}

export function backupStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('.', '');
}

function parseStamp(name: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})?Z$/.exec(name)!;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7] ? +m[7] : 0));
}

// --- live facts ---------------------------------------------------------------------------------

export type LiveRole = 'primary' | 'standby' | 'unreachable';

export async function liveRole(port: number, timeoutMs = 3000): Promise<LiveRole> {
  try {
    const rows = await withAdmin(port, (sql) => sql`select pg_is_in_recovery() as recovery`, { timeoutMs });
    return rows[0].recovery ? 'standby' : 'primary';
  } catch {
    return 'unreachable';
  }
}

export interface ReplicaState {
  applicationName: string;
  state: string;
  syncState: string;
  /** Bytes of WAL the replica has not replayed yet, measured on the primary. */
  replayLagBytes: number;
  /** PostgreSQL's own replay_lag (null when idle). */
  replayLagSeconds: number | null;
}

export async function replicasOf(primaryPort: number, timeoutMs = 2000): Promise<ReplicaState[]> {
  const rows = await withAdmin(
    primaryPort,
    (sql) => sql`
      select application_name, state, sync_state,
             coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0)::float8 as lag_bytes,
             extract(epoch from replay_lag)::float8 as lag_seconds
        from pg_stat_replication`,
    { timeoutMs },
  );
  return rows.map((r) => ({
    applicationName: r.application_name,
    state: r.state,
    syncState: r.sync_state,
    replayLagBytes: Number(r.lag_bytes),
    replayLagSeconds: r.lag_seconds === null ? null : Number(r.lag_seconds),
  }));
}

export interface StandbyState {
  receiving: boolean;
  receiveLsn: string | null;
  replayLsn: string | null;
  /** now() minus the commit time of the last replayed transaction (grows while the primary is idle). */
  lastReplaySecondsAgo: number | null;
}

export async function standbyState(port: number, timeoutMs = 2000): Promise<StandbyState> {
  const rows = await withAdmin(
    port,
    (sql) => sql`
      select pg_last_wal_receive_lsn()::text as receive_lsn, pg_last_wal_replay_lsn()::text as replay_lsn,
             extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as replay_age,
             exists(select 1 from pg_stat_wal_receiver where status = 'streaming') as receiving`,
    { timeoutMs },
  );
  const r = rows[0];
  return {
    receiving: Boolean(r.receiving),
    receiveLsn: r.receive_lsn,
    replayLsn: r.replay_lsn,
    lastReplaySecondsAgo: r.replay_age === null ? null : Number(r.replay_age),
  };
}

/** pg_promote(): returns once the server accepts writes (or throws). */
export async function promote(port: number, waitSeconds = 30): Promise<void> {
  const rows = await withAdmin(port, (sql) => sql`select pg_promote(true, ${waitSeconds}) as promoted`, {
    timeoutMs: (waitSeconds + 5) * 1000,
  });
  if (!rows[0].promoted) throw new SolidaError(`promotion of the server on port ${port} did not finish in ${waitSeconds} s`, 1);
}

/** Close the current WAL segment so it is archived now (before a point-in-time restore). */
export async function switchWal(port: number): Promise<string> {
  const rows = await withAdmin(port, (sql) => sql`select pg_switch_wal()::text as lsn`);
  return rows[0].lsn;
}
