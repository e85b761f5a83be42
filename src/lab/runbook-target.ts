// The runbook target for the local lab: each runbook action mapped to real processes. Losing an AZ kills
// its processes (power loss); losing a region freezes them (SIGSTOP: a partition, the processes keep their
// sockets); recovery promotes PostgreSQL standbys, switches the global HAProxy front, restores from the
// base backup plus the WAL archive, and cuts the service over with a rolling restart.
import {
  component,
  cutOverService,
  fenceReadOnly,
  databaseRoles,
  killAz,
  promoteDatabase,
  readLab,
  rejoinAsStandby,
  replicationLag,
  restartComponent,
  restorePointInTime,
  setServerEnabled,
  thawComponent,
  killComponentTree,
  withAdmin,
  isAlive,
  type LabComponent,
  type LabDescription,
} from './index.ts';
import { resolveLabDir } from './description.ts';
import { signalTrees, untilStopped } from './process-tree.ts';
import { waitFor } from './wait.ts';
import { SolidaError } from '../util/errors.ts';
import type { DbNode, HealthStatus, TargetAdapter } from '../runbooks/types.ts';
import { setTimeout as wait } from 'node:timers/promises';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
/**
 * After a region stops, how long answers it already sent get to cross the global front (a local HAProxy,
 * normally well under a millisecond; tens of ms on a loaded machine) before the fault is stamped.
 */
const REGION_DRAIN_MS = 50;

export interface LabTargetOptions {
  /**
   * Seconds a promotion waits first, standing in for the failure detection a managed database does before
   * it fails over (RDS Multi-AZ: 60–120 s). 0 promotes at once, which no real failover does.
   */
  failoverDelaySeconds?: number;
  /** Aborts a pending delayed promotion (the game day's Ctrl-C), so nothing is promoted after an undo. */
  signal?: AbortSignal;
  /** The link between the regions (a delay proxy): cut when a region is lost, so data in transit is lost too. */
  crossRegionLink?: { cut(): void; restore(): void };
}


export class LabTarget implements TargetAdapter {
  readonly name: string;
  readonly dryRun = false;
  readonly dir: string;
  /** The database the service writes to after this target's recovery actions (null: the live primary). */
  private serving: string | null = null;
  /** Components this target froze, to thaw them on reconnect. */
  private frozen = new Map<string, string[]>();

  constructor(
    dir?: string,
    private readonly options: LabTargetOptions = {},
  ) {
    this.dir = resolveLabDir(dir);
    this.name = `lab (${this.dir})`;
  }

  private lab(): LabDescription {
    return readLab(this.dir);
  }

  async killAz(region: string, az: string) {
    const killed = await killAz(this.dir, { region, az });
    return { killed };
  }

  /** Restart what the AZ lost; a database that was primary rejoins behind the new primary as its standby. */
  async reviveAz(region: string, az: string) {
    const lab = this.lab();
    const dead = lab.components.filter((c) => c.region === region && c.az === az && c.role !== 'restored' && !isAlive(c.pid, c.startTicks));
    const revived: string[] = [];
    for (const c of dead.filter((x) => x.kind === 'postgres')) {
      const primary = await this.livePrimary();
      if (primary && primary.name !== c.name) await rejoinAsStandby(this.dir, c.name, primary.name);
      else {
        // The fault is undone before any failover: the old primary restarts, and is not healthy (nor are
        // synchronous commits possible) until its standbys stream from it again.
        await restartComponent(this.lab(), c.name);
        await waitFor(async () => (await replicationLag(this.dir)).standbys.every((s) => s.receiving), {
          what: `standbys streaming from ${c.name} again`,
          timeoutMs: 30_000,
        });
      }
      revived.push(c.name);
    }
    for (const c of dead.filter((x) => x.kind !== 'postgres')) {
      await restartComponent(this.lab(), c.name);
      revived.push(c.name);
    }
    return { revived };
  }

  /**
   * Freeze every process of the region except monitoring (which lives outside it): each component with
   * all its descendants (PostgreSQL's archiver, walsender and backends too), so nothing of the region —
   * no streamed or archived WAL, no answer to a client — leaves it after this moment.
   *
   * One instant for the whole region: every tree is signalled and the cross-region link cut in the same
   * tick (the link runs in this process, so no byte passes in between). The region is lost when /proc
   * shows its last process stopped, and that is `faultAt`, the fault time of the game day: a write
   * acknowledged before it and lost was in flight (RPO), none can be acknowledged after it. Answers the
   * region sent before it may still be crossing the global front (a local proxy) and this process's
   * sockets: they are let through (a short drain, then two turns of the event loop) before the stamp,
   * so a load running here records them on the right side of it.
   */
  async isolateRegion(region: string) {
    const victims = this.lab().components.filter((c) => c.region === region && c.kind !== 'prometheus' && c.role !== 'restored');
    const trees = signalTrees(victims, 'SIGSTOP');
    this.options.crossRegionLink?.cut();
    // Cut off: from here nothing more of the region's WAL travels (what was in transit is dropped).
    const cutAt = new Date();
    const pids = trees.flat();
    if (!(await untilStopped(pids))) throw new SolidaError(`could not freeze region ${region}: processes still running after SIGSTOP`, 1);
    await new Promise((r) => setTimeout(r, REGION_DRAIN_MS));
    for (let turn = 0; turn < 2; turn++) await new Promise((r) => setImmediate(r));
    const faultAt = new Date();
    const frozen = victims.filter((_, i) => trees[i].length > 0).map((c) => c.name);
    this.frozen.set(region, frozen);
    return { frozen, processes: pids.length, cutAt: cutAt.toISOString(), faultAt: faultAt.toISOString() };
  }

  /**
   * The region comes back. If another region's database was promoted meanwhile, the old region's
   * databases are fenced before anything of the region runs again (killed while still frozen: the
   * old primary must not take one more write), then rebuilt as standbys of the new primary, the
   * first step of any failback. Without a promotion (an undo), everything just resumes.
   */
  async reconnectRegion(region: string) {
    const lab = this.lab();
    const names = this.frozen.get(region) ?? lab.components.filter((c) => c.region === region).map((c) => c.name);
    const databases = lab.components.filter((c) => c.kind === 'postgres' && c.region === region && c.role !== 'restored');
    // Only outside the region: its own databases are still frozen and would only time out.
    const primary = (await this.livePrimary((c) => c.region !== region))?.name;
    const fenced: string[] = [];
    if (primary) {
      for (const db of databases) {
        if (await killComponentTree(this.dir, db.name)) fenced.push(db.name);
        else throw new SolidaError(`could not fence ${db.name}: its processes survived SIGKILL`, 1);
      }
    }
    this.options.crossRegionLink?.restore();
    const thawed = names.filter((n) => !fenced.includes(n) && thawComponent(this.dir, n).length > 0);
    this.frozen.delete(region);
    for (const name of fenced) await rejoinAsStandby(this.dir, name, primary!);
    return primary ? { thawed, fenced, rebuiltAsStandbysOf: primary, rebuilt: fenced } : { thawed };
  }

  /** A bad bulk delete: every other row of `table`, in one statement on the serving primary. */
  async corruptData(table: string) {
    const db = await this.servingDatabase();
    const safe = checkIdentifier(table);
    const at = new Date();
    const rows = await withAdmin(
      db.port,
      (sql) => sql.unsafe(`delete from ${safe} where ctid in (select ctid from ${safe} order by ctid limit (select count(*) / 2 from ${safe}))`),
      { database: this.lab().database.name },
    );
    return { at, rows: rows.count };
  }

  async promoteStandby(region: string) {
    if (this.options.failoverDelaySeconds) await wait(this.options.failoverDelaySeconds * 1000, undefined, { signal: this.options.signal });
    const lab = this.lab();
    const roles = await databaseRoles(lab);
    const inRegion = lab.components.filter((c) => c.kind === 'postgres' && c.region === region && c.role !== 'restored' && roles[c.name] === 'standby');
    // The in-region synchronous standby first (no data loss), then an asynchronous replica.
    const candidate = inRegion.find((c) => c.role === 'standby') ?? inRegion[0];
    if (!candidate) {
      const live = Object.entries(roles).find(([n, r]) => r === 'primary' && component(lab, n).region === region);
      if (live) return { primary: live[0] };
      throw new SolidaError(`no standby or replica answers in ${region}`, 1, [{ message: JSON.stringify(roles) }]);
    }
    await promoteDatabase(this.dir, candidate.name);
    this.serving = candidate.name;
    return { primary: candidate.name };
  }

  /** Take every other region out of the global front, so `toRegion` serves even if the old one comes back. */
  async switchGlobalFront(toRegion: string) {
    const lab = this.lab();
    if (!lab.endpoints.global) throw new SolidaError('this lab has no global front (start it with two regions)', 2);
    for (const r of lab.regions) await setServerEnabled(this.dir, 'global-front', r, r === toRegion);
    return { front: toRegion };
  }

  async restorePitr(targetTime: Date) {
    const r = await restorePointInTime(this.dir, { targetTime });
    return { database: r.component.name, baseBackup: r.baseBackup, seconds: r.seconds };
  }

  /** Services to `database`; the database they used before is then fenced read-only (kept for forensics). */
  async cutOver(database: string) {
    const db = component(this.lab(), database);
    const previous = this.serving ?? (await this.livePrimary())?.name;
    const restarted = await cutOverService(this.dir, db.region, database);
    this.serving = database;
    if (previous && previous !== database) {
      await fenceReadOnly(this.dir, previous);
      return { database, restarted, fencedReadOnly: previous };
    }
    return { database, restarted };
  }

  /** A few /healthz probes through the front door (the global front, else the region's balancer) all 200. */
  async health(scope?: { region?: string; global?: boolean }): Promise<HealthStatus> {
    const lab = this.lab();
    const url = scope?.region ? lab.endpoints.alb[scope.region] : (lab.endpoints.global ?? lab.endpoints.alb[lab.regions[0]]);
    if (!url) return { healthy: false, detail: `no load balancer for ${scope?.region}` };
    const served: string[] = [];
    for (let i = 0; i < 3; i++) {
      try {
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        if (res.status !== 200) return { healthy: false, detail: `${url}/healthz answered ${res.status}` };
        served.push(res.headers.get('x-served-by') ?? '?');
      } catch (err) {
        return { healthy: false, detail: `${url}/healthz: ${(err as Error).message}` };
      }
    }
    return { healthy: true, detail: `${url} healthy (served by ${[...new Set(served)].join(', ')})` };
  }

  async dbRoles(): Promise<DbNode[]> {
    const lab = this.lab();
    const roles = await databaseRoles(lab);
    return lab.components
      .filter((c) => c.kind === 'postgres' && c.role !== 'restored')
      .map((c) => {
        const live = roles[c.name];
        const role = live === 'primary' ? 'primary' : live === 'standby' ? (c.role === 'replica' ? 'replica' : 'standby') : 'down';
        return { name: c.name, region: c.region, az: c.az, role };
      });
  }

  async replicationLag(region: string): Promise<number | null> {
    const lag = await replicationLag(this.dir);
    const names = new Set(this.lab().components.filter((c) => c.region === region).map((c) => c.name));
    const replica = lag.replicas.find((r) => r.name !== null && names.has(r.name) && r.state === 'streaming');
    if (!replica) return null;
    // replay_lag is null when the primary has been idle: nothing is outstanding, so it is caught up.
    return replica.replayLagSeconds ?? 0;
  }

  async rowCount(table: string, database?: string): Promise<number> {
    const db = database ? component(this.lab(), database) : await this.servingDatabase();
    const safe = checkIdentifier(table);
    const [row] = await withAdmin(db.port, (sql) => sql.unsafe(`select count(*)::int as n from ${safe}`), { database: this.lab().database.name });
    return Number(row.n);
  }

  /** The database the service writes to now: the one recovery moved it to, else the live primary. */
  async servingDatabase(): Promise<LabComponent> {
    if (this.serving) return component(this.lab(), this.serving);
    const primary = await this.livePrimary();
    if (!primary) throw new SolidaError('no primary database answers in the lab', 1);
    return primary;
  }

  private async livePrimary(include: (c: LabComponent) => boolean = () => true): Promise<LabComponent | null> {
    const lab = this.lab();
    const roles = await databaseRoles(lab, include);
    // A region's own cluster first (r1 before r2), never a restored copy the service was not cut over to.
    return lab.components.find((c) => c.kind === 'postgres' && c.role !== 'restored' && roles[c.name] === 'primary') ?? null;
  }
}

function checkIdentifier(table: string): string {
  if (!IDENTIFIER.test(table)) throw new SolidaError(`invalid table name '${table}'`, 2, [{ message: 'expected a plain lower-case SQL identifier' }]);
  return table;
}
