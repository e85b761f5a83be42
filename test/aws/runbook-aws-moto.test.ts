// `solida runbook run az-failure --target aws` against a real moto_server: target health through ELBv2
// DescribeTargetHealth, database roles through RDS, alarms in ALARM through DescribeAlarms, the failover
// requests (RebootDBInstance ForceFailover, FailoverDBCluster) described in a dry run and sent only with
// --execute after confirmation. moto serves every call used here; no fake is involved.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTargetGroupCommand, ElasticLoadBalancingV2Client, RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateDBClusterCommand, CreateDBInstanceCommand, DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { AwsTarget } from '../../src/aws/runbook-target.ts';
import { credentialsEnv, DUMMY_CREDENTIALS, MOTO_REGION, startMoto, type Moto } from '../support/moto.ts';
import { runSolida } from '../support/solida-cli.ts';
import { setEnv } from '../support/env.ts';

let moto: Moto;
let dir: string;
let config: string;
let rds: RDSClient;
let restoreEnv: (() => void) | undefined;

const cfg = () => ({ region: MOTO_REGION, endpoint: moto.url, credentials: DUMMY_CREDENTIALS });

/** moto's EC2 over its query protocol: a VPC for the target group (no EC2 client in solida's dependencies). */
async function createVpc(): Promise<string> {
  const res = await fetch(`${moto.url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${MOTO_REGION}/ec2/aws4_request, SignedHeaders=host, Signature=0` },
    body: 'Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16',
  });
  const vpc = /<vpcId>([^<]+)/.exec(await res.text())?.[1];
  if (!vpc) throw new Error('moto created no VPC');
  return vpc;
}

beforeAll(async () => {
  moto = await startMoto();
  // AwsTarget builds its clients from the standard chain: dummy credentials only.
  restoreEnv = setEnv(credentialsEnv());
  dir = await mkdtemp(join(tmpdir(), 'solida-moto-runbook-'));
  config = join(dir, 'solida.yaml');
  await writeFile(config, `services:
  - name: inventory
    aws:
      region: ${MOTO_REGION}
      alb: { loadBalancer: app/inventory-alb/50dc6c495c0c9188, targetGroup: targetgroup/inventory-tg/943f017f100becff }
      rds: { instance: inventory-db, engine: postgres }
slos: []
`);
}, 120_000);
afterAll(async () => {
  restoreEnv?.();
  await moto?.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await moto.reset();
  rds = new RDSClient(cfg());
  const elbv2 = new ElasticLoadBalancingV2Client(cfg());
  const tg = await elbv2.send(new CreateTargetGroupCommand({ Name: 'inventory-tg', Protocol: 'HTTP', Port: 8080, VpcId: await createVpc(), TargetType: 'ip' }));
  await elbv2.send(new RegisterTargetsCommand({
    TargetGroupArn: tg.TargetGroups![0].TargetGroupArn,
    Targets: [{ Id: '10.0.1.10', AvailabilityZone: `${MOTO_REGION}a`, Port: 8080 }, { Id: '10.0.2.10', AvailabilityZone: `${MOTO_REGION}b`, Port: 8080 }],
  }));
  await rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: 'inventory-db', Engine: 'postgres', DBInstanceClass: 'db.t3.micro', AllocatedStorage: 20,
    MasterUsername: 'inventory', MasterUserPassword: 'not-a-secret-1', MultiAZ: true, AvailabilityZone: `${MOTO_REGION}a`,
  }));
  const cw = new CloudWatchClient(cfg());
  await cw.send(new PutMetricAlarmCommand({ AlarmName: 'solida-inventory-availability-page-1h-long', Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' }));
  await cw.send(new SetAlarmStateCommand({ AlarmName: 'solida-inventory-availability-page-1h-long', StateValue: 'ALARM', StateReason: 'test' }));
});

describe('runbook run az-failure --target aws on moto_server', () => {
  it('dry run: reads target health, database roles and alarms for real, and writes the journal', async () => {
    const journalFile = join(dir, 'journal.json');
    // AZ b is lost; moto's primary is in AZ a (a real incident where RDS already moved it would look the same).
    const run = await runSolida(['runbook', 'run', 'az-failure', '--target', 'aws', '--config', config, '--az', `${MOTO_REGION}b`, '--yes', '--journal', journalFile], moto.env);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('DRY RUN (add --execute');
    const journal = JSON.parse(await readFile(journalFile, 'utf8'));
    expect(journal).toMatchObject({ runbook: 'az-failure', dryRun: true, outcome: 'succeeded' });
    const step = (name: string) => journal.steps.find((s: { name: string }) => s.name === name);
    expect(step('steady-state').output.detail).toBe('2 of 2 target(s) healthy; in ALARM: solida-inventory-availability-page-1h-long');
    expect(step('primary-and-standby').output.detail).toBe(`primary is inventory-db (${MOTO_REGION}/${MOTO_REGION}a)`);
    expect(step('rows-before').output.detail).toMatch(/^not measured: /);
    expect(step('kill-az').output.observed).toContain('injects nothing');
    expect(step('rds-failover').output.note).toContain(`already in ${MOTO_REGION}a, outside the lost AZ ${MOTO_REGION}b`);
    expect(step('new-primary').outcome).toBe('ok');
  }, 180_000);

  it('--execute --yes --region: the same run, not a dry run, still sends no failover the primary does not need', async () => {
    const journalFile = join(dir, 'journal-b.json');
    const run = await runSolida(['runbook', 'run', 'az-failure', '--target', 'aws', '--config', config, '--az', `${MOTO_REGION}b`, '--yes', '--execute', '--region', MOTO_REGION, '--journal', journalFile], moto.env);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const journal = JSON.parse(await readFile(journalFile, 'utf8'));
    expect(journal.outcome).toBe('succeeded');
    expect(journal.dryRun).toBe(false);
    const failover = journal.steps.find((s: { name: string }) => s.name === 'rds-failover');
    expect(failover.output.note).toContain(`already in ${MOTO_REGION}a, outside the lost AZ ${MOTO_REGION}b`);
    expect(failover.output.request).toBeNull();
  }, 180_000);

  it('--execute confirms, then sends RebootDBInstance ForceFailover; a declined confirmation sends nothing', async () => {
    const asked: string[] = [];
    const target = (answer: boolean) =>
      new AwsTarget({ region: MOTO_REGION, endpointUrl: moto.url, db: { instance: 'inventory-db' }, lostAz: `${MOTO_REGION}a`, execute: true, confirm: async (q) => (asked.push(q), answer) });
    const declined = target(false);
    await expect(declined.promoteStandby(MOTO_REGION)).rejects.toThrow('RebootDBInstance declined: nothing was sent');
    expect(declined.mutations).toEqual([{ operation: 'RebootDBInstance', input: { DBInstanceIdentifier: 'inventory-db', ForceFailover: true }, sent: false, reason: 'declined by the operator' }]);
    const accepted = target(true);
    const r = await accepted.promoteStandby(MOTO_REGION);
    expect(r.request).toMatchObject({ operation: 'RebootDBInstance', sent: true });
    expect(asked).toHaveLength(2);
    expect(asked[1]).toContain('"ForceFailover":true');
    // Without --execute the same call only describes the request.
    const dry = new AwsTarget({ region: MOTO_REGION, endpointUrl: moto.url, db: { instance: 'inventory-db' }, lostAz: `${MOTO_REGION}a`, execute: false, confirm: async () => { throw new Error('a dry run asks nothing'); } });
    expect((await dry.promoteStandby(MOTO_REGION)).request).toMatchObject({ sent: false });
  });

  it('fails an Aurora cluster over with FailoverDBCluster', async () => {
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'inventory-aurora', Engine: 'aurora-postgresql', MasterUsername: 'inventory', MasterUserPassword: 'not-a-secret-1' }));
    for (const [id, az] of [['inventory-aurora-1', 'a'], ['inventory-aurora-2', 'b']]) {
      await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: id, DBClusterIdentifier: 'inventory-aurora', Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large', AvailabilityZone: `${MOTO_REGION}${az}` }));
    }
    const target = new AwsTarget({ region: MOTO_REGION, endpointUrl: moto.url, db: { cluster: 'inventory-aurora' }, lostAz: `${MOTO_REGION}a`, execute: true, confirm: async () => true });
    const before = await target.dbRoles();
    expect(before.find((n) => n.role === 'primary')).toMatchObject({ name: 'inventory-aurora-1', az: `${MOTO_REGION}a` });
    const r = await target.promoteStandby(MOTO_REGION);
    expect(r.request).toMatchObject({ operation: 'FailoverDBCluster', input: { DBClusterIdentifier: 'inventory-aurora' }, sent: true });
    const writer = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'inventory-aurora' }))).DBClusters![0].DBClusterMembers!.find((m) => m.IsClusterWriter);
    expect(writer?.DBInstanceIdentifier).toBe('inventory-aurora-2');
    expect((await target.dbRoles()).find((n) => n.role === 'primary')).toMatchObject({ name: 'inventory-aurora-2', az: `${MOTO_REGION}b` });
  });

  it('refuses --execute with no terminal and no --yes before reading anything', async () => {
    const run = await runSolida(['runbook', 'run', 'az-failure', '--target', 'aws', '--config', config, '--az', `${MOTO_REGION}a`, '--execute'], moto.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--execute needs a terminal');
  }, 120_000);
});
