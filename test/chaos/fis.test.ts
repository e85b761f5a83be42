import { describe, expect, it } from 'vitest';
import { validateRequest } from '../../src/aws-models/smithy.ts';
import { generateFisPlan, type FisOptions } from '../../src/chaos/fis.ts';
import { checkFisQuotas, isoDuration, parseIsoDuration } from '../../src/chaos/fis-limits.ts';
import type { IamPolicyDocument } from '../../src/chaos/iam.ts';
import { SolidaError } from '../../src/util/errors.ts';
import { ACCOUNT, PAGE_ALARMS, sampleModel } from './fixtures.ts';

// Permissions each FIS action needs, as listed in the AWS FIS actions reference.
const DOCUMENTED_PERMISSIONS: Record<string, string[]> = {
  'aws:network:disrupt-connectivity': [
    'ec2:CreateNetworkAcl', 'ec2:CreateNetworkAclEntry', 'ec2:CreateTags', 'ec2:DeleteNetworkAcl', 'ec2:DescribeManagedPrefixLists',
    'ec2:DescribeNetworkAcls', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'ec2:GetManagedPrefixListEntries', 'ec2:ReplaceNetworkAclAssociation',
  ],
  'aws:network:route-table-disrupt-cross-region-connectivity': [
    'ec2:AssociateRouteTable', 'ec2:CreateManagedPrefixList', 'ec2:CreateNetworkInterface', 'ec2:CreateRoute', 'ec2:CreateRouteTable',
    'ec2:CreateTags', 'ec2:DeleteManagedPrefixList', 'ec2:DeleteNetworkInterface', 'ec2:DeleteRouteTable', 'ec2:DescribeManagedPrefixLists',
    'ec2:DescribeNetworkInterfaces', 'ec2:DescribeRouteTables', 'ec2:DescribeSubnets', 'ec2:DescribeVpcPeeringConnections', 'ec2:DescribeVpcs',
    'ec2:DisassociateRouteTable', 'ec2:GetManagedPrefixListEntries', 'ec2:ModifyManagedPrefixList', 'ec2:ModifyVpcEndpoint',
    'ec2:ReplaceRouteTableAssociation',
  ],
  'aws:ecs:stop-task': ['ecs:DescribeTasks', 'ecs:ListTasks', 'ecs:StopTask', 'tag:GetResources'],
  'aws:rds:failover-db-cluster': ['rds:FailoverDBCluster', 'rds:DescribeDBClusters', 'tag:GetResources'],
  'aws:rds:reboot-db-instances': ['rds:RebootDBInstance', 'rds:DescribeDBInstances', 'tag:GetResources'],
};

const AZ_OPTS: FisOptions = {
  scenario: 'az-failure',
  accountId: ACCOUNT,
  availabilityZone: 'us-east-1a',
  subnets: { tags: { tier: 'app' } },
  stopAlarms: PAGE_ALARMS,
};

const granted = (p: IamPolicyDocument) => new Set(p.Statement.flatMap((s) => s.Action));
const resourcesFor = (p: IamPolicyDocument, action: string) => p.Statement.filter((s) => s.Action.includes(action)).flatMap((s) => s.Resource);

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof SolidaError) return err.problems.map((p) => `${p.path ?? ''}: ${p.message}`);
    throw err;
  }
  throw new Error('expected a SolidaError');
}

function assertLeastPrivilege(policy: IamPolicyDocument) {
  for (const s of policy.Statement) {
    expect(s.Effect).toBe('Allow');
    for (const a of s.Action) expect(a, `wildcard action in ${s.Sid}`).not.toContain('*');
    if (s.Resource.includes('*')) {
      // Only read-only discovery calls, or ListTasks pinned to our clusters by condition.
      for (const a of s.Action) expect(a).toMatch(/^(ec2:Describe\w+|ec2:GetManagedPrefixListEntries|tag:GetResources|ecs:ListTasks)$/);
      if (s.Action.includes('ecs:ListTasks')) expect(s.Condition?.ArnEquals?.['ecs:cluster']).toBeDefined();
    }
    for (const r of s.Resource.filter((x) => x !== '*')) expect(r).toMatch(/^arn:aws:[a-z0-9-]+:us-east-1:123456789012:/);
  }
}

describe('az-failure template (FIS AZ Availability: Power Interruption)', () => {
  const plan = generateFisPlan(sampleModel(), AZ_OPTS);
  const t = plan.template;

  it('validates against the FIS API model and the quotas', () => {
    expect(validateRequest('fis', 'CreateExperimentTemplate', { ...t, clientToken: 'token-1' })).toEqual([]);
    expect(checkFisQuotas(t)).toEqual([]);
  });

  it('disrupts the AZ subnets, stops the ECS tasks in the AZ and fails the databases over', () => {
    const ids = Object.values(t.actions!).map((a) => a.actionId).sort();
    expect(ids).toEqual([
      'aws:ecs:stop-task', 'aws:ecs:stop-task', 'aws:ecs:stop-task',
      'aws:network:disrupt-connectivity',
      'aws:rds:failover-db-cluster',
      'aws:rds:reboot-db-instances',
    ]);
    const net = t.actions!['disrupt-network-us-east-1a'];
    expect(net.parameters).toEqual({ scope: 'all', duration: 'PT10M' });
    expect(t.targets![net.targets!.Subnets]).toEqual({
      resourceType: 'aws:ec2:subnet',
      resourceTags: { tier: 'app' },
      parameters: { availabilityZoneIdentifier: 'us-east-1a' },
      selectionMode: 'ALL',
    });
    const orders = t.targets![t.actions!['stop-tasks-orders'].targets!.Tasks];
    expect(orders).toMatchObject({
      resourceType: 'aws:ecs:task',
      parameters: { cluster: 'nube-solida', service: 'orders' },
      filters: [{ path: 'AvailabilityZone', values: ['us-east-1a'] }],
    });
    const cluster = t.targets![t.actions!['failover-nube-solida-db'].targets!.Clusters];
    expect(cluster).toMatchObject({
      resourceType: 'aws:rds:cluster',
      resourceArns: ['arn:aws:rds:us-east-1:123456789012:cluster:nube-solida-db'],
      parameters: { writerAvailabilityZoneIdentifiers: 'us-east-1a' },
    });
    expect(t.actions!['failover-billing-primary']).toMatchObject({ parameters: { forceFailover: 'true' }, targets: { DBInstances: 'db-billing-primary' } });
    // The shared Aurora cluster is failed over once, not once per service.
    expect(Object.values(t.actions!).filter((a) => a.actionId === 'aws:rds:failover-db-cluster')).toHaveLength(1);
  });

  it('uses the SLO page alarms as stop conditions (names become ARNs in the region)', () => {
    expect(t.stopConditions).toEqual([
      { source: 'aws:cloudwatch:alarm', value: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:inventory-availability-page' },
      { source: 'aws:cloudwatch:alarm', value: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-availability-page' },
    ]);
  });

  it('grants every documented permission of each action, and nothing wider', () => {
    const policy = plan.rolePolicy!;
    const g = granted(policy);
    for (const id of new Set(Object.values(t.actions!).map((a) => a.actionId!))) {
      for (const perm of DOCUMENTED_PERMISSIONS[id]) expect(g, `${id} needs ${perm}`).toContain(perm);
    }
    assertLeastPrivilege(policy);
    expect(g).not.toContain('rds:DeleteDBCluster');
    expect(resourcesFor(policy, 'rds:FailoverDBCluster')).toEqual(['arn:aws:rds:us-east-1:123456789012:cluster:nube-solida-db']);
    expect(resourcesFor(policy, 'rds:RebootDBInstance')).toEqual(['arn:aws:rds:us-east-1:123456789012:db:billing-primary']);
    expect(resourcesFor(policy, 'ecs:StopTask').sort()).toEqual([
      'arn:aws:ecs:us-east-1:123456789012:task/billing/*',
      'arn:aws:ecs:us-east-1:123456789012:task/nube-solida/*',
    ]);
    const subnets = policy.Statement.find((s) => s.Sid === 'DisruptConnectivityTargetSubnets')!;
    expect(subnets.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/tier': 'app' } });
    const deleteAcl = policy.Statement.find((s) => s.Action.includes('ec2:DeleteNetworkAcl'))!;
    expect(deleteAcl.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/managedByFIS': 'true' } });
  });

  it('lets only FIS experiments of this account assume the role', () => {
    expect(plan.trustPolicy.Statement[0]).toMatchObject({
      Principal: { Service: 'fis.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': 'arn:aws:fis:us-east-1:123456789012:experiment/*' } },
    });
  });

  it('scopes the network ACL swap to explicit subnets when given by ARN', () => {
    const p = generateFisPlan(sampleModel(), { ...AZ_OPTS, subnets: { arns: ['subnet-0aa', 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0bb'] } });
    expect(p.template.targets!['subnets-us-east-1a']).toEqual({
      resourceType: 'aws:ec2:subnet',
      resourceArns: ['arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0aa', 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0bb'],
      selectionMode: 'ALL',
    });
    expect(p.rolePolicy!.Statement.find((s) => s.Sid === 'DisruptConnectivityTargetSubnets')!.Resource).toHaveLength(2);
  });
});

describe('region-failover and pitr templates', () => {
  it('cuts the region off from the DR region with the route-table action', () => {
    const plan = generateFisPlan(sampleModel(), { scenario: 'region-failover', accountId: ACCOUNT, isolateRegion: 'us-west-2', subnets: { tags: { tier: 'app' } }, stopAlarms: PAGE_ALARMS });
    const actions = Object.values(plan.template.actions!);
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({
      actionId: 'aws:network:route-table-disrupt-cross-region-connectivity',
      parameters: { region: 'us-west-2', duration: 'PT30M' },
      targets: { Subnets: 'subnets-us-east-1' },
    });
    expect(validateRequest('fis', 'CreateExperimentTemplate', { ...plan.template, clientToken: 't' })).toEqual([]);
    const g = granted(plan.rolePolicy!);
    for (const perm of DOCUMENTED_PERMISSIONS['aws:network:route-table-disrupt-cross-region-connectivity']) expect(g).toContain(perm);
    assertLeastPrivilege(plan.rolePolicy!);
  });

  it('pitr injects nothing: a wait with the stop conditions, and a role with no permissions', () => {
    const plan = generateFisPlan(sampleModel(), { scenario: 'pitr', accountId: ACCOUNT, stopAlarms: PAGE_ALARMS });
    expect(Object.values(plan.template.actions!)).toEqual([expect.objectContaining({ actionId: 'aws:fis:wait', parameters: { duration: 'PT20M' } })]);
    expect(plan.template.targets).toBeUndefined();
    expect(plan.rolePolicy).toBeNull();
    expect(validateRequest('fis', 'CreateExperimentTemplate', { ...plan.template, clientToken: 't' })).toEqual([]);
  });
});

describe('FIS quotas and input problems', () => {
  it('names every missing az-failure input at once: stop condition, AZ and subnets', () => {
    const problems = problemsOf(() => generateFisPlan(sampleModel(), { ...AZ_OPTS, stopAlarms: [], availabilityZone: undefined, subnets: {} })).join('\n');
    expect(problems).toMatch(/stopConditions/);
    expect(problems).toMatch(/availabilityZone: az-failure needs the AZ to lose/);
    expect(problems).toMatch(/subnets/);
  });

  it('rejects more than 20 actions', () => {
    const model = sampleModel();
    model.services = Array.from({ length: 20 }, (_, i) => ({
      name: `svc${i}`, selector: '{}', labels: {}, runbooks: {},
      aws: { region: 'us-east-1', ecs: { cluster: 'c', service: `svc${i}` } },
    }));
    // 20 stop-task actions + the network action = 21.
    expect(problemsOf(() => generateFisPlan(model, AZ_OPTS)).join('\n')).toMatch(/21 actions, FIS allows 20/);
  });

  it('rejects more than 5 stop conditions and suggests a composite alarm', () => {
    const alarms = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
    expect(problemsOf(() => generateFisPlan(sampleModel(), { ...AZ_OPTS, stopAlarms: alarms })).join('\n')).toMatch(/6 stop conditions, FIS allows 5/);
  });

  it('rejects a fault longer than 12 hours or shorter than a minute', () => {
    expect(problemsOf(() => generateFisPlan(sampleModel(), { ...AZ_OPTS, durationSeconds: 13 * 3600 })).join('\n')).toMatch(/outside FIS's 1 minute to 12 hours/);
    expect(problemsOf(() => generateFisPlan(sampleModel(), { ...AZ_OPTS, durationSeconds: 30 })).join('\n')).toMatch(/outside/);
  });

  it('rejects more than 5 subnet ARNs in one target (API model limit)', () => {
    const arns = ['s1', 's2', 's3', 's4', 's5', 's6'].map((s) => `subnet-${s}`);
    expect(problemsOf(() => generateFisPlan(sampleModel(), { ...AZ_OPTS, subnets: { arns } })).join('\n')).toMatch(/6 ARNs, FIS takes at most 5/);
  });

  it('needs subnets, an AZ of the region and at least one stop condition', () => {
    const p = problemsOf(() => generateFisPlan(sampleModel(), { ...AZ_OPTS, subnets: undefined, stopAlarms: [] })).join('\n');
    expect(p).toMatch(/^subnets: /m);
    expect(p).toMatch(/^stopConditions: no stop condition/m);
    expect(problemsOf(() => generateFisPlan(sampleModel(), { ...AZ_OPTS, availabilityZone: 'us-west-2a' })).join('\n')).toMatch(/not an AZ name in us-east-1/);
    expect(problemsOf(() => generateFisPlan(sampleModel(), { ...AZ_OPTS, accountId: '42' })).join('\n')).toMatch(/12-digit/);
  });

  it('checks startAfter chains against the 12-hour experiment limit', () => {
    const actions = {
      a: { actionId: 'aws:fis:wait', parameters: { duration: 'PT7H' } },
      b: { actionId: 'aws:fis:wait', parameters: { duration: 'PT6H' }, startAfter: ['a'] },
    };
    expect(checkFisQuotas({ actions, stopConditions: [] }).map((p) => p.message).join()).toMatch(/PT13H/);
    expect(checkFisQuotas({ actions: { a: actions.a }, stopConditions: [] })).toEqual([]);
  });

  it('formats and parses ISO 8601 durations', () => {
    expect(isoDuration(600)).toBe('PT10M');
    expect(isoDuration(5400)).toBe('PT1H30M');
    expect(isoDuration(45)).toBe('PT45S');
    expect(parseIsoDuration('PT1H30M')).toBe(5400);
    expect(parseIsoDuration('10m')).toBeUndefined();
  });

  it('the model validator would catch a malformed template (the check is not vacuous)', () => {
    const plan = generateFisPlan(sampleModel(), AZ_OPTS);
    const bad = { ...plan.template, clientToken: 't', stopCondition: [] } as Record<string, unknown>;
    expect(validateRequest('fis', 'CreateExperimentTemplate', bad).map((p) => p.path)).toContain('stopCondition');
  });
});
