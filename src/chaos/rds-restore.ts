// Runs the pitr restore in AWS: sends the generated RestoreDB…ToPointInTime request(s) and waits until the
// restored database is available, timing it for the game-day report (the restore is most of the RTO).
// For Aurora the restored cluster has no instance: CreateDBInstance may only be sent once the cluster is
// available (RDS API reference, RestoreDBClusterToPointInTime), so the cluster is waited for first.
// Nothing is ever deleted here: on abort, timeout or failure the restored resources are left for the
// operator to inspect, and the result names them.
import {
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  RestoreDBClusterToPointInTimeCommand,
  RestoreDBInstanceToPointInTimeCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { assertValidRequest } from '../aws-models/smithy.ts';
import type { PitrRequests } from './pitr.ts';

/**
 * Statuses from which a restore does not become available by itself (RDS User Guide, "Viewing instance
 * status" and "Viewing cluster status"); anything else not `available` is still in progress.
 */
export const RESTORE_FAILED_STATUSES = [
  'failed',
  'incompatible-restore',
  'incompatible-parameters',
  'incompatible-network',
  'incompatible-option-group',
  'incompatible-credentials',
  'inaccessible-encryption-credentials',
  'insufficient-capacity',
  'restore-error',
  'migration-failed',
  'deleting',
] as const;

export type ResourceKind = 'cluster' | 'instance';

export interface RestoreEvent {
  at: Date;
  resource: ResourceKind;
  identifier: string;
  status: string;
}

/** One create call and the wait for what it created. */
export interface RestorePhase {
  resource: ResourceKind;
  identifier: string;
  operation: 'RestoreDBInstanceToPointInTime' | 'RestoreDBClusterToPointInTime' | 'CreateDBInstance';
  requestedAt: Date;
  availableAt?: Date;
  seconds?: number;
  lastStatus?: string;
}

export type RestoreOutcome = 'available' | 'failed' | 'timeout' | 'aborted';

export interface RdsRestoreResult {
  outcome: RestoreOutcome;
  reason?: string;
  /** When the first create call was sent. */
  requestedAt: Date;
  /** When the database the service would cut over to (the instance; Aurora: the cluster's writer) became available. */
  availableAt?: Date;
  seconds?: number;
  phases: RestorePhase[];
  /** Resources this run created and left in place (never deleted automatically). */
  created: Array<{ resource: ResourceKind; identifier: string; lastStatus?: string }>;
  events: RestoreEvent[];
}

export interface RdsRestoreOptions {
  client: Pick<RDSClient, 'send'>;
  requests: PitrRequests;
  signal?: AbortSignal;
  /** Whole run, default 60 min. */
  timeoutMs?: number;
  /** Default 30 s. */
  pollIntervalMs?: number;
  /** Must resolve early when the signal aborts, so Ctrl-C does not wait out a 30 s poll. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => Date;
  onEvent?: (e: RestoreEvent) => void;
}

export const DEFAULT_RESTORE_TIMEOUT_MS = 60 * 60_000;
export const DEFAULT_RESTORE_POLL_MS = 30_000;

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Every request is checked against the RDS model before the first one is sent. */
export function validateRestoreRequests(requests: PitrRequests): void {
  assertValidRequest('rds', requests.restore.operation, requests.restore.input, `the ${requests.restore.operation} request`);
  if (requests.kind === 'cluster') assertValidRequest('rds', 'CreateDBInstance', requests.createInstance.input, 'the CreateDBInstance request');
}

const errorText = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
const isNotFound = (e: unknown) => e instanceof Error && /NotFound/.test(e.name);

type WaitEnd = { outcome: 'available' } | { outcome: Exclude<RestoreOutcome, 'available'>; reason: string };

export async function runRdsRestore(opts: RdsRestoreOptions): Promise<RdsRestoreResult> {
  validateRestoreRequests(opts.requests);
  const { client, requests, signal } = opts;
  const now = opts.now ?? (() => new Date());
  const sleep = opts.sleep ?? abortableSleep;
  const poll = opts.pollIntervalMs ?? DEFAULT_RESTORE_POLL_MS;
  const requestedAt = now();
  const deadline = requestedAt.getTime() + (opts.timeoutMs ?? DEFAULT_RESTORE_TIMEOUT_MS);
  const phases: RestorePhase[] = [];
  const events: RestoreEvent[] = [];

  const statusOf = async (resource: ResourceKind, identifier: string): Promise<string | undefined> => {
    try {
      if (resource === 'cluster') {
        const got = await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: identifier }));
        return got.DBClusters?.[0]?.Status;
      }
      const got = await client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }));
      return got.DBInstances?.[0]?.DBInstanceStatus;
    } catch (e) {
      // Describe is eventually consistent: right after the create call the new identifier may not be found yet.
      if (isNotFound(e)) return undefined;
      throw e;
    }
  };

  const waitAvailable = async (phase: RestorePhase): Promise<WaitEnd> => {
    for (;;) {
      if (signal?.aborted) return { outcome: 'aborted', reason: `aborted while ${phase.identifier} was ${phase.lastStatus ?? 'not yet visible'}` };
      const status = await statusOf(phase.resource, phase.identifier);
      if (status && status !== phase.lastStatus) {
        const e = { at: now(), resource: phase.resource, identifier: phase.identifier, status };
        events.push(e);
        opts.onEvent?.(e);
        phase.lastStatus = status;
      }
      if (status === 'available') {
        phase.availableAt = now();
        phase.seconds = (phase.availableAt.getTime() - phase.requestedAt.getTime()) / 1000;
        return { outcome: 'available' };
      }
      if (status && (RESTORE_FAILED_STATUSES as readonly string[]).includes(status)) {
        return { outcome: 'failed', reason: `${phase.resource} ${phase.identifier} is ${status}` };
      }
      if (now().getTime() >= deadline) {
        return { outcome: 'timeout', reason: `${phase.identifier} not available after ${Math.round((now().getTime() - requestedAt.getTime()) / 1000)} s (last status ${phase.lastStatus ?? 'not yet visible'})` };
      }
      await sleep(Math.min(poll, Math.max(0, deadline - now().getTime())), signal);
    }
  };

  const start = async (phase: Omit<RestorePhase, 'requestedAt'>, send: () => Promise<unknown>): Promise<WaitEnd> => {
    const p: RestorePhase = { ...phase, requestedAt: now() };
    try {
      await send();
    } catch (e) {
      return { outcome: 'failed', reason: `${phase.operation} was refused: ${errorText(e)}` };
    }
    phases.push(p);
    try {
      return await waitAvailable(p);
    } catch (e) {
      return { outcome: 'failed', reason: `watching ${phase.identifier} failed: ${errorText(e)}` };
    }
  };

  const finish = (end: WaitEnd): RdsRestoreResult => {
    const last = phases.at(-1);
    const available = end.outcome === 'available' && last?.availableAt ? last.availableAt : undefined;
    return {
      outcome: end.outcome,
      ...(end.outcome !== 'available' ? { reason: end.reason } : {}),
      requestedAt,
      ...(available ? { availableAt: available, seconds: (available.getTime() - requestedAt.getTime()) / 1000 } : {}),
      phases,
      created: phases.map((p) => ({ resource: p.resource, identifier: p.identifier, ...(p.lastStatus ? { lastStatus: p.lastStatus } : {}) })),
      events,
    };
  };

  if (signal?.aborted) return finish({ outcome: 'aborted', reason: 'aborted before the restore was requested' });
  if (requests.kind === 'instance') {
    const input = requests.restore.input;
    return finish(await start({ resource: 'instance', identifier: input.TargetDBInstanceIdentifier!, operation: requests.restore.operation }, () => client.send(new RestoreDBInstanceToPointInTimeCommand(input))));
  }
  const clusterInput = requests.restore.input;
  const cluster = await start({ resource: 'cluster', identifier: clusterInput.DBClusterIdentifier!, operation: requests.restore.operation }, () => client.send(new RestoreDBClusterToPointInTimeCommand(clusterInput)));
  if (cluster.outcome !== 'available') return finish(cluster);
  if (signal?.aborted) return finish({ outcome: 'aborted', reason: `aborted after cluster ${clusterInput.DBClusterIdentifier} became available, before its writer was created` });
  const instanceInput = requests.createInstance.input;
  return finish(await start({ resource: 'instance', identifier: instanceInput.DBInstanceIdentifier!, operation: 'CreateDBInstance' }, () => client.send(new CreateDBInstanceCommand(instanceInput))));
}

/** Lines describing what a real run sends (the dry run). */
export function describeRdsRestore(requests: PitrRequests, pollIntervalMs = DEFAULT_RESTORE_POLL_MS, timeoutMs = DEFAULT_RESTORE_TIMEOUT_MS): string[] {
  const every = `every ${pollIntervalMs / 1000}s until available, at most ${timeoutMs / 60_000} min`;
  const lines = [`${requests.restore.operation} ${JSON.stringify(requests.restore.input, null, 2)}`];
  if (requests.kind === 'instance') {
    lines.push(`DescribeDBInstances {"DBInstanceIdentifier":"${requests.restore.input.TargetDBInstanceIdentifier}"}   (${every})`);
  } else {
    lines.push(
      `DescribeDBClusters {"DBClusterIdentifier":"${requests.restore.input.DBClusterIdentifier}"}   (${every})`,
      `CreateDBInstance ${JSON.stringify(requests.createInstance.input, null, 2)}`,
      `DescribeDBInstances {"DBInstanceIdentifier":"${requests.createInstance.input.DBInstanceIdentifier}"}   (${every})`,
    );
  }
  return lines;
}
