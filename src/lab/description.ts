// The lab's description: the data (`<labdir>/lab.json`) that `lab status`, game days and runbooks read to
// find the processes `lab up` started. It is rewritten after every spawn, so a crashed `up` still leaves
// enough behind for `lab down` to stop exactly what was started.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SolidaError } from '../util/errors.ts';
import { rememberLabPorts } from './secrets.ts';

export type ComponentKind = 'postgres' | 'inventory' | 'haproxy' | 'prometheus';

export type ComponentRole =
  | 'primary'
  | 'standby'
  | 'replica'
  /** A point-in-time restore of the database, started next to the cluster. */
  | 'restored'
  | 'service'
  | 'load-balancer'
  | 'global-front'
  | 'monitoring';

export interface LabComponent {
  /** Unique in the lab, e.g. db-r1-a, inventory-r1-b, alb-r1, global-front, prometheus. */
  name: string;
  kind: ComponentKind;
  region: string;
  /** null for regional or global components (load balancers, monitoring). */
  az: string | null;
  /** The role it was started with (databases: see `databaseRoles` for the live one). */
  role: ComponentRole;
  /** Process (and process group) id; null until spawned. */
  pid: number | null;
  /** Process start time in clock ticks since boot (/proc), so a recycled pid is never signalled. */
  startTicks: number | null;
  /** The main TCP port on 127.0.0.1. */
  port: number;
  /** Other ports, e.g. the load balancer's stats/metrics port. */
  extraPorts: Record<string, number>;
  dataDir: string | null;
  logFile: string;
  /** Base URL for HTTP components. */
  url: string | null;
}

export interface LabDatabase {
  name: string;
  /** The service's login role. */
  user: string;
  superuser: string;
  replicationUser: string;
  /** OS user that owns the data directories and runs postgres. */
  osUser: string;
  /** Unix socket directory, or null when the path would be too long for a socket (TCP only). */
  socketDir: string | null;
  synchronous: boolean;
}

export interface LabObjectStore {
  dir: string;
  /** archive_command copies every WAL segment here; restore_command reads it back. */
  walDir: string;
  /** Base backups, one sub-directory each (plain format). */
  baseBackupsDir: string;
}

export interface LabDescription {
  version: 1;
  dir: string;
  state: 'starting' | 'up' | 'stopping' | 'down' | 'failed';
  createdAt: string;
  /** Process that ran `up`, for messages only. */
  ownerPid: number;
  regions: string[];
  database: LabDatabase;
  objectStore: LabObjectStore;
  endpoints: {
    /** Regional load balancers by region. */
    alb: Record<string, string>;
    /** Global front (only with two regions). */
    global: string | null;
    prometheus: string;
  };
  components: LabComponent[];
  /**
   * Region → database its service instances use instead of the region's cluster (set by a cut-over to a
   * point-in-time restore). Absent: the instances follow whichever of the region's databases is primary.
   */
  serviceDatabase?: Record<string, string>;
}

export const DEFAULT_LAB_DIR = '.solida/lab';

export function resolveLabDir(dir?: string): string {
  return resolve(dir ?? DEFAULT_LAB_DIR);
}

export function labFile(dir: string): string {
  return join(dir, 'lab.json');
}

export function writeLab(lab: LabDescription): void {
  const file = labFile(lab.dir);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(lab, null, 2)}\n`);
  renameSync(tmp, file);
  rememberLabPorts(lab);
}

export function labExists(dir: string): boolean {
  return existsSync(labFile(resolveLabDir(dir)));
}

export function readLab(dir?: string): LabDescription {
  const labDir = resolveLabDir(dir);
  const file = labFile(labDir);
  if (!existsSync(file)) {
    throw new SolidaError(`no lab in ${labDir}`, 2, [
      { file, message: 'lab.json not found', fix: 'start one with `solida lab up` (or pass --dir)' },
    ]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SolidaError(`cannot read ${file}`, 2, [{ file, message: (err as Error).message }]);
  }
  const lab = parsed as LabDescription;
  if (lab?.version !== 1 || !Array.isArray(lab.components)) {
    throw new SolidaError(`${file} is not a solida lab description`, 2, [
      { file, path: 'version', message: 'expected version 1 with a components list' },
    ]);
  }
  rememberLabPorts(lab);
  return lab;
}

export function component(lab: LabDescription, name: string): LabComponent {
  const found = lab.components.find((c) => c.name === name);
  if (!found) {
    throw new SolidaError(`no component named ${name} in the lab`, 2, [
      { file: labFile(lab.dir), message: `known: ${lab.components.map((c) => c.name).join(', ')}` },
    ]);
  }
  return found;
}

export function componentsIn(lab: LabDescription, where: { region?: string; az?: string; kind?: ComponentKind }): LabComponent[] {
  return lab.components.filter(
    (c) =>
      (where.region === undefined || c.region === where.region) &&
      (where.az === undefined || c.az === where.az) &&
      (where.kind === undefined || c.kind === where.kind),
  );
}

/** Database components, in the order: r1 primary first, then standbys and replicas. */
export function databases(lab: LabDescription): LabComponent[] {
  return componentsIn(lab, { kind: 'postgres' });
}
