// `lab status`: is each component alive and doing its job, which database is the primary now, and how far
// behind each copy is. Every probe has a short deadline, so a frozen (SIGSTOP) component reads as such.
import { readLab, type LabComponent, type LabDescription } from './description.ts';
import { serverStates } from './haproxy.ts';
import { liveRole, replicasOf, standbyState, withAdmin, type LiveRole, type ReplicaState, type StandbyState } from './postgres.ts';
import { isAlive, isStopped } from './processes.ts';
import { httpGet } from './wait.ts';
import { formatTable } from '../util/table.ts';

/** passive: a service or balancer of a region whose database is a replica (it serves once promoted). */
export type Health = 'healthy' | 'degraded' | 'unhealthy' | 'passive' | 'paused' | 'down';

export interface ComponentStatus {
  name: string;
  kind: LabComponent['kind'];
  region: string;
  az: string | null;
  /** Live role for databases (primary/standby), the recorded role otherwise. */
  role: string;
  pid: number | null;
  port: number;
  alive: boolean;
  health: Health;
  detail: string;
}

export interface DatabaseStatus {
  name: string;
  role: LiveRole | 'down' | 'paused';
  /** On a primary: its replicas as pg_stat_replication reports them. */
  replicas?: ReplicaState[];
  /** On a standby: what it has received and replayed. */
  standby?: StandbyState;
  /** A primary fenced read-only (default_transaction_read_only): up, but taking no writes. */
  readOnly?: boolean;
}

export interface LabStatus {
  dir: string;
  state: LabDescription['state'];
  components: ComponentStatus[];
  databases: DatabaseStatus[];
  /** Live primaries taking writes (fenced read-only ones are not); more than one means split brain. */
  primaries: string[];
}

async function databaseStatus(c: LabComponent): Promise<DatabaseStatus> {
  if (!isAlive(c.pid, c.startTicks)) return { name: c.name, role: 'down' };
  if (isStopped(c.pid!)) return { name: c.name, role: 'paused' };
  const role = await liveRole(c.port);
  if (role === 'primary') {
    const readOnly = await withAdmin(c.port, (sql) => sql`select current_setting('default_transaction_read_only') as ro`)
      .then((rows) => rows[0]?.ro === 'on')
      .catch(() => false);
    return { name: c.name, role, replicas: await replicasOf(c.port).catch(() => []), ...(readOnly ? { readOnly } : {}) };
  }
  if (role === 'standby') return { name: c.name, role, standby: await standbyState(c.port).catch(() => undefined) };
  return { name: c.name, role };
}

function describeDatabase(db: DatabaseStatus): { health: Health; detail: string } {
  switch (db.role) {
    case 'primary': {
      const replicas = db.replicas ?? [];
      const text = replicas.map((r) => `${r.applicationName} ${r.state}/${r.syncState} lag ${r.replayLagBytes} B`).join(', ');
      const fenced = db.readOnly ? 'fenced read-only; ' : '';
      return { health: 'healthy', detail: `${fenced}${replicas.length ? `replicas: ${text}` : 'no replicas connected'}` };
    }
    case 'standby': {
      const s = db.standby;
      const receiving = s?.receiving ?? false;
      return {
        health: receiving ? 'healthy' : 'degraded',
        detail: `${receiving ? 'streaming' : 'not streaming'}, replayed ${s?.replayLsn ?? '?'}`,
      };
    }
    case 'paused':
      return { health: 'paused', detail: 'SIGSTOPped' };
    case 'down':
      return { health: 'down', detail: 'process not running' };
    default:
      return { health: 'unhealthy', detail: 'not answering' };
  }
}

async function httpComponentStatus(c: LabComponent): Promise<{ health: Health; detail: string }> {
  try {
    switch (c.kind) {
      case 'inventory': {
        const res = await httpGet(`${c.url}/healthz`, 2500);
        const body = JSON.parse(res.body) as { status?: string; db?: { port?: number } };
        if (res.status === 200) return { health: 'healthy', detail: `writing to the database on port ${body.db?.port}` };
        return { health: 'unhealthy', detail: body.status ?? `healthz ${res.status}` };
      }
      case 'haproxy': {
        const states = await serverStates(c.extraPorts.stats, 2500);
        const up = states.filter((s) => s.up).length;
        const detail = states.map((s) => `${s.server} ${s.status}`).join(', ');
        return { health: up === states.length ? 'healthy' : up > 0 ? 'degraded' : 'unhealthy', detail };
      }
      case 'prometheus': {
        const res = await fetch(`${c.url}/api/v1/targets?state=active`, { signal: AbortSignal.timeout(2500) });
        const targets = ((await res.json()) as { data: { activeTargets: { health: string }[] } }).data.activeTargets;
        const up = targets.filter((t) => t.health === 'up').length;
        const rules = (await (await fetch(`${c.url}/api/v1/rules`, { signal: AbortSignal.timeout(2500) })).json()) as {
          data: { groups: { rules: unknown[] }[] };
        };
        const ruleCount = rules.data.groups.reduce((n, g) => n + g.rules.length, 0);
        return { health: up === targets.length ? 'healthy' : 'degraded', detail: `${up}/${targets.length} targets up, ${ruleCount} rules` };
      }
      default:
        return { health: 'healthy', detail: '' };
    }
  } catch (err) {
    return { health: 'unhealthy', detail: (err as Error).message };
  }
}

export async function labStatus(dir?: string): Promise<LabStatus> {
  const lab = readLab(dir);
  const dbStatuses = new Map<string, DatabaseStatus>();
  const components = await Promise.all(
    lab.components.map(async (c): Promise<ComponentStatus> => {
      const alive = isAlive(c.pid, c.startTicks);
      const base = { name: c.name, kind: c.kind, region: c.region, az: c.az, pid: c.pid, port: c.port, alive };
      if (c.kind === 'postgres') {
        const db = await databaseStatus(c);
        dbStatuses.set(c.name, db);
        const role = db.role === 'primary' || db.role === 'standby' ? db.role : c.role;
        return { ...base, role, ...describeDatabase(db) };
      }
      if (!alive) return { ...base, role: c.role, health: 'down', detail: 'process not running' };
      if (isStopped(c.pid!)) return { ...base, role: c.role, health: 'paused', detail: 'SIGSTOPped' };
      return { ...base, role: c.role, ...(await httpComponentStatus(c)) };
    }),
  );
  const databases = lab.components.filter((c) => c.kind === 'postgres').map((c) => dbStatuses.get(c.name)!);
  const passiveRegions = lab.regions.filter((r) => {
    const regional = lab.components.filter((c) => c.kind === 'postgres' && c.region === r && c.role !== 'restored');
    return regional.length > 0 && regional.every((c) => dbStatuses.get(c.name)?.role === 'standby');
  });
  for (const c of components) {
    if (c.kind !== 'postgres' && passiveRegions.includes(c.region) && (c.health === 'unhealthy' || c.health === 'degraded')) {
      c.health = 'passive';
      c.detail = `${c.detail} (region ${c.region} has no primary database until promoted)`;
    }
  }
  return {
    dir: lab.dir,
    state: lab.state,
    components,
    databases,
    primaries: databases.filter((d) => d.role === 'primary' && !d.readOnly).map((d) => d.name),
  };
}

export function formatStatus(s: LabStatus): string {
  const header = ['NAME', 'REGION', 'AZ', 'ROLE', 'PID', 'PORT', 'HEALTH', 'DETAIL'];
  const rows = s.components.map((c) => [c.name, c.region, c.az ?? '-', c.role, String(c.pid ?? '-'), String(c.port), c.health, c.detail]);
  const warn = s.primaries.length > 1 ? `\nWARNING: ${s.primaries.length} primaries (${s.primaries.join(', ')}): split brain\n` : '';
  return `lab ${s.dir} (${s.state})\n${formatTable([header, ...rows]).join('\n')}\n${warn}`;
}
