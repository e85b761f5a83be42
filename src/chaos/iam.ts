// Least-privilege IAM policy documents for FIS experiment roles and the PITR operator.
// Write actions are scoped to the target resources (or to FIS-managed resources via the managedByFIS tag,
// as the FIS actions reference documents); `Resource: "*"` is used only for read-only discovery calls
// (Describe*/List*/Get*, tag:GetResources) that AWS does not authorize per resource.
import { arns, type AwsLocation } from './arn.ts';

export type ConditionBlock = Record<string, Record<string, string | string[]>>;

export interface IamStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
  Condition?: ConditionBlock;
}

export interface IamPolicyDocument {
  Version: '2012-10-17';
  Statement: IamStatement[];
}

export interface IamTrustPolicy {
  Version: '2012-10-17';
  Statement: Array<{
    Sid: string;
    Effect: 'Allow';
    Principal: { Service: string };
    Action: 'sts:AssumeRole';
    Condition: ConditionBlock;
  }>;
}

/** Subnets chosen by ARN or by tags (the FIS target's selection, mirrored in the policy). */
export type SubnetScope = { kind: 'arns'; arns: string[] } | { kind: 'tags'; tags: Record<string, string>; vpcId?: string };

const READ_ONLY = /^[a-z0-9-]+:(Describe|List|Get)[A-Za-z]*$/;

/** Actions that may appear with `Resource: "*"` (they cannot be scoped to a resource). */
export function isReadOnlyAction(action: string): boolean {
  return READ_ONLY.test(action);
}

function readOnly(sid: string, actions: string[]): IamStatement {
  return { Sid: sid, Effect: 'Allow', Action: actions, Resource: ['*'] };
}

function subnetStatement(loc: AwsLocation, sid: string, actions: string[], scope: SubnetScope): IamStatement {
  if (scope.kind === 'arns') return { Sid: sid, Effect: 'Allow', Action: actions, Resource: scope.arns };
  const condition: Record<string, string> = {};
  for (const [k, v] of Object.entries(scope.tags)) condition[`aws:ResourceTag/${k}`] = v;
  return { Sid: sid, Effect: 'Allow', Action: actions, Resource: [arns.anySubnet(loc)], Condition: { StringEquals: condition } };
}

const MANAGED_BY_FIS_REQUEST = { StringEquals: { 'aws:RequestTag/managedByFIS': 'true' } };
const MANAGED_BY_FIS_RESOURCE = { StringEquals: { 'aws:ResourceTag/managedByFIS': 'true' } };

/** aws:network:disrupt-connectivity: FIS clones the subnet's network ACL (tagged managedByFIS=true) and swaps it in. */
export function disruptConnectivityGrants(loc: AwsLocation, scope: SubnetScope, vpcId?: string): IamStatement[] {
  return [
    { Sid: 'DisruptConnectivityCreateAcl', Effect: 'Allow', Action: ['ec2:CreateNetworkAcl'], Resource: [arns.anyNetworkAcl(loc)], Condition: MANAGED_BY_FIS_REQUEST },
    { Sid: 'DisruptConnectivityCreateAclInVpc', Effect: 'Allow', Action: ['ec2:CreateNetworkAcl'], Resource: [arns.vpc(loc, vpcId)] },
    {
      Sid: 'DisruptConnectivityTagAcl',
      Effect: 'Allow',
      Action: ['ec2:CreateTags'],
      Resource: [arns.anyNetworkAcl(loc)],
      Condition: { StringEquals: { 'ec2:CreateAction': 'CreateNetworkAcl' } },
    },
    {
      Sid: 'DisruptConnectivityManageAcl',
      Effect: 'Allow',
      Action: ['ec2:CreateNetworkAclEntry', 'ec2:DeleteNetworkAcl'],
      Resource: [arns.anyNetworkAcl(loc)],
      Condition: MANAGED_BY_FIS_RESOURCE,
    },
    // Restoring the original association needs the untagged original ACL too.
    { Sid: 'DisruptConnectivitySwapAcl', Effect: 'Allow', Action: ['ec2:ReplaceNetworkAclAssociation'], Resource: [arns.anyNetworkAcl(loc)] },
    subnetStatement(loc, 'DisruptConnectivityTargetSubnets', ['ec2:ReplaceNetworkAclAssociation'], scope),
    readOnly('DisruptConnectivityDiscovery', [
      'ec2:DescribeManagedPrefixLists',
      'ec2:DescribeNetworkAcls',
      'ec2:DescribeSubnets',
      'ec2:DescribeVpcs',
      'ec2:GetManagedPrefixListEntries',
    ]),
  ];
}

/** aws:network:route-table-disrupt-cross-region-connectivity: FIS-managed route tables, prefix lists and ENIs. */
export function crossRegionRouteTableGrants(loc: AwsLocation, scope: SubnetScope, vpcId?: string): IamStatement[] {
  const managed = [arns.anyRouteTable(loc), arns.anyPrefixList(loc), arns.anyNetworkInterface(loc)];
  return [
    {
      Sid: 'CrossRegionCreateManaged',
      Effect: 'Allow',
      Action: ['ec2:CreateManagedPrefixList', 'ec2:CreateNetworkInterface', 'ec2:CreateRouteTable'],
      Resource: managed,
      Condition: MANAGED_BY_FIS_REQUEST,
    },
    { Sid: 'CrossRegionCreateRouteTableInVpc', Effect: 'Allow', Action: ['ec2:CreateRouteTable'], Resource: [arns.vpc(loc, vpcId)] },
    { Sid: 'CrossRegionCreateInterfaceGroups', Effect: 'Allow', Action: ['ec2:CreateNetworkInterface'], Resource: [arns.anySecurityGroup(loc)] },
    subnetStatement(loc, 'CrossRegionCreateInterfaceInSubnets', ['ec2:CreateNetworkInterface'], scope),
    {
      Sid: 'CrossRegionTagManaged',
      Effect: 'Allow',
      Action: ['ec2:CreateTags'],
      Resource: managed,
      Condition: { StringEquals: { 'ec2:CreateAction': ['CreateRouteTable', 'CreateManagedPrefixList', 'CreateNetworkInterface'] } },
    },
    {
      Sid: 'CrossRegionManageManaged',
      Effect: 'Allow',
      Action: ['ec2:CreateRoute', 'ec2:DeleteManagedPrefixList', 'ec2:DeleteNetworkInterface', 'ec2:DeleteRouteTable', 'ec2:ModifyManagedPrefixList'],
      Resource: managed,
      Condition: MANAGED_BY_FIS_RESOURCE,
    },
    // Swapping associations back and forth touches the original (untagged) route tables.
    {
      Sid: 'CrossRegionSwapRouteTables',
      Effect: 'Allow',
      Action: ['ec2:AssociateRouteTable', 'ec2:DisassociateRouteTable', 'ec2:ReplaceRouteTableAssociation'],
      Resource: [arns.anyRouteTable(loc)],
    },
    subnetStatement(loc, 'CrossRegionTargetSubnets', ['ec2:AssociateRouteTable'], scope),
    { Sid: 'CrossRegionVpcEndpoints', Effect: 'Allow', Action: ['ec2:ModifyVpcEndpoint'], Resource: [arns.anyVpcEndpoint(loc), arns.anyRouteTable(loc)] },
    readOnly('CrossRegionDiscovery', [
      'ec2:DescribeManagedPrefixLists',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeRouteTables',
      'ec2:DescribeSubnets',
      'ec2:DescribeVpcPeeringConnections',
      'ec2:DescribeVpcs',
      'ec2:GetManagedPrefixListEntries',
    ]),
  ];
}

/** aws:ecs:stop-task on the tasks of the given clusters. */
export function stopTaskGrants(loc: AwsLocation, clusters: string[]): IamStatement[] {
  return [
    { Sid: 'StopTaskTasks', Effect: 'Allow', Action: ['ecs:DescribeTasks', 'ecs:StopTask'], Resource: clusters.map((c) => arns.ecsTasksOf(loc, c)) },
    // ListTasks is authorized on container instances; the ecs:cluster key pins it to our clusters.
    {
      Sid: 'StopTaskList',
      Effect: 'Allow',
      Action: ['ecs:ListTasks'],
      Resource: ['*'],
      Condition: { ArnEquals: { 'ecs:cluster': clusters.map((c) => arns.ecsCluster(loc, c)) } },
    },
    readOnly('StopTaskDiscovery', ['tag:GetResources']),
  ];
}

/** aws:rds:failover-db-cluster on the given Aurora/Multi-AZ clusters. */
export function failoverClusterGrants(loc: AwsLocation, clusters: string[]): IamStatement[] {
  return [
    { Sid: 'FailoverDbCluster', Effect: 'Allow', Action: ['rds:FailoverDBCluster'], Resource: clusters.map((c) => arns.rdsCluster(loc, c)) },
    { Sid: 'FailoverDbClusterDescribe', Effect: 'Allow', Action: ['rds:DescribeDBClusters'], Resource: [arns.anyRdsCluster(loc)] },
    readOnly('FailoverDbClusterDiscovery', ['tag:GetResources']),
  ];
}

/** aws:rds:reboot-db-instances (forceFailover) on the given Multi-AZ instances. */
export function rebootDbGrants(loc: AwsLocation, instances: string[]): IamStatement[] {
  return [
    { Sid: 'RebootDbInstance', Effect: 'Allow', Action: ['rds:RebootDBInstance'], Resource: instances.map((i) => arns.rdsDb(loc, i)) },
    { Sid: 'RebootDbInstanceDescribe', Effect: 'Allow', Action: ['rds:DescribeDBInstances'], Resource: [arns.anyRdsDb(loc)] },
    readOnly('RebootDbInstanceDiscovery', ['tag:GetResources']),
  ];
}

/** One policy from many grants: statements with the same Sid are merged, duplicate entries dropped. */
export function policyOf(statements: IamStatement[]): IamPolicyDocument {
  const bySid = new Map<string, IamStatement>();
  for (const s of statements) {
    const prev = bySid.get(s.Sid);
    if (!prev) {
      bySid.set(s.Sid, { ...s, Action: [...new Set(s.Action)].sort(), Resource: [...new Set(s.Resource)].sort() });
      continue;
    }
    prev.Action = [...new Set([...prev.Action, ...s.Action])].sort();
    prev.Resource = [...new Set([...prev.Resource, ...s.Resource])].sort();
    if (s.Condition) prev.Condition = mergeConditions(prev.Condition ?? {}, s.Condition);
  }
  return { Version: '2012-10-17', Statement: [...bySid.values()] };
}

function mergeConditions(a: ConditionBlock, b: ConditionBlock): ConditionBlock {
  const out: ConditionBlock = structuredClone(a);
  for (const [op, keys] of Object.entries(b)) {
    out[op] ??= {};
    for (const [key, value] of Object.entries(keys)) {
      const prev = out[op][key];
      const all = [...new Set([...(prev === undefined ? [] : [prev].flat()), ...[value].flat()])];
      out[op][key] = all.length === 1 ? all[0] : all;
    }
  }
  return out;
}

/** Trust policy letting only FIS experiments of this account and region assume the role (confused-deputy safe). */
export function fisTrustPolicy(loc: AwsLocation): IamTrustPolicy {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowFisExperiments',
        Effect: 'Allow',
        Principal: { Service: 'fis.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': loc.accountId },
          ArnLike: { 'aws:SourceArn': arns.fisExperiments(loc) },
        },
      },
    ],
  };
}
