// Point-in-time restore inputs for the pitr scenario. No FIS action restores data: the runbook calls RDS
// directly (RestoreDBInstanceToPointInTime, or RestoreDBClusterToPointInTime + CreateDBInstance for Aurora,
// whose restored cluster has no instance yet) into a NEW identifier, validates it, then cuts over.
// The restore point is "just before" the corruption: corruptedAt minus a margin, which is also the RPO
// the restore costs by construction.
import type { CreateDBInstanceCommandInput, RestoreDBClusterToPointInTimeCommandInput, RestoreDBInstanceToPointInTimeCommandInput } from '@aws-sdk/client-rds';
import { assertValidRequest } from '../aws-models/smithy.ts';
import type { Service, SolidaModel } from '../slo/model.ts';
import { SolidaError, type Problem } from '../util/errors.ts';
import { arns, isRdsIdentifier, location, nameOf, type AwsLocation } from './arn.ts';
import { policyOf, type IamPolicyDocument, type IamStatement } from './iam.ts';

export interface PitrOptions {
  accountId: string;
  region?: string;
  partition?: string;
  /** The service whose database was corrupted (needed when services use different databases). */
  service?: string;
  /** When the bad write happened (T). */
  corruptedAt: Date;
  /** Seconds before T to restore to (default 5). */
  marginSeconds?: number;
  /** Identifier of the new instance/cluster (default <source>-pitr-<yyyymmddhhmmss of the restore point>). */
  targetIdentifier?: string;
  dbSubnetGroupName?: string;
  vpcSecurityGroupIds?: string[];
  /** Instance class of the restored instance (required for Aurora: the new cluster needs an instance). */
  instanceClass?: string;
  tags?: Record<string, string>;
}

export type PitrRequests =
  | { kind: 'instance'; restore: { operation: 'RestoreDBInstanceToPointInTime'; input: RestoreDBInstanceToPointInTimeCommandInput } }
  | {
      kind: 'cluster';
      restore: { operation: 'RestoreDBClusterToPointInTime'; input: RestoreDBClusterToPointInTimeCommandInput };
      createInstance: { operation: 'CreateDBInstance'; input: CreateDBInstanceCommandInput };
    };

export interface PitrPlan {
  service: string;
  location: AwsLocation;
  source: string;
  target: string;
  restoreTime: Date;
  /** corruptedAt − restoreTime: the writes the restore gives up, in seconds. */
  restoreGapSeconds: number;
  requests: PitrRequests;
  /** What the runbook operator's role needs to run the restore (and watch it), nothing more. */
  operatorPolicy: IamPolicyDocument;
}

function pickService(model: SolidaModel, opts: PitrOptions, problems: Problem[]): Service | undefined {
  const withDb = model.services.filter((s) => s.aws?.rds?.instance || s.aws?.rds?.cluster);
  if (opts.service) {
    const svc = withDb.find((s) => s.name === opts.service);
    if (!svc) problems.push({ file: model.source, path: 'services', message: `service '${opts.service}' declares no aws.rds instance or cluster` });
    return svc;
  }
  const dbs = new Set(withDb.map((s) => s.aws!.rds!.cluster ?? s.aws!.rds!.instance));
  if (dbs.size === 1) return withDb[0];
  problems.push({
    file: model.source,
    path: 'services[].aws.rds',
    message: dbs.size === 0 ? 'no service declares aws.rds (instance or cluster)' : `several databases (${[...dbs].join(', ')})`,
    fix: dbs.size === 0 ? 'declare aws: { rds: { instance: "name" } } on the service' : 'pass --service NAME',
  });
  return undefined;
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

export function generatePitrPlan(model: SolidaModel, opts: PitrOptions): PitrPlan {
  const problems: Problem[] = [];
  const svc = pickService(model, opts, problems);
  if (!(opts.corruptedAt instanceof Date) || Number.isNaN(opts.corruptedAt.getTime())) {
    problems.push({ path: 'corruptedAt', message: 'the corruption time is not a valid date', fix: 'pass --corrupted-at 2026-01-30T10:00:00Z' });
  }
  const margin = opts.marginSeconds ?? 5;
  if (!(margin >= 0)) problems.push({ path: 'marginSeconds', message: `${margin} is not a non-negative number of seconds` });
  if (!svc || problems.length) throw new SolidaError('cannot generate the point-in-time restore', 2, problems);

  const region = opts.region ?? svc.aws!.region;
  if (!region) throw new SolidaError('cannot generate the point-in-time restore', 2, [{ path: 'region', message: `service ${svc.name} declares no aws.region`, fix: 'pass --region' }]);
  const loc = location(opts.accountId, region, opts.partition);
  const rds = svc.aws!.rds!;
  // Whole seconds: RDS restore points are second-granular, and rounding up could include the bad write.
  const restoreTime = new Date(Math.floor((opts.corruptedAt.getTime() - margin * 1000) / 1000) * 1000);
  const source = nameOf(rds.cluster ?? rds.instance!);
  const target = opts.targetIdentifier ?? `${source}-pitr-${stamp(restoreTime)}`.slice(0, 63).replace(/-+$/, '');
  if (!isRdsIdentifier(target)) {
    throw new SolidaError('cannot generate the point-in-time restore', 2, [
      { path: 'targetIdentifier', message: `'${target}' is not a valid RDS identifier`, fix: '1–63 letters, digits or hyphens, starting with a letter, no double or trailing hyphen' },
    ]);
  }
  const tags = [
    { Key: 'solida:scenario', Value: 'pitr' },
    { Key: 'solida:restored-from', Value: source },
    ...Object.entries(opts.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
  ];
  const network = {
    ...(opts.dbSubnetGroupName ? { DBSubnetGroupName: opts.dbSubnetGroupName } : {}),
    ...(opts.vpcSecurityGroupIds?.length ? { VpcSecurityGroupIds: opts.vpcSecurityGroupIds } : {}),
  };

  let requests: PitrRequests;
  const grants: IamStatement[] = [];
  if (rds.cluster) {
    if (!rds.engine || !opts.instanceClass) {
      throw new SolidaError('cannot generate the point-in-time restore', 2, [
        ...(!rds.engine ? [{ file: model.source, path: `services.${svc.name}.aws.rds.engine`, message: 'the cluster engine is needed to add an instance to the restored cluster', fix: 'declare rds: { cluster, engine: "aurora-postgresql" }' }] : []),
        ...(!opts.instanceClass ? [{ path: 'instanceClass', message: 'a restored Aurora cluster has no instance until one is created', fix: 'pass --instance-class db.r6g.large' }] : []),
      ]);
    }
    const instanceId = `${target}-1`.slice(0, 63);
    requests = {
      kind: 'cluster',
      restore: {
        operation: 'RestoreDBClusterToPointInTime',
        input: { DBClusterIdentifier: target, SourceDBClusterIdentifier: source, RestoreType: 'full-copy', RestoreToTime: restoreTime, Tags: tags, ...network },
      },
      createInstance: {
        operation: 'CreateDBInstance',
        input: { DBInstanceIdentifier: instanceId, DBClusterIdentifier: target, Engine: rds.engine, DBInstanceClass: opts.instanceClass, Tags: tags },
      },
    };
    grants.push(
      {
        Sid: 'RestoreClusterToPointInTime',
        Effect: 'Allow',
        Action: ['rds:RestoreDBClusterToPointInTime'],
        Resource: [arns.rdsCluster(loc, source), arns.rdsCluster(loc, target), arns.anyRdsSubnetGroup(loc), arns.anyRdsClusterParameterGroup(loc), arns.anyRdsOptionGroup(loc)],
      },
      {
        Sid: 'CreateRestoredInstance',
        Effect: 'Allow',
        Action: ['rds:CreateDBInstance'],
        Resource: [arns.rdsDb(loc, instanceId), arns.rdsCluster(loc, target), arns.anyRdsSubnetGroup(loc), arns.anyRdsParameterGroup(loc), arns.anyRdsOptionGroup(loc)],
      },
      { Sid: 'TagRestored', Effect: 'Allow', Action: ['rds:AddTagsToResource'], Resource: [arns.rdsCluster(loc, target), arns.rdsDb(loc, instanceId)] },
      { Sid: 'WatchRestore', Effect: 'Allow', Action: ['rds:DescribeDBClusters', 'rds:DescribeDBInstances'], Resource: [arns.rdsCluster(loc, source), arns.rdsCluster(loc, target), arns.rdsDb(loc, instanceId)] },
    );
    assertValidRequest('rds', 'RestoreDBClusterToPointInTime', requests.restore.input, 'the RestoreDBClusterToPointInTime request');
    assertValidRequest('rds', 'CreateDBInstance', requests.createInstance.input, 'the CreateDBInstance request');
  } else {
    requests = {
      kind: 'instance',
      restore: {
        operation: 'RestoreDBInstanceToPointInTime',
        input: {
          SourceDBInstanceIdentifier: source,
          TargetDBInstanceIdentifier: target,
          RestoreTime: restoreTime,
          ...(opts.instanceClass ? { DBInstanceClass: opts.instanceClass } : {}),
          MultiAZ: true,
          CopyTagsToSnapshot: true,
          Tags: tags,
          ...network,
        },
      },
    };
    grants.push(
      {
        Sid: 'RestoreInstanceToPointInTime',
        Effect: 'Allow',
        Action: ['rds:RestoreDBInstanceToPointInTime'],
        Resource: [arns.rdsDb(loc, source), arns.rdsDb(loc, target), arns.anyRdsSubnetGroup(loc), arns.anyRdsParameterGroup(loc), arns.anyRdsOptionGroup(loc)],
      },
      { Sid: 'TagRestored', Effect: 'Allow', Action: ['rds:AddTagsToResource'], Resource: [arns.rdsDb(loc, target)] },
      { Sid: 'WatchRestore', Effect: 'Allow', Action: ['rds:DescribeDBInstances'], Resource: [arns.rdsDb(loc, source), arns.rdsDb(loc, target)] },
    );
    assertValidRequest('rds', 'RestoreDBInstanceToPointInTime', requests.restore.input, 'the RestoreDBInstanceToPointInTime request');
  }
  return {
    service: svc.name,
    location: loc,
    source,
    target,
    restoreTime,
    restoreGapSeconds: (opts.corruptedAt.getTime() - restoreTime.getTime()) / 1000,
    requests,
    operatorPolicy: policyOf(grants),
  };
}
