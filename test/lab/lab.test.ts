// Brings one real lab up (PostgreSQL primary + synchronous standby, two inventory instances, HAProxy,
// Prometheus) and checks it does what game days rely on, then breaks it and tears it down.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import postgres from 'postgres';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  component,
  databaseRoles,
  isAlive,
  isListening,
  killAz,
  labDown,
  labStatus,
  labUp,
  promoteDatabase,
  readLab,
  pauseAz,
  restorePointInTime,
  resumeAz,
  setServerEnabled,
  withAdmin,
  type LabDescription,
  type UpResult,
} from '../../src/lab/index.ts';
import { EXAMPLE_SPEC } from '../../src/slo/example.ts';

const parent = mkdtempSync(join(tmpdir(), 'solida-lab-test-'));
chmodSync(parent, 0o755); // PostgreSQL runs as an unprivileged user and must reach the lab dir
const dir = join(parent, 'lab');
let up: UpResult;
let lab: LabDescription;
let downDone = false;

async function post(url: string, body: unknown) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function seqsOn(dbName: string, run: string): Promise<number[]> {
  const port = component(lab, dbName).port;
  const rows = await withAdmin(port, (sql) => sql`select seq from writes where run = ${run} order by seq`, { database: 'inventory' });
  return rows.map((r) => Number(r.seq));
}

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  up = await labUp({ dir, sloConfig: EXAMPLE_SPEC });
  lab = up.lab;
}, 60_000);

afterAll(async () => {
  if (!downDone) await labDown(dir).catch(() => {});
  rmSync(parent, { recursive: true, force: true });
});

describe('solida lab', () => {
  it('describes every component in lab.json with a live pid and a distinct port', () => {
    const described = readLab(dir);
    expect(described.state).toBe('up');
    expect(described.components.map((c) => c.name).sort()).toEqual(
      ['alb-r1', 'db-r1-a', 'db-r1-b', 'inventory-r1-a', 'inventory-r1-b', 'prometheus'].sort(),
    );
    for (const c of described.components) expect(isAlive(c.pid, c.startTicks), c.name).toBe(true);
    const ports = described.components.map((c) => c.port);
    expect(new Set(ports).size).toBe(ports.length);
    expect(component(described, 'db-r1-a')).toMatchObject({ region: 'r1', az: 'a', role: 'primary' });
    expect(component(described, 'db-r1-b')).toMatchObject({ region: 'r1', az: 'b', role: 'standby' });
  });

  it('is not open to other local users: password logins, private socket directory, secret in a 0600 file, no lifecycle API', async () => {
    const secretFile = join(dir, 'secrets', 'postgres-password');
    const secret = readFileSync(secretFile, 'utf8').trim();
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700);
    expect(statSync(lab.database.socketDir!).mode & 0o777).toBe(0o700);
    const db = component(lab, 'db-r1-a');
    for (const pass of ['wrong', secret.slice(1)]) {
      const sql = postgres({ host: '127.0.0.1', port: db.port, user: 'postgres', pass, max: 1, connect_timeout: 3, onnotice: () => {} });
      await expect(sql`select 1`, pass).rejects.toMatchObject({ code: '28P01' });
      await sql.end({ timeout: 0 });
    }
    // The services get the password's file, never the password, on their command line or environment.
    const inventory = component(lab, 'inventory-r1-a');
    for (const f of ['cmdline', 'environ']) expect(readFileSync(`/proc/${inventory.pid}/${f}`, 'utf8')).not.toContain(secret);
    const prometheus = component(lab, 'prometheus');
    const quit = await fetch(`${prometheus.url}/-/quit`, { method: 'POST' });
    expect(quit.status).not.toBe(200);
    expect(isAlive(prometheus.pid, prometheus.startTicks)).toBe(true);
  });

  it('reports every component healthy, one primary, and a synchronous standby', async () => {
    const status = await labStatus(dir);
    for (const c of status.components) expect(`${c.name}: ${c.health}`).toBe(`${c.name}: healthy`);
    expect(status.primaries).toEqual(['db-r1-a']);
    const primary = status.databases.find((d) => d.name === 'db-r1-a')!;
    expect(primary.replicas).toEqual([expect.objectContaining({ applicationName: 'db_r1_b', state: 'streaming', syncState: 'sync' })]);
  });

  it('routes requests through HAProxy to both AZs', async () => {
    const servedBy = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const res = await fetch(`${lab.endpoints.alb.r1}/items`);
      expect(res.status).toBe(200);
      servedBy.add(res.headers.get('x-served-by') ?? '');
    }
    expect([...servedBy].sort()).toEqual(['inventory-r1-a', 'inventory-r1-b']);
  });

  it('creates and updates items', async () => {
    const created = await post(`${lab.endpoints.alb.r1}/items`, { name: 'bolt', quantity: 3 });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    const res = await fetch(`${lab.endpoints.alb.r1}/items/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ quantity: 7 }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, name: 'bolt', quantity: 7 });
    expect((await post(`${lab.endpoints.alb.r1}/items`, { quantity: 1 })).status).toBe(400);
    expect((await fetch(`${lab.endpoints.alb.r1}/items/999999`)).status).toBe(404);
  });

  it('makes a sequence-marked write idempotent and visible on the standby', async () => {
    const first = await post(`${lab.endpoints.alb.r1}/writes`, { seq: 41, run: 'visible' });
    const again = await post(`${lab.endpoints.alb.r1}/writes`, { seq: 41, run: 'visible' });
    expect(first).toMatchObject({ status: 201, body: { seq: 41, run: 'visible', created: true } });
    expect(again).toMatchObject({ status: 200, body: { seq: 41, created: false } });
    expect(await eventually(() => seqsOn('db-r1-b', 'visible'), (s) => s.length > 0)).toEqual([41]);
  });

  it('has Prometheus scraping every component with region and AZ labels, and the SLO rules loaded', async () => {
    const targets = (await (await fetch(`${lab.endpoints.prometheus}/api/v1/targets?state=active`)).json()) as {
      data: { activeTargets: { health: string; labels: Record<string, string> }[] };
    };
    const active = targets.data.activeTargets;
    expect(active.every((t) => t.health === 'up')).toBe(true);
    const inventory = active.filter((t) => t.labels.job === 'inventory').map((t) => `${t.labels.region}/${t.labels.az}`);
    expect(inventory.sort()).toEqual(['r1/a', 'r1/b']);
    expect(active.filter((t) => t.labels.job === 'haproxy')).toHaveLength(1);
    expect(up.ruleFiles.length).toBeGreaterThan(0);
    const rules = (await (await fetch(`${lab.endpoints.prometheus}/api/v1/rules`)).json()) as {
      data: { groups: { rules: { name: string }[] }[] };
    };
    const names = rules.data.groups.flatMap((g) => g.rules.map((r) => r.name));
    expect(names.some((n) => /inventory|slo/i.test(n))).toBe(true);
  });

  it('drains a server from HAProxy and freezes an AZ (SIGSTOP) as status reports', async () => {
    await setServerEnabled(dir, 'alb-r1', 'inventory-r1-a', false);
    const drained = new Set<string | null>();
    for (let i = 0; i < 4; i++) drained.add((await fetch(`${lab.endpoints.alb.r1}/items`)).headers.get('x-served-by'));
    expect([...drained]).toEqual(['inventory-r1-b']);
    await setServerEnabled(dir, 'alb-r1', 'inventory-r1-a', true);

    expect((await pauseAz(dir, { az: 'b' })).sort()).toEqual(['db-r1-b', 'inventory-r1-b']);
    try {
      const paused = await labStatus(dir);
      const health = Object.fromEntries(paused.components.map((c) => [c.name, c.health]));
      expect(health).toMatchObject({ 'db-r1-b': 'paused', 'inventory-r1-b': 'paused', 'db-r1-a': 'healthy' });
    } finally {
      await resumeAz(dir, { az: 'b' });
    }
    const resumed = await eventually(() => labStatus(dir), (s) => s.components.every((c) => c.health === 'healthy'));
    expect(resumed.components.filter((c) => c.health !== 'healthy').map((c) => c.name)).toEqual([]);
  });

  it('restores a point in time from the base backup and the WAL archive', async () => {
    await post(`${lab.endpoints.alb.r1}/writes`, { seq: 1, run: 'pitr' });
    await new Promise((r) => setTimeout(r, 300));
    const target = new Date();
    await new Promise((r) => setTimeout(r, 300));
    await post(`${lab.endpoints.alb.r1}/writes`, { seq: 2, run: 'pitr' });
    const restored = await restorePointInTime(dir, { targetTime: target, name: 'db-restored' });
    lab = readLab(dir);
    expect(restored.component.role).toBe('restored');
    expect(await seqsOn('db-restored', 'pitr')).toEqual([1]);
    expect(await seqsOn('db-r1-a', 'pitr')).toEqual([1, 2]);
  });

  it('survives the loss of AZ a: standby promoted, no acknowledged write lost, service follows', async () => {
    const acknowledged: number[] = [];
    for (let seq = 1; seq <= 20; seq++) {
      const res = await post(`${lab.endpoints.alb.r1}/writes`, { seq, run: 'az' });
      if (res.status < 300) acknowledged.push(seq);
    }
    expect(acknowledged).toHaveLength(20);
    expect((await killAz(dir, { az: 'a' })).sort()).toEqual(['db-r1-a', 'inventory-r1-a']);
    await promoteDatabase(dir, 'db-r1-b');
    const roles = await databaseRoles(dir);
    expect(roles).toMatchObject({ 'db-r1-a': 'unreachable', 'db-r1-b': 'primary' });
    const after = await eventually(
      () => post(`${lab.endpoints.alb.r1}/writes`, { seq: 21, run: 'az' }),
      (r) => r.status < 300,
      10_000,
    );
    expect(after.body).toMatchObject({ seq: 21, servedBy: 'inventory-r1-b' });
    expect(await seqsOn('db-r1-b', 'az')).toEqual([...acknowledged, 21]);
    expect(readLab(dir).components.find((c) => c.name === 'db-r1-b')?.role).toBe('primary');
  });

  it('down stops every process and frees every port', async () => {
    const described = readLab(dir);
    const result = await labDown(dir);
    downDone = true;
    expect(result.unrecorded).toEqual([]);
    for (const c of described.components) {
      expect(isAlive(c.pid, c.startTicks), `${c.name} pid ${c.pid}`).toBe(false);
      for (const port of [c.port, ...Object.values(c.extraPorts)]) expect(await isListening(port), `${c.name} port ${port}`).toBe(false);
    }
  });
});
