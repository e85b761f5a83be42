import {
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  RDSClient,
  RestoreDBClusterToPointInTimeCommand,
  RestoreDBInstanceToPointInTimeCommand,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { generatePitrPlan, type PitrRequests } from '../../src/chaos/pitr.ts';
import { describeRdsRestore, runRdsRestore } from '../../src/chaos/rds-restore.ts';
import { SolidaError } from '../../src/util/errors.ts';
import { ACCOUNT, sampleModel } from './fixtures.ts';

// Loosely typed stub, as in fis-run.test.ts: the SDK and the mock library pin different @smithy/types.
interface Behavior {
  resolves(v: unknown): Behavior;
  resolvesOnce(v: unknown): Behavior;
  rejects(e: unknown): Behavior;
  rejectsOnce(e: unknown): Behavior;
  callsFake(fn: (input: Record<string, unknown>) => unknown): Behavior;
}
interface LooseStub {
  on(command: unknown): Behavior;
  commandCalls(command: unknown): Array<{ args: [{ input: Record<string, unknown> }] }>;
  calls(): Array<{ args: [{ constructor: { name: string }; input: Record<string, unknown> }] }>;
  reset(): void;
}
const rds = mockClient(RDSClient as never) as unknown as LooseStub;
const client = new RDSClient({ region: 'us-east-1' });

const T = new Date('2026-01-30T10:00:00Z');
const instancePlan = generatePitrPlan(sampleModel(), { accountId: ACCOUNT, service: 'billing', corruptedAt: T });
const clusterPlan = generatePitrPlan(sampleModel(), { accountId: ACCOUNT, service: 'inventory', corruptedAt: T, instanceClass: 'db.r6g.large' });
// Identifiers from pitr.ts's naming rule: <source>-pitr-<restore point, 5 s before T>, Aurora writer <target>-1.
const RESTORED_INSTANCE = 'billing-primary-pitr-20260130095955';
const RESTORED_CLUSTER = 'nube-solida-db-pitr-20260130095955';
const RESTORED_WRITER = 'nube-solida-db-pitr-20260130095955-1';

const inst = (status: string) => ({ DBInstances: [{ DBInstanceIdentifier: 'x', DBInstanceStatus: status }] });
const clus = (status: string) => ({ DBClusters: [{ DBClusterIdentifier: 'x', Status: status }] });

/** A clock that advances only when the code sleeps, so elapsed time is exactly the sum of the polls. */
function fakeTime(startMs = Date.parse('2026-01-30T11:00:00Z')) {
  let t = startMs;
  const slept: number[] = [];
  return {
    now: () => new Date(t),
    sleep: async (ms: number) => {
      slept.push(ms);
      t += ms;
    },
    slept,
  };
}

const sentNames = () => rds.calls().map((c) => c.args[0].constructor.name);

beforeEach(() => rds.reset());

describe('restoring an RDS instance to a point in time', () => {
  it('sends the restore, then polls creating → backing-up → available and times it', async () => {
    rds.on(RestoreDBInstanceToPointInTimeCommand).resolves({ DBInstance: { DBInstanceIdentifier: RESTORED_INSTANCE, DBInstanceStatus: 'creating' } });
    rds.on(DescribeDBInstancesCommand).resolvesOnce(inst('creating')).resolvesOnce(inst('creating')).resolvesOnce(inst('backing-up')).resolves(inst('available'));
    const clock = fakeTime();
    const seen: string[] = [];
    const result = await runRdsRestore({ client, requests: instancePlan.requests, ...clock, onEvent: (e) => seen.push(e.status) });

    expect(result.outcome).toBe('available');
    expect(seen).toEqual(['creating', 'backing-up', 'available']);
    // Three 30 s sleeps between four polls.
    expect(clock.slept).toEqual([30_000, 30_000, 30_000]);
    expect(result.seconds).toBe(90);
    expect(result.requestedAt.toISOString()).toBe('2026-01-30T11:00:00.000Z');
    expect(result.availableAt!.toISOString()).toBe('2026-01-30T11:01:30.000Z');
    expect(result.created).toEqual([{ resource: 'instance', identifier: RESTORED_INSTANCE, lastStatus: 'available' }]);

    const restore = rds.commandCalls(RestoreDBInstanceToPointInTimeCommand);
    expect(restore).toHaveLength(1);
    expect(restore[0].args[0].input).toMatchObject({
      SourceDBInstanceIdentifier: 'billing-primary',
      TargetDBInstanceIdentifier: RESTORED_INSTANCE,
      RestoreTime: new Date('2026-01-30T09:59:55Z'),
    });
    for (const c of rds.commandCalls(DescribeDBInstancesCommand)) expect(c.args[0].input).toEqual({ DBInstanceIdentifier: RESTORED_INSTANCE });
    expect(sentNames()).toEqual(['RestoreDBInstanceToPointInTimeCommand', ...Array(4).fill('DescribeDBInstancesCommand')]);
  });

  it('keeps polling while Describe does not see the new instance yet', async () => {
    rds.on(RestoreDBInstanceToPointInTimeCommand).resolves({});
    const notFound = Object.assign(new Error('DBInstance billing-primary-pitr-… not found.'), { name: 'DBInstanceNotFoundFault' });
    rds.on(DescribeDBInstancesCommand).rejectsOnce(notFound).resolves(inst('available'));
    const result = await runRdsRestore({ client, requests: instancePlan.requests, ...fakeTime() });
    expect(result.outcome).toBe('available');
    expect(result.seconds).toBe(30);
  });

  it('reports incompatible-restore as a failure and leaves the instance in place', async () => {
    rds.on(RestoreDBInstanceToPointInTimeCommand).resolves({});
    rds.on(DescribeDBInstancesCommand).resolvesOnce(inst('creating')).resolves(inst('incompatible-restore'));
    const result = await runRdsRestore({ client, requests: instancePlan.requests, ...fakeTime() });
    expect(result.outcome).toBe('failed');
    expect(result.reason).toMatch(/incompatible-restore/);
    expect(result.availableAt).toBeUndefined();
    expect(result.created).toEqual([{ resource: 'instance', identifier: RESTORED_INSTANCE, lastStatus: 'incompatible-restore' }]);
    expect(sentNames().filter((n) => /Delete/.test(n))).toEqual([]);
  });

  it('reports a refused restore call as a failure with the AWS error', async () => {
    rds.on(RestoreDBInstanceToPointInTimeCommand).rejects(Object.assign(new Error('Point-in-time restore is not enabled.'), { name: 'PointInTimeRestoreNotEnabledFault' }));
    const result = await runRdsRestore({ client, requests: instancePlan.requests, ...fakeTime() });
    expect(result.outcome).toBe('failed');
    expect(result.reason).toMatch(/PointInTimeRestoreNotEnabledFault/);
    expect(result.created).toEqual([]);
  });

  it('gives up at the timeout, reporting the last status', async () => {
    rds.on(RestoreDBInstanceToPointInTimeCommand).resolves({});
    rds.on(DescribeDBInstancesCommand).resolves(inst('creating'));
    const clock = fakeTime();
    const result = await runRdsRestore({ client, requests: instancePlan.requests, ...clock, timeoutMs: 5 * 60_000 });
    expect(result.outcome).toBe('timeout');
    expect(result.reason).toMatch(/after 300 s \(last status creating\)/);
    // 10 polls of 30 s fill the 5 min, the 11th sees the deadline.
    expect(clock.slept).toHaveLength(10);
    expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(11);
  });

  it('stops polling on abort and reports what exists, deleting nothing', async () => {
    const controller = new AbortController();
    rds.on(RestoreDBInstanceToPointInTimeCommand).resolves({});
    let polls = 0;
    rds.on(DescribeDBInstancesCommand).callsFake(() => {
      if (++polls === 2) controller.abort();
      return inst('creating');
    });
    const result = await runRdsRestore({ client, requests: instancePlan.requests, signal: controller.signal, ...fakeTime() });
    expect(result.outcome).toBe('aborted');
    expect(polls).toBe(2);
    expect(result.created).toEqual([{ resource: 'instance', identifier: RESTORED_INSTANCE, lastStatus: 'creating' }]);
    expect(sentNames()).toEqual(['RestoreDBInstanceToPointInTimeCommand', 'DescribeDBInstancesCommand', 'DescribeDBInstancesCommand']);
  });

  it('sends nothing when aborted before starting', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await runRdsRestore({ client, requests: instancePlan.requests, signal: controller.signal, ...fakeTime() });
    expect(result.outcome).toBe('aborted');
    expect(rds.calls()).toHaveLength(0);
  });

  it('the default sleep returns as soon as the signal aborts', async () => {
    const controller = new AbortController();
    rds.on(RestoreDBInstanceToPointInTimeCommand).resolves({});
    rds.on(DescribeDBInstancesCommand).resolves(inst('creating'));
    setTimeout(() => controller.abort(), 50);
    // With a real 30 s poll interval this would outlast vitest's 5 s test timeout unless the sleep is abortable.
    const result = await runRdsRestore({ client, requests: instancePlan.requests, signal: controller.signal });
    expect(result.outcome).toBe('aborted');
  });
});

describe('restoring an Aurora cluster to a point in time', () => {
  it('restores the cluster, waits for it, then creates its writer and waits for that', async () => {
    rds.on(RestoreDBClusterToPointInTimeCommand).resolves({ DBCluster: { DBClusterIdentifier: RESTORED_CLUSTER, Status: 'creating' } });
    rds.on(DescribeDBClustersCommand).resolvesOnce(clus('creating')).resolves(clus('available'));
    rds.on(CreateDBInstanceCommand).resolves({ DBInstance: { DBInstanceIdentifier: RESTORED_WRITER, DBInstanceStatus: 'creating' } });
    rds.on(DescribeDBInstancesCommand).resolvesOnce(inst('creating')).resolvesOnce(inst('creating')).resolves(inst('available'));
    const result = await runRdsRestore({ client, requests: clusterPlan.requests, ...fakeTime() });

    expect(result.outcome).toBe('available');
    expect(sentNames()).toEqual([
      'RestoreDBClusterToPointInTimeCommand',
      'DescribeDBClustersCommand',
      'DescribeDBClustersCommand',
      'CreateDBInstanceCommand',
      'DescribeDBInstancesCommand',
      'DescribeDBInstancesCommand',
      'DescribeDBInstancesCommand',
    ]);
    expect(rds.commandCalls(RestoreDBClusterToPointInTimeCommand)[0].args[0].input).toMatchObject({
      DBClusterIdentifier: RESTORED_CLUSTER, SourceDBClusterIdentifier: 'nube-solida-db', RestoreToTime: new Date('2026-01-30T09:59:55Z'),
    });
    expect(rds.commandCalls(DescribeDBClustersCommand)[0].args[0].input).toEqual({ DBClusterIdentifier: RESTORED_CLUSTER });
    expect(rds.commandCalls(CreateDBInstanceCommand)[0].args[0].input).toMatchObject({
      DBInstanceIdentifier: RESTORED_WRITER, DBClusterIdentifier: RESTORED_CLUSTER, Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large',
    });
    expect(rds.commandCalls(DescribeDBInstancesCommand)[0].args[0].input).toEqual({ DBInstanceIdentifier: RESTORED_WRITER });
    // One 30 s poll for the cluster, two for the writer: available 90 s after the restore was requested.
    expect(result.seconds).toBe(90);
    expect(result.phases.map((p) => [p.operation, p.seconds])).toEqual([['RestoreDBClusterToPointInTime', 30], ['CreateDBInstance', 60]]);
    expect(result.created.map((c) => c.identifier)).toEqual([RESTORED_CLUSTER, RESTORED_WRITER]);
  });

  it('does not create the writer when the cluster restore fails', async () => {
    rds.on(RestoreDBClusterToPointInTimeCommand).resolves({});
    rds.on(DescribeDBClustersCommand).resolvesOnce(clus('creating')).resolves(clus('failed'));
    const result = await runRdsRestore({ client, requests: clusterPlan.requests, ...fakeTime() });
    expect(result.outcome).toBe('failed');
    expect(result.reason).toBe(`cluster ${RESTORED_CLUSTER} is failed`);
    expect(rds.commandCalls(CreateDBInstanceCommand)).toHaveLength(0);
  });

  it('validates every request against the RDS model before sending any', async () => {
    const bad = structuredClone(clusterPlan.requests) as PitrRequests & { kind: 'cluster' };
    delete (bad.createInstance.input as { DBInstanceClass?: string }).DBInstanceClass;
    await expect(runRdsRestore({ client, requests: bad, ...fakeTime() })).rejects.toThrow(SolidaError);
    expect(rds.calls()).toHaveLength(0);
  });

  it('describes the calls of a dry run in order', () => {
    const lines = describeRdsRestore(clusterPlan.requests);
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['RestoreDBClusterToPointInTime', 'DescribeDBClusters', 'CreateDBInstance', 'DescribeDBInstances']);
    expect(lines[1]).toMatch(/every 30s until available, at most 60 min/);
  });
});
