// Recovery actions a game day needs beyond restarting a process: bring a lost database back as a standby
// of the new primary (never as a second primary), and cut a region's service over to another database
// (a point-in-time restore) with a rolling, drained restart of its instances.
import { rmSync } from 'node:fs';
import { SolidaError } from '../util/errors.ts';
import { restartComponent, runtime } from './components.ts';
import { component, readLab, writeLab, type LabComponent } from './description.ts';
import { setServerEnabled } from './faults.ts';
import { serverStates } from './haproxy.ts';
import { pgIdent, withAdmin } from './postgres.ts';
import { isAlive, stopProcessGroup } from './processes.ts';
import { makeSynchronous, startCopy } from './up.ts';
import { sleep, waitFor } from './wait.ts';

/**
 * Re-clone a stopped database from `primaryName` and start it as its standby (the lab's pg_rewind: the old
 * timeline is discarded). With a synchronous lab, it becomes the new primary's synchronous standby again.
 */
export async function rejoinAsStandby(dir: string, name: string, primaryName: string): Promise<LabComponent> {
  const lab = readLab(dir);
  const db = component(lab, name);
  const primary = component(lab, primaryName);
  if (db.kind !== 'postgres' || !db.dataDir) throw new SolidaError(`${name} is not a database`, 2);
  if (isAlive(db.pid, db.startTicks)) throw new SolidaError(`${name} is running; stop it before rebuilding it as a standby`, 1);
  rmSync(db.dataDir, { recursive: true, force: true });
  // A slot of that name may survive from an earlier rejoin on the same primary.
  await withAdmin(primary.port, (sql) => sql`select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = ${pgIdent(name)} and not active`);
  await startCopy(lab, db, primary, runtime());
  db.role = 'standby';
  writeLab(lab);
  if (lab.database.synchronous && db.region === primary.region) await makeSynchronous(primary, pgIdent(name));
  return db;
}

async function waitServerUp(dir: string, balancer: string, server: string): Promise<void> {
  const lb = component(readLab(dir), balancer);
  await waitFor(async () => (await serverStates(lb.extraPorts.stats)).some((s) => s.server === server && s.up), {
    what: `${server} back in ${balancer}`,
    timeoutMs: 20_000,
  });
}

/**
 * Point every service instance of `region` at `database`: each instance in turn is drained from the load
 * balancer, restarted with the new database, and put back once the balancer sees it healthy.
 */
export async function cutOverService(dir: string, region: string, database: string): Promise<string[]> {
  const lab = readLab(dir);
  const target = component(lab, database);
  if (target.kind !== 'postgres') throw new SolidaError(`${database} is not a database`, 2);
  lab.serviceDatabase = { ...(lab.serviceDatabase ?? {}), [region]: database };
  writeLab(lab);
  const balancer = `alb-${region}`;
  const instances = lab.components.filter((c) => c.kind === 'inventory' && c.region === region);
  const restarted: string[] = [];
  for (const c of instances) {
    await setServerEnabled(dir, balancer, c.name, false);
    // Requests already on the instance finish before it stops (they are short: one query each).
    await sleep(300);
    const fresh = readLab(dir);
    const current = component(fresh, c.name);
    await stopProcessGroup(current.pid, current.startTicks, 'SIGTERM', 3000);
    await restartComponent(fresh, c.name);
    await setServerEnabled(dir, balancer, c.name, true);
    await waitServerUp(dir, balancer, c.name);
    restarted.push(c.name);
  }
  return restarted;
}

/**
 * Fence a primary the service no longer uses (the corrupted database after a PITR cut-over): it stays up
 * for forensics and keeps its standby, but takes no more writes. New transactions default to read-only
 * (ALTER SYSTEM + reload) and open client sessions are ended, so none keeps a read-write transaction.
 */
export async function fenceReadOnly(dir: string, name: string): Promise<void> {
  const db = component(readLab(dir), name);
  if (db.kind !== 'postgres') throw new SolidaError(`${name} is not a database`, 2);
  await withAdmin(db.port, async (sql) => {
    await sql`alter system set default_transaction_read_only = on`;
    await sql`select pg_reload_conf()`;
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()`;
  });
}
