// Backups in the lab's object store and point-in-time recovery from them: a base backup plus the WAL
// archive, replayed up to a target time into a new server next to the cluster (the RDS
// RestoreDBInstanceToPointInTime analog).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SolidaError } from '../util/errors.ts';
import { runtime, spawnComponent, type Runtime } from './components.ts';
import { readLab, writeLab, type LabComponent, type LabDescription } from './description.ts';
import { logFileOf } from './plan.ts';
import { freePort } from './ports.ts';
import { backupStamp, baseBackup, configurePointInTimeRestore, listBaseBackups, liveRole, withAdmin } from './postgres.ts';
import { isAlive } from './processes.ts';
import { waitFor } from './wait.ts';

const execFileAsync = promisify(execFile);

export async function takeBaseBackup(lab: LabDescription, rt: Runtime, from: LabComponent): Promise<string> {
  const target = join(lab.objectStore.baseBackupsDir, backupStamp(new Date()));
  await baseBackup(rt.bins.pgBin, rt.pgUser, { port: from.port, replicationUser: lab.database.replicationUser }, target);
  return target;
}

/** The database that is the primary right now (live check), or null. */
export async function currentPrimary(lab: LabDescription): Promise<LabComponent | null> {
  for (const c of lab.components.filter((x) => x.kind === 'postgres' && x.role !== 'restored')) {
    if ((await liveRole(c.port, 1000)) === 'primary') return c;
  }
  return null;
}

/** Close the current WAL segment on the primary and wait until the archive has it. */
export async function archiveCurrentWal(primary: LabComponent, timeoutMs = 15_000): Promise<string> {
  const [{ walfile }] = await withAdmin(primary.port, (sql) => sql`select pg_walfile_name(pg_switch_wal()) as walfile`);
  await waitFor(
    async () => {
      const [row] = await withAdmin(primary.port, (sql) => sql`select last_archived_wal from pg_stat_archiver`);
      return typeof row.last_archived_wal === 'string' && row.last_archived_wal.slice(0, 24) >= walfile;
    },
    { what: `archiving of ${walfile}`, timeoutMs, logFile: primary.logFile },
  );
  return walfile;
}

export interface RestoreOptions {
  /** Recover every transaction committed before this instant, nothing after. */
  targetTime: Date;
  /** Component name of the new server (default db-restored-N). */
  name?: string;
  region?: string;
  az?: string;
}

export interface RestoreResult {
  component: LabComponent;
  baseBackup: string;
  seconds: number;
}

/** Restore the newest base backup taken before `targetTime` plus archived WAL into a new server. */
export async function restorePointInTime(dir: string | undefined, opts: RestoreOptions): Promise<RestoreResult> {
  const started = Date.now();
  const lab = readLab(dir);
  const rt = runtime();
  const backups = listBaseBackups(lab.objectStore.baseBackupsDir).filter((b) => b.startedAt < opts.targetTime);
  const backup = backups.at(-1);
  if (!backup) {
    throw new SolidaError(`no base backup older than ${opts.targetTime.toISOString()}`, 1, [
      { file: lab.objectStore.baseBackupsDir, message: 'point-in-time recovery starts from a base backup taken before the target' },
    ]);
  }
  const primary = await currentPrimary(lab);
  if (primary) await archiveCurrentWal(primary);

  const existing = new Set(lab.components.map((c) => c.name));
  let name = opts.name;
  for (let i = 1; !name; i++) if (!existing.has(`db-restored-${i}`)) name = `db-restored-${i}`;
  if (existing.has(name)) throw new SolidaError(`a component named ${name} already exists`, 2);

  const dataDir = join(lab.dir, 'pg', name);
  await execFileAsync('cp', ['-a', backup.dir, dataDir]);
  const port = await freePort();
  configurePointInTimeRestore(dataDir, rt.pgUser, port, name, opts.targetTime);
  const c: LabComponent = {
    name,
    kind: 'postgres',
    region: opts.region ?? 'r1',
    az: opts.az ?? 'a',
    role: 'restored',
    pid: null,
    startTicks: null,
    port,
    extraPorts: {},
    dataDir,
    logFile: logFileOf(lab.dir, name),
    url: null,
  };
  lab.components.push(c);
  writeLab(lab);
  spawnComponent(lab, name, rt);
  // Recovery replays the archive, stops at the target and promotes: done when it accepts writes.
  await waitFor(async () => (await liveRole(port, 1000)) === 'primary', {
    what: `${name} recovering to ${opts.targetTime.toISOString()}`,
    timeoutMs: 60_000,
    logFile: c.logFile,
    stillRunning: () => isAlive(c.pid, c.startTicks),
  });
  return { component: c, baseBackup: backup.dir, seconds: (Date.now() - started) / 1000 };
}

/** Take a new base backup of the current primary into the object store. */
export async function backupNow(dir?: string): Promise<string> {
  const lab = readLab(dir);
  const primary = await currentPrimary(lab);
  if (!primary) throw new SolidaError('no primary database is reachable', 1);
  return takeBaseBackup(lab, runtime(), primary);
}
