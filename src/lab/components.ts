// Starting one lab component and waiting until it answers. Used by `lab up` and by game days that bring
// a killed component back.
import { existsSync, mkdirSync } from 'node:fs';
import { labSecretFile } from './secrets.ts';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findBinaries, postgresOsUser, type LabBinaries, type OsUser } from './binaries.ts';
import { component, writeLab, type LabComponent, type LabDescription } from './description.ts';
import { serverStates } from './haproxy.ts';
import { haproxyConfigFile, prometheusConfigFile } from './plan.ts';
import { liveRole } from './postgres.ts';
import { isAlive, spawnDetached } from './processes.ts';
import { httpGet, waitFor } from './wait.ts';

// Compiled (dist/, the installed CLI) the server is plain JavaScript; from the sources it is TypeScript run through tsx.
const FROM_SOURCES = import.meta.url.endsWith('.ts');
export const INVENTORY_SERVER = fileURLToPath(new URL(FROM_SOURCES ? './inventory/server.ts' : './inventory/server.js', import.meta.url));

export interface Runtime {
  bins: LabBinaries;
  pgUser: OsUser;
}

export function runtime(): Runtime {
  return { bins: findBinaries(), pgUser: postgresOsUser() };
}

function inventoryEnv(lab: LabDescription, c: LabComponent): NodeJS.ProcessEnv {
  // r1 instances follow whichever r1 database is the primary; r2's use their own region's database,
  // which accepts writes only once promoted (a passive region until failover).
  const cutOver = lab.serviceDatabase?.[c.region];
  const dbs = cutOver
    ? lab.components.filter((d) => d.name === cutOver)
    : lab.components.filter((d) => d.kind === 'postgres' && d.region === c.region && d.role !== 'restored');
  return {
    ...process.env,
    PORT: String(c.port),
    DB_HOSTS: dbs.map((d) => `127.0.0.1:${d.port}`).join(','),
    DB_NAME: lab.database.name,
    DB_USER: lab.database.user,
    // The password stays in its 0600 file; the service reads it at start (absent for pre-secret labs).
    DB_PASSWORD_FILE: existsSync(labSecretFile(lab.dir)) ? labSecretFile(lab.dir) : '',
    INSTANCE: c.name,
    // The SLOs' latency thresholds as histogram buckets (without them every request counts as slow).
    SLO_BUCKETS: (lab.sloBuckets ?? []).join(','),
    REGION: c.region,
    AZ: c.az ?? '',
  };
}

function commandFor(lab: LabDescription, c: LabComponent, rt: Runtime) {
  switch (c.kind) {
    case 'postgres':
      return { command: `${rt.bins.pgBin}/postgres`, args: ['-D', c.dataDir!], uid: rt.pgUser.uid, gid: rt.pgUser.gid };
    case 'inventory':
      return {
        command: rt.bins.node,
        args: [...(FROM_SOURCES ? ['--import', pathToFileURL(rt.bins.tsxLoader).href] : []), INVENTORY_SERVER, `--lab-dir=${lab.dir}`],
        env: inventoryEnv(lab, c),
      };
    case 'haproxy':
      return { command: rt.bins.haproxy, args: ['-db', '-f', haproxyConfigFile(lab.dir, c.name)] };
    case 'prometheus':
      return {
        command: rt.bins.prometheus,
        args: [
          `--config.file=${prometheusConfigFile(lab.dir)}`,
          `--storage.tsdb.path=${c.dataDir}`,
          // Loopback only, and no lifecycle/admin API: nothing on the host can shut it down or delete data over HTTP.
          `--web.listen-address=127.0.0.1:${c.port}`,
          '--storage.tsdb.retention.time=2d',
          // info: start-up, rule loading, compactions — so `lab logs prometheus` shows it ran, not an empty file.
          '--log.level=info',
        ],
      };
  }
}

/** Spawn a component and record its pid in lab.json at once (so `down` can find it even if we crash next). */
export function spawnComponent(lab: LabDescription, name: string, rt: Runtime): LabComponent {
  const c = component(lab, name);
  // Set by an interrupted `up` while it tears down: nothing new may start behind its back.
  if (lab.state === 'stopping') throw new Error(`not starting ${name}: the lab is being stopped`);
  if (isAlive(c.pid, c.startTicks)) throw new Error(`${name} is already running (pid ${c.pid})`);
  mkdirSync(lab.dir + '/logs', { recursive: true });
  const spec = commandFor(lab, c, rt);
  const started = spawnDetached({ ...spec, logFile: c.logFile, cwd: lab.dir });
  c.pid = started.pid;
  c.startTicks = started.startTicks;
  writeLab(lab);
  return c;
}

const READY_TIMEOUT_MS = 30_000;

/** Wait until the component does its job: a database answers, a service is healthy, a balancer serves. */
export async function waitReady(lab: LabDescription, c: LabComponent, opts: { requireHealthyBackends?: boolean } = {}): Promise<void> {
  const base = { timeoutMs: READY_TIMEOUT_MS, stillRunning: () => isAlive(c.pid, c.startTicks), logFile: c.logFile };
  switch (c.kind) {
    case 'postgres':
      await waitFor(async () => (await liveRole(c.port, 1000)) !== 'unreachable', { ...base, what: `${c.name} (PostgreSQL)` });
      return;
    case 'inventory':
      await waitFor(async () => (await httpGet(`${c.url}/healthz`, 2000)).status === 200, { ...base, what: `${c.name} /healthz` });
      return;
    case 'haproxy':
      await waitFor(
        async () => {
          const states = await serverStates(c.extraPorts.stats);
          if (!opts.requireHealthyBackends) return true;
          return states.filter((s) => !isBackupServer(lab, c, s.server)).every((s) => s.up);
        },
        { ...base, what: `${c.name} (HAProxy) with its servers up` },
      );
      return;
    case 'prometheus':
      await waitFor(async () => (await httpGet(`${c.url}/-/ready`, 2000)).status === 200, { ...base, what: 'Prometheus' });
      return;
  }
}

function isBackupServer(lab: LabDescription, balancer: LabComponent, server: string): boolean {
  return balancer.role === 'global-front' && server !== lab.regions[0];
}

/** Start a stopped component again (a game day's "recover" step) and wait until it is ready. */
export async function restartComponent(lab: LabDescription, name: string): Promise<LabComponent> {
  const rt = runtime();
  const c = spawnComponent(lab, name, rt);
  await waitReady(lab, c);
  return c;
}
