// What a lab is made of, decided before anything starts: components, free ports, directories. Writing the
// whole plan first means a crash at any later point leaves a description `lab down` can act on.
import { basename, join } from 'node:path';
import type { ComponentKind, ComponentRole, LabComponent, LabDescription } from './description.ts';
import { freePort } from './ports.ts';

export interface LabOptions {
  /** Lab directory (default .solida/lab under the current directory). */
  dir: string;
  /** 1 (r1 only) or 2 (adds r2 and the global front). */
  regions?: 1 | 2;
  /** Synchronous standby in r1 (default true); false makes it asynchronous. */
  synchronous?: boolean;
  osUser: string;
}

// Unix socket paths are limited to 107 bytes (sun_path); longer lab paths fall back to TCP only.
const MAX_SOCKET_PATH = 100;

export function socketPath(dir: string, file: string): string | null {
  const path = join(dir, 'run', file);
  return path.length <= MAX_SOCKET_PATH ? path : null;
}

export function logFileOf(dir: string, name: string): string {
  return join(dir, 'logs', `${name}.log`);
}

export function haproxyConfigFile(dir: string, name: string): string {
  return join(dir, 'haproxy', `${name}.cfg`);
}

export function prometheusConfigFile(dir: string): string {
  return join(dir, 'prometheus', 'prometheus.yml');
}

export function prometheusRulesDir(dir: string): string {
  return join(dir, 'prometheus', 'rules');
}

export async function planLab(opts: LabOptions): Promise<LabDescription> {
  const dir = opts.dir;
  const regions = opts.regions === 2 ? ['r1', 'r2'] : ['r1'];
  const components: LabComponent[] = [];
  const add = async (
    name: string,
    kind: ComponentKind,
    region: string,
    az: string | null,
    role: ComponentRole,
    extra: Partial<LabComponent> = {},
  ) => {
    const port = await freePort();
    const http = kind !== 'postgres';
    const c: LabComponent = {
      name,
      kind,
      region,
      az,
      role,
      pid: null,
      startTicks: null,
      port,
      extraPorts: {},
      dataDir: null,
      logFile: logFileOf(dir, name),
      url: http ? `http://127.0.0.1:${port}` : null,
      ...extra,
    };
    components.push(c);
    return c;
  };

  await add('db-r1-a', 'postgres', 'r1', 'a', 'primary', { dataDir: join(dir, 'pg', 'db-r1-a') });
  await add('db-r1-b', 'postgres', 'r1', 'b', 'standby', { dataDir: join(dir, 'pg', 'db-r1-b') });
  if (regions.includes('r2')) await add('db-r2-a', 'postgres', 'r2', 'a', 'replica', { dataDir: join(dir, 'pg', 'db-r2-a') });
  for (const [region, azs] of [['r1', ['a', 'b']], ['r2', ['a']]] as const) {
    if (!regions.includes(region)) continue;
    for (const az of azs) await add(`inventory-${region}-${az}`, 'inventory', region, az, 'service');
    await add(`alb-${region}`, 'haproxy', region, null, 'load-balancer', { extraPorts: { stats: await freePort() } });
  }
  if (regions.includes('r2')) await add('global-front', 'haproxy', 'global', null, 'global-front', { extraPorts: { stats: await freePort() } });
  await add('prometheus', 'prometheus', 'r1', null, 'monitoring', { dataDir: join(dir, 'prometheus', 'data') });

  const url = (name: string) => components.find((c) => c.name === name)!.url!;
  const lab: LabDescription = {
    version: 1,
    dir,
    state: 'starting',
    createdAt: new Date().toISOString(),
    ownerPid: process.pid,
    regions,
    database: {
      name: 'inventory',
      user: 'inventory',
      superuser: 'postgres',
      replicationUser: 'replicator',
      osUser: opts.osUser,
      socketDir: socketPath(dir, 'pg/.s.PGSQL.65535') ? join(dir, 'run', 'pg') : null,
      synchronous: opts.synchronous !== false,
    },
    objectStore: {
      dir: join(dir, 'objectstore'),
      walDir: join(dir, 'objectstore', 'wal'),
      baseBackupsDir: join(dir, 'objectstore', 'base'),
    },
    endpoints: {
      alb: Object.fromEntries(regions.map((r) => [r, url(`alb-${r}`)])),
      global: regions.includes('r2') ? url('global-front') : null,
      prometheus: url('prometheus'),
    },
    components,
  };
  return lab;
}

/** Label for messages: the lab directory's last path element. */
export function labName(lab: LabDescription): string {
  return basename(lab.dir);
}
