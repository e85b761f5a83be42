// Two regions: r2's replica follows r1, the global front serves from r1 and fails over to r2 once r1 is
// lost and r2's replica is promoted (the region-failover runbook's core steps).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { componentsIn, killAz, labDown, labStatus, labUp, promoteDatabase, signalComponent, type LabDescription } from '../../src/lab/index.ts';

const parent = mkdtempSync(join(tmpdir(), 'solida-lab-regions-'));
chmodSync(parent, 0o755);
const dir = join(parent, 'lab');
let lab: LabDescription;

beforeAll(async () => {
  lab = (await labUp({ dir, regions: 2, async: true })).lab;
}, 60_000);

afterAll(async () => {
  await labDown(dir).catch(() => {});
  rmSync(parent, { recursive: true, force: true });
});

async function servedBy(url: string): Promise<string | null> {
  const res = await fetch(`${url}/items`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
  return res?.status === 200 ? res.headers.get('x-served-by') : null;
}

it('starts r2 as a passive region replicating from r1', async () => {
  const status = await labStatus(dir);
  expect(status.primaries).toEqual(['db-r1-a']);
  const r2 = status.components.filter((c) => c.region === 'r2').map((c) => [c.name, c.health]);
  expect(Object.fromEntries(r2)).toEqual({ 'db-r2-a': 'healthy', 'inventory-r2-a': 'passive', 'alb-r2': 'passive' });
  const primary = status.databases.find((d) => d.name === 'db-r1-a')!;
  expect(primary.replicas?.map((r) => `${r.applicationName}:${r.syncState}`).sort()).toEqual(['db_r1_b:async', 'db_r2_a:async']);
  expect(await servedBy(lab.endpoints.global!)).toMatch(/^inventory-r1-[ab]$/);
});

it('fails the global front over to r2 after r1 is lost and r2 promoted', async () => {
  await killAz(dir, { region: 'r1', az: 'a' });
  await killAz(dir, { region: 'r1', az: 'b' });
  expect(signalComponent(dir, 'alb-r1', 'SIGKILL')).toBe(true);
  await promoteDatabase(dir, 'db-r2-a');
  const deadline = Date.now() + 15_000;
  let served: string | null = null;
  while (Date.now() < deadline && served !== 'inventory-r2-a') {
    served = await servedBy(lab.endpoints.global!);
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(served).toBe('inventory-r2-a');
  expect(componentsIn(lab, { region: 'r2' }).length).toBe(3);
});
