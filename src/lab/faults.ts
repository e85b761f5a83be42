// Fault primitives for game days on the lab: lose an AZ (kill) or freeze it (SIGSTOP), cut a server out of
// a load balancer, promote a standby, and read roles and replication lag to check recovery.
import { SolidaError } from '../util/errors.ts';
import { component, componentsIn, readLab, writeLab, type LabComponent, type LabDescription } from './description.ts';
import { runtimeCommand } from './haproxy.ts';
import { socketPath } from './plan.ts';
import { liveRole, promote, replicasOf, standbyState, type LiveRole, type ReplicaState } from './postgres.ts';
import { isAlive, isStopped, signalProcess, stopProcessGroup } from './processes.ts';
import { freezeTree, killTree, signalTree } from './process-tree.ts';

type LabRef = string | undefined | LabDescription;

const load = (ref: LabRef): LabDescription => (typeof ref === 'object' ? ref : readLab(ref));

export interface AzFault {
  region?: string;
  az: string;
}

function azComponents(lab: LabDescription, where: AzFault): LabComponent[] {
  const found = componentsIn(lab, { region: where.region ?? 'r1', az: where.az }).filter((c) => c.role !== 'restored');
  if (found.length === 0) throw new SolidaError(`no components in ${where.region ?? 'r1'}/${where.az}`, 2);
  return found;
}

/** Kill every process of an AZ (SIGKILL: no clean shutdown, like a power loss); returns their names. */
export async function killAz(ref: LabRef, where: AzFault): Promise<string[]> {
  const lab = load(ref);
  const victims = azComponents(lab, where).filter((c) => isAlive(c.pid, c.startTicks));
  await Promise.all(victims.map((c) => stopProcessGroup(c.pid, c.startTicks, 'SIGKILL', 2000)));
  return victims.map((c) => c.name);
}

async function untilState(victims: LabComponent[], stopped: boolean): Promise<void> {
  // A signal is delivered asynchronously: wait until /proc shows every leader in the wanted state.
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline && !victims.every((c) => !isAlive(c.pid, c.startTicks) || isStopped(c.pid!) === stopped)) {
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Freeze an AZ: processes stop answering but keep their sockets open (a hung host, not a dead one). */
export async function pauseAz(ref: LabRef, where: AzFault): Promise<string[]> {
  const lab = load(ref);
  const victims = azComponents(lab, where).filter((c) => signalProcess(c.pid, c.startTicks, 'SIGSTOP'));
  await untilState(victims, true);
  return victims.map((c) => c.name);
}

export async function resumeAz(ref: LabRef, where: AzFault): Promise<string[]> {
  const lab = load(ref);
  const victims = azComponents(lab, where).filter((c) => signalProcess(c.pid, c.startTicks, 'SIGCONT'));
  await untilState(victims, false);
  return victims.map((c) => c.name);
}

/** Send a signal to one component's process group (SIGKILL, SIGTERM, SIGSTOP, SIGCONT...). */
export function signalComponent(ref: LabRef, name: string, signal: NodeJS.Signals): boolean {
  const c = component(load(ref), name);
  return signalProcess(c.pid, c.startTicks, signal);
}

/** Promote a standby or replica (pg_promote, waits until it accepts writes); records the new role. */
export async function promoteDatabase(ref: LabRef, name: string): Promise<void> {
  const lab = load(ref);
  const db = component(lab, name);
  if (db.kind !== 'postgres') throw new SolidaError(`${name} is not a database`, 2);
  const role = await liveRole(db.port);
  if (role === 'primary') return;
  if (role === 'unreachable') throw new SolidaError(`${name} is not reachable; cannot promote it`, 1);
  await promote(db.port);
  // The description is re-read so a concurrent writer's changes are not lost.
  const fresh = readLab(lab.dir);
  component(fresh, name).role = 'primary';
  writeLab(fresh);
  component(lab, name).role = 'primary';
}

/** Live role of every database (unreachable covers dead and frozen). */
/** Live role of each database (those `include` keeps: probing a frozen one waits for its timeout). */
export async function databaseRoles(ref: LabRef, include: (c: LabComponent) => boolean = () => true): Promise<Record<string, LiveRole>> {
  const lab = load(ref);
  const dbs = lab.components.filter((c) => c.kind === 'postgres' && include(c));
  const roles = await Promise.all(dbs.map((c) => (isAlive(c.pid, c.startTicks) ? liveRole(c.port) : Promise.resolve('unreachable' as const))));
  return Object.fromEntries(dbs.map((c, i) => [c.name, roles[i]]));
}

export interface ReplicationLag {
  primary: string | null;
  replicas: (ReplicaState & { name: string | null })[];
  /** Per standby, seconds since it replayed the last transaction (large while the primary is idle). */
  standbys: { name: string; receiving: boolean; lastReplaySecondsAgo: number | null }[];
}

export async function replicationLag(ref: LabRef): Promise<ReplicationLag> {
  const lab = load(ref);
  const roles = await databaseRoles(lab);
  const primary = Object.entries(roles).find(([, r]) => r === 'primary')?.[0] ?? null;
  const byAppName = (app: string) => lab.components.find((c) => c.kind === 'postgres' && c.name.replace(/[^a-z0-9_]/g, '_') === app)?.name ?? null;
  const replicas = primary ? (await replicasOf(component(lab, primary).port)).map((r) => ({ ...r, name: byAppName(r.applicationName) })) : [];
  const standbys = await Promise.all(
    Object.entries(roles)
      .filter(([, r]) => r === 'standby')
      .map(async ([name]) => {
        const s = await standbyState(component(lab, name).port);
        return { name, receiving: s.receiving, lastReplaySecondsAgo: s.lastReplaySecondsAgo };
      }),
  );
  return { primary, replicas, standbys };
}

/**
 * Take a server out of a load balancer (maint: no traffic, no checks) or put it back, through HAProxy's
 * runtime API. Server names: inventory-r1-a... in alb-r1, r1/r2 in global-front.
 */
export async function setServerEnabled(ref: LabRef, balancer: string, server: string, enabled: boolean): Promise<void> {
  const lab = load(ref);
  const lb = component(lab, balancer);
  if (lb.kind !== 'haproxy') throw new SolidaError(`${balancer} is not a load balancer`, 2);
  const socket = socketPath(lab.dir, `${lb.name}.sock`);
  if (!socket) throw new SolidaError(`the lab directory path is too long for ${balancer}'s admin socket`, 2);
  const backend = lb.role === 'global-front' ? 'regions' : `inventory-${lb.region}`;
  const answer = await runtimeCommand(socket, `${enabled ? 'enable' : 'disable'} server ${backend}/${server}`);
  if (answer) throw new SolidaError(`haproxy refused: ${answer}`, 1);
}

/**
 * Freeze every process of a component, descendants included (see process-tree.ts): for PostgreSQL the
 * archiver, walsender and backends stop with the postmaster, so nothing more leaves a lost region.
 */
export async function freezeComponent(ref: LabRef, name: string): Promise<number[]> {
  const c = component(load(ref), name);
  return freezeTree(c.pid, c.startTicks);
}

/** Resume a frozen component and all its descendants. */
export function thawComponent(ref: LabRef, name: string): number[] {
  const c = component(load(ref), name);
  return signalTree(c.pid, c.startTicks, 'SIGCONT');
}

/** Kill a component and all its descendants (fencing a frozen database: no process of it may run again). */
export async function killComponentTree(ref: LabRef, name: string): Promise<boolean> {
  const c = component(load(ref), name);
  return killTree(c.pid, c.startTicks);
}
