// The on-call target: a runbook's checks and actions through AWS's APIs, for a real incident.
// Observation is read-only and always real: target health (ELBv2 DescribeTargetHealth of the service's
// target group), database roles (RDS DescribeDBInstances / DescribeDBClusters) and the alarms in ALARM
// under the prefix (CloudWatch DescribeAlarms). Actions that change something (RDS RebootDBInstance with
// ForceFailover for a Multi-AZ instance, FailoverDBCluster for Aurora) are only described in a dry run,
// the default; with execute they are sent after the operator confirms each one.
// Faults are not injected here: on-call, the AZ is really lost (a game day injects it with FIS:
// `solida gameday az-failure --target aws`). Every request is validated against the AWS API models.
import { CloudWatchClient, DescribeAlarmsCommand, type DescribeAlarmsCommandInput } from '@aws-sdk/client-cloudwatch';
import {
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  FailoverDBClusterCommand,
  RDSClient,
  RebootDBInstanceCommand,
} from '@aws-sdk/client-rds';
import { assertValidRequest, type AwsService } from '../aws-models/smithy.ts';
import { clientConfig } from './endpoint.ts';
import { pages } from './pages.ts';
import { SolidaError } from '../util/errors.ts';
import type { DbNode, HealthStatus, TargetAdapter } from '../runbooks/types.ts';

export interface AwsTargetOptions {
  region: string;
  endpointUrl?: string;
  /** The service's target group: an ARN, or the `targetgroup/name/id` suffix CloudWatch dimensions use. */
  targetGroup?: string;
  /** RDS Multi-AZ instance or Aurora cluster of the service. */
  db: { instance?: string; cluster?: string };
  /** The AZ reported lost: a failover is only sent when the primary is in it. */
  lostAz?: string;
  /** Alarm name prefix whose alarms in ALARM are reported with the health (e.g. solida-inventory). */
  alarmPrefix?: string;
  /** Send mutating requests (after confirmation). Without it, they are only described. */
  execute: boolean;
  /** Asked before each mutating request; true goes on. */
  confirm: (question: string) => Promise<boolean>;
  /** Clients (tests may pass their own). */
  clients?: { elbv2?: ElasticLoadBalancingV2Client; rds?: RDSClient; cloudwatch?: CloudWatchClient };
}

export interface MutationRecord {
  operation: string;
  input: Record<string, unknown>;
  sent: boolean;
  /** Why it was not sent (dry run, declined). */
  reason?: string;
}

async function call<T>(service: AwsService, operation: string, input: object, run: () => Promise<T>): Promise<T> {
  assertValidRequest(service, operation, input);
  try {
    return await run();
  } catch (err) {
    throw new SolidaError(`${operation} failed: ${(err as Error).message}`, 1, [{ message: `${service} ${operation} ${JSON.stringify(input)}`, fix: 'check the identifiers in the config, the region, and the credentials’ permissions' }]);
  }
}

export class AwsTarget implements TargetAdapter {
  readonly name: string;
  readonly dryRun: boolean;
  readonly rowCountUnavailable = 'the aws target has no database connection: compare row counts with your database client';
  /** Mutating requests, sent or only described, in order. */
  readonly mutations: MutationRecord[] = [];
  private readonly elbv2: ElasticLoadBalancingV2Client;
  private readonly rds: RDSClient;
  private readonly cloudwatch: CloudWatchClient;
  private targetGroupArn?: string;

  constructor(private readonly opts: AwsTargetOptions) {
    const cfg = clientConfig({ region: opts.region, endpointUrl: opts.endpointUrl });
    this.elbv2 = opts.clients?.elbv2 ?? new ElasticLoadBalancingV2Client(cfg);
    this.rds = opts.clients?.rds ?? new RDSClient(cfg);
    this.cloudwatch = opts.clients?.cloudwatch ?? new CloudWatchClient(cfg);
    this.dryRun = !opts.execute;
    this.name = `aws ${opts.region}${opts.execute ? '' : ' (dry run: reads are real, changes are only described)'}`;
  }

  private async mutate(operation: string, input: Record<string, unknown>, send: () => Promise<unknown>): Promise<MutationRecord> {
    const service: AwsService = 'rds';
    assertValidRequest(service, operation, input);
    if (!this.opts.execute) {
      const r = { operation, input, sent: false, reason: 'dry run: add --execute to send it' };
      this.mutations.push(r);
      return r;
    }
    if (!(await this.opts.confirm(`Send ${operation} ${JSON.stringify(input)} in ${this.opts.region}?`))) {
      this.mutations.push({ operation, input, sent: false, reason: 'declined by the operator' });
      throw new SolidaError(`${operation} declined: nothing was sent`, 1);
    }
    await call(service, operation, input, send);
    const r = { operation, input, sent: true };
    this.mutations.push(r);
    return r;
  }

  // ---------- faults: real on-call incidents are not injected ----------

  async killAz(region: string, az: string) {
    return { observed: `AZ ${az} in ${region} is reported lost; the aws target injects nothing (a game day injects it: solida gameday az-failure --target aws)` };
  }

  async reviveAz(region: string, az: string) {
    return { observed: `AZ ${az} in ${region} comes back on AWS's side; RDS rebuilds the standby there by itself` };
  }

  async isolateRegion(region: string): Promise<never> {
    throw new SolidaError(`the aws target does not isolate regions (${region})`, 2, [{ message: 'on-call runbooks on AWS act on real incidents', fix: 'inject it with solida gameday region-failover --target aws' }]);
  }

  async reconnectRegion(region: string): Promise<never> {
    return this.isolateRegion(region);
  }

  async corruptData(): Promise<never> {
    throw new SolidaError('the aws target does not corrupt data', 2, [{ message: 'on-call runbooks on AWS act on real incidents', fix: 'rehearse pitr with solida gameday pitr --target aws' }]);
  }

  // ---------- recovery ----------

  async promoteStandby(region: string) {
    // Failing over a primary that is already outside the lost AZ would move it INTO trouble (or restart it).
    const primary = (await this.dbRoles()).find((n) => n.role === 'primary');
    if (primary && this.opts.lostAz && primary.az && primary.az !== this.opts.lostAz) {
      return { primary: primary.name, region, request: null, note: `nothing sent: the primary ${primary.name} is already in ${primary.az}, outside the lost AZ ${this.opts.lostAz}` };
    }
    if (this.opts.db.cluster) {
      const input = { DBClusterIdentifier: this.opts.db.cluster };
      const r = await this.mutate('FailoverDBCluster', input, () => this.rds.send(new FailoverDBClusterCommand(input)));
      return { primary: this.opts.db.cluster, region, request: r };
    }
    const id = this.requireInstance();
    const [node] = await this.describeInstance(id);
    if (!node.MultiAZ) throw new SolidaError(`RDS instance ${id} is not Multi-AZ: there is no standby to fail over to`, 1, [{ message: 'RebootDBInstance ForceFailover needs a Multi-AZ instance', fix: 'restore from backup into the healthy AZ (pitr runbook), or enable Multi-AZ' }]);
    const input = { DBInstanceIdentifier: id, ForceFailover: true };
    const r = await this.mutate('RebootDBInstance', input, () => this.rds.send(new RebootDBInstanceCommand(input)));
    return { primary: id, region, request: r };
  }

  async switchGlobalFront(toRegion: string): Promise<never> {
    throw new SolidaError(`the aws target does not switch the global front (${toRegion})`, 2, [{ message: 'not an az-failure action', fix: 'switch DNS or Global Accelerator with your usual tooling' }]);
  }

  async restorePitr(): Promise<never> {
    throw new SolidaError('the aws target restores through the game day', 2, [{ message: 'point-in-time restore is a pitr action', fix: 'solida gameday pitr --target aws --corrupted-at … --execute' }]);
  }

  async cutOver(): Promise<never> {
    throw new SolidaError('the aws target does not cut services over', 2, [{ message: 'cut-over is a deploy of your service', fix: 'point the service at the restored endpoint with your deploy tooling' }]);
  }

  // ---------- observation ----------

  private requireInstance(): string {
    if (!this.opts.db.instance) throw new SolidaError('no database to act on', 2, [{ path: 'services[].aws.rds', message: 'the service declares no rds.instance or rds.cluster', fix: 'add aws.rds.instance (Multi-AZ) or aws.rds.cluster (Aurora) to the service' }]);
    return this.opts.db.instance;
  }

  private async describeInstance(id: string) {
    const input = { DBInstanceIdentifier: id };
    const out = await call('rds', 'DescribeDBInstances', input, () => this.rds.send(new DescribeDBInstancesCommand(input)));
    if (!out.DBInstances?.length) throw new SolidaError(`RDS instance ${id} not found`, 1);
    return out.DBInstances;
  }

  private async resolveTargetGroup(): Promise<string> {
    if (this.targetGroupArn) return this.targetGroupArn;
    const tg = this.opts.targetGroup;
    if (!tg) throw new SolidaError('no target group to check', 2, [{ path: 'services[].aws.alb.targetGroup', message: 'target health needs the service’s target group', fix: 'add aws.alb.targetGroup (targetgroup/name/id or its ARN)' }]);
    if (tg.startsWith('arn:')) return (this.targetGroupArn = tg);
    const name = tg.split('/')[1] ?? tg;
    const input = { Names: [name] };
    const out = await call('elbv2', 'DescribeTargetGroups', input, () => this.elbv2.send(new DescribeTargetGroupsCommand(input)));
    const arn = out.TargetGroups?.[0]?.TargetGroupArn;
    if (!arn) throw new SolidaError(`target group ${name} not found`, 1);
    return (this.targetGroupArn = arn);
  }

  private async alarmsFiring(): Promise<string[]> {
    if (!this.opts.alarmPrefix) return [];
    const firing: string[] = [];
    const alarmPages = pages((NextToken) => {
      const input: DescribeAlarmsCommandInput = { AlarmNamePrefix: this.opts.alarmPrefix, StateValue: 'ALARM', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100, NextToken };
      return call('cloudwatch', 'DescribeAlarms', input, () => this.cloudwatch.send(new DescribeAlarmsCommand(input)));
    });
    for await (const out of alarmPages) for (const a of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]) if (a.AlarmName && a.StateValue === 'ALARM') firing.push(a.AlarmName);
    return firing.sort();
  }

  /** Healthy when the target group has a healthy target; alarms in ALARM are reported alongside. */
  async health(): Promise<HealthStatus & { targets: Record<string, number>; alarmsInAlarm: string[] }> {
    const TargetGroupArn = await this.resolveTargetGroup();
    const input = { TargetGroupArn };
    const out = await call('elbv2', 'DescribeTargetHealth', input, () => this.elbv2.send(new DescribeTargetHealthCommand(input)));
    const all = out.TargetHealthDescriptions ?? [];
    // AvailabilityZone comes back only when the target was registered with one: group by AZ when known.
    const targets: Record<string, number> = {};
    for (const d of all) {
      const key = `${d.Target?.AvailabilityZone ? `${d.Target.AvailabilityZone}:` : ''}${d.TargetHealth?.State ?? 'unknown'}`;
      targets[key] = (targets[key] ?? 0) + 1;
    }
    const healthyCount = all.filter((d) => d.TargetHealth?.State === 'healthy').length;
    const alarmsInAlarm = await this.alarmsFiring();
    const breakdown = all.length && Object.keys(targets).some((k) => k.includes(':')) ? ` (${Object.entries(targets).map(([k, n]) => `${n} ${k}`).join(', ')})` : '';
    const alarms = alarmsInAlarm.length ? `; in ALARM: ${alarmsInAlarm.join(', ')}` : '; no alarm in ALARM';
    const detail = `${healthyCount} of ${all.length} target(s) healthy${breakdown}${alarms}`;
    return { healthy: healthyCount > 0, detail, targets, alarmsInAlarm };
  }

  async dbRoles(): Promise<DbNode[]> {
    if (this.opts.db.cluster) {
      const input = { DBClusterIdentifier: this.opts.db.cluster };
      const out = await call('rds', 'DescribeDBClusters', input, () => this.rds.send(new DescribeDBClustersCommand(input)));
      const members = out.DBClusters?.[0]?.DBClusterMembers ?? [];
      const nodes: DbNode[] = [];
      for (const m of members) {
        const [inst] = await this.describeInstance(m.DBInstanceIdentifier!);
        nodes.push({ name: m.DBInstanceIdentifier!, region: this.opts.region, az: inst.AvailabilityZone ?? null, role: m.IsClusterWriter ? 'primary' : 'replica' });
      }
      return nodes;
    }
    const [inst] = await this.describeInstance(this.requireInstance());
    const id = inst.DBInstanceIdentifier!;
    const up = inst.DBInstanceStatus === 'available' || inst.DBInstanceStatus === 'rebooting' || inst.DBInstanceStatus === 'modifying';
    const nodes: DbNode[] = [{ name: id, region: this.opts.region, az: inst.AvailabilityZone ?? null, role: up ? 'primary' : 'down' }];
    if (inst.MultiAZ) nodes.push({ name: `${id} (standby)`, region: this.opts.region, az: inst.SecondaryAvailabilityZone ?? null, role: 'standby' });
    return nodes;
  }

  async replicationLag(): Promise<number | null> {
    return null;
  }

  async rowCount(): Promise<number> {
    throw new SolidaError(this.rowCountUnavailable, 2);
  }
}
