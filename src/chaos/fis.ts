// FIS experiment templates (CreateExperimentTemplate inputs) for the DR scenarios, from the SLO model's
// services. Pure: no AWS calls. Every template is checked against the FIS quotas and the FIS API model
// before it is returned, so an invalid one never reaches a file or AWS.
//
// az-failure follows the FIS scenario library's "AZ Availability: Power Interruption": the AZ's subnets lose
// connectivity (aws:network:disrupt-connectivity, scope all), the services' ECS tasks in that AZ are stopped
// (aws:ecs:stop-task, tasks selected by cluster/service and the AvailabilityZone filter), and the database
// fails over when its writer is in that AZ (aws:rds:failover-db-cluster with writerAvailabilityZoneIdentifiers,
// or aws:rds:reboot-db-instances with forceFailover for Multi-AZ instances).
// region-failover cuts the region's subnets off from the other region
// (aws:network:route-table-disrupt-cross-region-connectivity). pitr injects nothing: the runbook restores
// through the RDS API (see pitr.ts); its template only waits, so the game day has an FIS record with the
// same stop conditions.
import type { CreateExperimentTemplateCommandInput } from '@aws-sdk/client-fis';
import { assertValidRequest } from '../aws-models/smithy.ts';
import type { Service, SolidaModel } from '../slo/model.ts';
import { SolidaError, type Problem } from '../util/errors.ts';
import { arns, isRegion, location, nameOf, parseArn, regionOfAz, type AwsLocation } from './arn.ts';
import { checkFisQuotas, isoDuration, MAX_ACTION_SECONDS, MIN_ACTION_SECONDS } from './fis-limits.ts';
import {
  crossRegionRouteTableGrants,
  disruptConnectivityGrants,
  failoverClusterGrants,
  fisTrustPolicy,
  policyOf,
  rebootDbGrants,
  stopTaskGrants,
  type IamPolicyDocument,
  type IamStatement,
  type IamTrustPolicy,
  type SubnetScope,
} from './iam.ts';
import { SCENARIO_TABLE, type ScenarioName } from '../scenarios/index.ts';

export type FisTemplateInput = Omit<CreateExperimentTemplateCommandInput, 'clientToken'>;

export interface FisOptions {
  scenario: ScenarioName;
  accountId: string;
  /** Where the experiment runs; default: the region the services declare (aws.region). */
  region?: string;
  partition?: string;
  /** The experiment role; default arn:<partition>:iam::<account>:role/solida-fis-<scenario>. */
  roleArn?: string;
  /** az-failure: the AZ name to lose (e.g. us-east-1a): pick the one holding the database writer. */
  availabilityZone?: string;
  /** The subnets to disrupt: explicit ARNs (≤ 5) or tags (plus the AZ for az-failure). */
  subnets?: { arns?: string[]; tags?: Record<string, string>; vpcId?: string };
  /** region-failover: the region to cut off from (the DR region). */
  isolateRegion?: string;
  /** How long the fault lasts, seconds (default 10 min for az-failure, 30 min for region-failover, 20 min for pitr). */
  durationSeconds?: number;
  /** Stop conditions: the SLO page alarms, as ARNs or alarm names in the experiment's region. */
  stopAlarms: string[];
  /** Limit the blast radius to these services (default: every service with AWS resources in the region). */
  services?: string[];
  tags?: Record<string, string>;
}

export interface FisPlan {
  scenario: ScenarioName;
  location: AwsLocation;
  roleArn: string;
  template: FisTemplateInput;
  /** Permissions for the experiment role; null when the template needs none (pitr only waits). */
  rolePolicy: IamPolicyDocument | null;
  trustPolicy: IamTrustPolicy;
  /** Services whose resources are targeted. */
  services: string[];
  warnings: string[];
}

/** FIS names: non-blank, ≤ 64 characters. */
function fisName(...parts: string[]): string {
  return parts.join('-').replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 64);
}

interface Scope {
  loc: AwsLocation;
  services: Service[];
  warnings: string[];
}

function resolveScope(model: SolidaModel, opts: FisOptions, problems: Problem[]): Scope | undefined {
  const withAws = model.services.filter((s) => s.aws);
  let chosen = withAws;
  if (opts.services?.length) {
    for (const name of opts.services) {
      if (!model.services.some((s) => s.name === name)) {
        problems.push({ file: model.source, path: 'services', message: `no service named '${name}'`, fix: `known services: ${model.services.map((s) => s.name).join(', ') || '(none)'}` });
      }
    }
    chosen = withAws.filter((s) => opts.services!.includes(s.name));
  }
  const declared = [...new Set(chosen.map((s) => s.aws?.region).filter((r): r is string => !!r))];
  const region = opts.region ?? (declared.length === 1 ? declared[0] : undefined);
  if (!region) {
    problems.push({
      file: model.source,
      path: 'services[].aws.region',
      message: declared.length > 1 ? `the services are in several regions (${declared.join(', ')})` : 'no region: the services declare none',
      fix: 'pass --region (an experiment runs in one region)',
    });
    return undefined;
  }
  if (!/^\d{12}$/.test(opts.accountId) || !isRegion(region)) {
    try {
      location(opts.accountId, region, opts.partition);
    } catch (err) {
      if (err instanceof SolidaError) problems.push(...err.problems);
    }
    return undefined;
  }
  const loc = location(opts.accountId, region, opts.partition);
  const warnings: string[] = [];
  const inRegion = chosen.filter((s) => {
    const r = s.aws?.region ?? region;
    if (r !== region) warnings.push(`service ${s.name} is in ${r}, not ${region}: left out of this experiment`);
    return r === region;
  });
  return { loc, services: inRegion, warnings };
}

function stopConditions(loc: AwsLocation, alarms: string[], problems: Problem[], warnings: string[]) {
  if (alarms.length === 0) {
    problems.push({
      path: 'stopConditions',
      message: 'no stop condition: an experiment without one cannot be stopped by the SLO alarms',
      fix: 'pass the SLO page alarms with --stop-alarm ARN_OR_NAME (up to 5; a composite alarm can combine more)',
    });
  }
  const values = [...new Set(alarms.map((a) => (a.startsWith('arn:') ? a : arns.alarm(loc, a))))];
  for (const value of values) {
    const parsed = parseArn(value);
    if (!parsed || parsed.service !== 'cloudwatch' || !parsed.resource.startsWith('alarm:')) {
      problems.push({ path: 'stopConditions', message: `'${value}' is not a CloudWatch alarm ARN`, fix: 'use arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME or just the alarm name' });
    } else if (parsed.region !== loc.region) {
      warnings.push(`stop alarm ${value} is in ${parsed.region}; FIS reads stop-condition alarms in the experiment's region (${loc.region})`);
    }
  }
  return values.map((value) => ({ source: 'aws:cloudwatch:alarm', value }));
}

function subnetScope(loc: AwsLocation, opts: FisOptions, problems: Problem[]): SubnetScope | undefined {
  const s = opts.subnets;
  if (s?.arns?.length && s.tags && Object.keys(s.tags).length) {
    problems.push({ path: 'subnets', message: 'subnets given both by ARN and by tag', fix: 'FIS targets take one or the other: keep --subnet-arn or --subnet-tag' });
    return undefined;
  }
  if (s?.arns?.length) {
    const full = s.arns.map((a) => (a.startsWith('arn:') ? a : arns.subnet(loc, a)));
    for (const a of full) {
      const p = parseArn(a);
      if (!p || p.service !== 'ec2' || !p.resource.startsWith('subnet/')) problems.push({ path: 'subnets', message: `'${a}' is not a subnet ARN or id` });
      else if (p.region !== loc.region) problems.push({ path: 'subnets', message: `subnet ${a} is not in ${loc.region}` });
    }
    return { kind: 'arns', arns: full };
  }
  if (s?.tags && Object.keys(s.tags).length) return { kind: 'tags', tags: s.tags, vpcId: s.vpcId };
  problems.push({
    path: 'subnets',
    message: `${opts.scenario} disrupts the network of subnets, and none were given`,
    fix: 'pass --subnet-tag KEY=VALUE (e.g. tier=app) or --subnet-arn ARN (repeatable, up to 5)',
  });
  return undefined;
}

function subnetTarget(scope: SubnetScope, az?: string): NonNullable<FisTemplateInput['targets']>[string] {
  if (scope.kind === 'arns') return { resourceType: 'aws:ec2:subnet', resourceArns: scope.arns, selectionMode: 'ALL' };
  const parameters: Record<string, string> = {};
  if (az) parameters.availabilityZoneIdentifier = az;
  if (scope.vpcId) parameters.vpc = scope.vpcId;
  return {
    resourceType: 'aws:ec2:subnet',
    resourceTags: scope.tags,
    ...(Object.keys(parameters).length ? { parameters } : {}),
    selectionMode: 'ALL',
  };
}

function faultSeconds(opts: FisOptions, problems: Problem[]): number {
  const seconds = opts.durationSeconds ?? SCENARIO_TABLE[opts.scenario].faultSeconds;
  if (!(seconds >= MIN_ACTION_SECONDS && seconds <= MAX_ACTION_SECONDS)) {
    problems.push({ path: 'duration', message: `${seconds}s is outside FIS's 1 minute to 12 hours`, fix: 'pass --duration between 1m and 12h' });
  }
  return seconds;
}

interface Built {
  targets: NonNullable<FisTemplateInput['targets']>;
  actions: NonNullable<FisTemplateInput['actions']>;
  grants: IamStatement[];
  services: string[];
}

function azFailure(scope: Scope, opts: FisOptions, problems: Problem[]): Built | undefined {
  const { loc } = scope;
  const az = opts.availabilityZone;
  // Every missing or wrong input is reported in the same run (AZ, subnets, duration), not one per attempt.
  let azOk = true;
  if (!az) {
    problems.push({ path: 'availabilityZone', message: 'az-failure needs the AZ to lose', fix: `pass --az ${loc.region}a (the AZ of the database writer)` });
    azOk = false;
  } else if (regionOfAz(az) !== loc.region) {
    problems.push({
      path: 'availabilityZone',
      message: `'${az}' is not an AZ name in ${loc.region}`,
      fix: `use the AZ name, e.g. ${loc.region}a (ECS tasks report AZ names, not AZ ids)`,
    });
    azOk = false;
  }
  const subnets = subnetScope(loc, opts, problems);
  const seconds = faultSeconds(opts, problems);
  if (!az || !azOk || !subnets) return undefined;
  const built: Built = { targets: {}, actions: {}, grants: [], services: [] };
  const subnetsName = fisName('subnets', az);
  built.targets[subnetsName] = subnetTarget(subnets, az);
  built.actions[fisName('disrupt-network', az)] = {
    actionId: 'aws:network:disrupt-connectivity',
    description: `AZ ${az} loses all network traffic (power interruption)`,
    parameters: { scope: 'all', duration: isoDuration(seconds) },
    targets: { Subnets: subnetsName },
  };
  built.grants.push(...disruptConnectivityGrants(loc, subnets, opts.subnets?.vpcId));

  const ecsClusters = new Set<string>();
  const dbClusters = new Set<string>();
  const dbInstances = new Set<string>();
  for (const svc of scope.services) {
    const aws = svc.aws!;
    if (aws.ecs) {
      const target = fisName('tasks', svc.name);
      built.targets[target] = {
        resourceType: 'aws:ecs:task',
        parameters: { cluster: nameOf(aws.ecs.cluster), service: aws.ecs.service },
        filters: [{ path: 'AvailabilityZone', values: [az] }],
        selectionMode: 'ALL',
      };
      built.actions[fisName('stop-tasks', svc.name)] = {
        actionId: 'aws:ecs:stop-task',
        description: `stop the ECS tasks of ${svc.name} in ${az}`,
        targets: { Tasks: target },
      };
      ecsClusters.add(arns.ecsCluster(loc, aws.ecs.cluster));
      built.services.push(svc.name);
    }
    if (aws.rds?.cluster && !dbClusters.has(aws.rds.cluster)) {
      dbClusters.add(aws.rds.cluster);
      const target = fisName('db-cluster', nameOf(aws.rds.cluster));
      built.targets[target] = {
        resourceType: 'aws:rds:cluster',
        resourceArns: [arns.rdsCluster(loc, aws.rds.cluster)],
        // Fails over only when the writer is in the lost AZ, as a real power loss would.
        parameters: { writerAvailabilityZoneIdentifiers: az },
        selectionMode: 'ALL',
      };
      built.actions[fisName('failover', nameOf(aws.rds.cluster))] = {
        actionId: 'aws:rds:failover-db-cluster',
        description: `fail over ${nameOf(aws.rds.cluster)} away from ${az}`,
        targets: { Clusters: target },
      };
    } else if (aws.rds?.instance && !dbInstances.has(aws.rds.instance)) {
      dbInstances.add(aws.rds.instance);
      const target = fisName('db', nameOf(aws.rds.instance));
      built.targets[target] = {
        resourceType: 'aws:rds:db',
        resourceArns: [arns.rdsDb(loc, aws.rds.instance)],
        parameters: { availabilityZoneIdentifiers: az },
        selectionMode: 'ALL',
      };
      built.actions[fisName('failover', nameOf(aws.rds.instance))] = {
        actionId: 'aws:rds:reboot-db-instances',
        description: `reboot ${nameOf(aws.rds.instance)} with a Multi-AZ failover away from ${az}`,
        parameters: { forceFailover: 'true' },
        targets: { DBInstances: target },
      };
    }
    if (aws.rds && !built.services.includes(svc.name)) built.services.push(svc.name);
  }
  if (ecsClusters.size) built.grants.push(...stopTaskGrants(loc, [...ecsClusters]));
  if (dbClusters.size) built.grants.push(...failoverClusterGrants(loc, [...dbClusters]));
  if (dbInstances.size) built.grants.push(...rebootDbGrants(loc, [...dbInstances]));
  if (ecsClusters.size === 0 && dbClusters.size === 0 && dbInstances.size === 0) {
    problems.push({
      file: undefined,
      path: 'services[].aws',
      message: `no service in ${loc.region} declares aws.ecs or aws.rds: only the network would be disrupted`,
      fix: 'declare aws: { ecs: { cluster, service }, rds: { instance | cluster } } on the services',
    });
  }
  return built;
}

function regionFailover(scope: Scope, opts: FisOptions, problems: Problem[]): Built | undefined {
  const { loc } = scope;
  const other = opts.isolateRegion;
  if (!other || !isRegion(other) || other === loc.region) {
    problems.push({
      path: 'isolateRegion',
      message: other ? `'${other}' is not another AWS region` : 'region-failover needs the DR region to cut off',
      fix: 'pass --secondary-region us-west-2 (the region holding the replica)',
    });
    return undefined;
  }
  const subnets = subnetScope(loc, opts, problems);
  const seconds = faultSeconds(opts, problems);
  if (!subnets) return undefined;
  const target = fisName('subnets', loc.region);
  return {
    targets: { [target]: subnetTarget(subnets) },
    actions: {
      [fisName('isolate-from', other)]: {
        actionId: 'aws:network:route-table-disrupt-cross-region-connectivity',
        description: `block traffic from ${loc.region} to ${other} (region loss as seen by the DR region)`,
        parameters: { region: other, duration: isoDuration(seconds) },
        targets: { Subnets: target },
      },
    },
    grants: crossRegionRouteTableGrants(loc, subnets, opts.subnets?.vpcId),
    services: scope.services.map((s) => s.name),
  };
}

function pitrWindow(scope: Scope, opts: FisOptions, problems: Problem[]): Built {
  const seconds = faultSeconds(opts, problems);
  return {
    targets: {},
    actions: {
      'observe-restore': {
        actionId: 'aws:fis:wait',
        description: 'observation window while the runbook restores to a point in time (nothing is injected)',
        parameters: { duration: isoDuration(seconds) },
      },
    },
    grants: [],
    services: scope.services.filter((s) => s.aws?.rds).map((s) => s.name),
  };
}

/** The FIS template, role policy and trust policy for one scenario. Throws SolidaError listing every problem. */
export function generateFisPlan(model: SolidaModel, opts: FisOptions): FisPlan {
  const problems: Problem[] = [];
  const scope = resolveScope(model, opts, problems);
  if (!scope) throw new SolidaError(`cannot generate the ${opts.scenario} FIS experiment`, 2, problems);
  const { loc, warnings } = scope;
  const stops = stopConditions(loc, opts.stopAlarms, problems, warnings);
  const built =
    opts.scenario === 'az-failure' ? azFailure(scope, opts, problems)
    : opts.scenario === 'region-failover' ? regionFailover(scope, opts, problems)
    : pitrWindow(scope, opts, problems);
  if (!built || problems.length) throw new SolidaError(`cannot generate the ${opts.scenario} FIS experiment`, 2, problems);

  const roleArn = opts.roleArn ?? arns.role(loc, `solida-fis-${opts.scenario}`);
  const template: FisTemplateInput = {
    description: `solida ${opts.scenario} game day (${built.services.join(', ') || 'no service'}) from ${model.source}`.slice(0, 512),
    roleArn,
    stopConditions: stops,
    targets: built.targets,
    actions: built.actions,
    // An empty target (e.g. the writer is not in the lost AZ) must fail loudly, not pass as a no-op.
    experimentOptions: { accountTargeting: 'single-account', emptyTargetResolutionMode: 'fail' },
    tags: { Name: `solida-${opts.scenario}`, 'solida:scenario': opts.scenario, ...opts.tags },
  };
  if (Object.keys(built.targets).length === 0) delete template.targets;

  const quota = checkFisQuotas(template);
  if (quota.length) throw new SolidaError(`the ${opts.scenario} experiment exceeds FIS quotas`, 2, quota);
  assertValidRequest('fis', 'CreateExperimentTemplate', template, `the ${opts.scenario} CreateExperimentTemplate request`);

  if (Object.values(built.actions).some((a) => a.actionId === 'aws:ecs:stop-task')) {
    warnings.push('aws:ecs:stop-task targets at most 5 tasks per action by default (quota L-48D12416): raise it if a service runs more tasks in the AZ');
  }
  if (Object.values(built.actions).some((a) => a.actionId === 'aws:network:disrupt-connectivity') && opts.subnets?.tags) {
    warnings.push('aws:network:disrupt-connectivity targets at most 5 subnets by default (quota L-1F59732D): check how many subnets the tags select');
  }
  return {
    scenario: opts.scenario,
    location: loc,
    roleArn,
    template,
    rolePolicy: built.grants.length ? policyOf(built.grants) : null,
    trustPolicy: fisTrustPolicy(loc),
    services: built.services,
    warnings,
  };
}
