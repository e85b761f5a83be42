// ARNs and identifiers for the resources a game day touches. Every ARN solida writes into a template or a
// policy is built here, so a policy's resources and a template's targets can never drift apart.
import { SolidaError } from '../util/errors.ts';

export interface AwsLocation {
  partition: string;
  region: string;
  accountId: string;
}

const ACCOUNT_RE = /^\d{12}$/;
const REGION_RE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/;
const AZ_NAME_RE = /^([a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+)([a-z])$/;
const ARN_RE = /^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$/;

export function isAccountId(s: string): boolean {
  return ACCOUNT_RE.test(s);
}

export function isRegion(s: string): boolean {
  return REGION_RE.test(s);
}

/** The region of an AZ name (us-east-1a → us-east-1), or undefined when `az` is not an AZ name. */
export function regionOfAz(az: string): string | undefined {
  return AZ_NAME_RE.exec(az)?.[1];
}

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

export function parseArn(arn: string): ParsedArn | undefined {
  const m = ARN_RE.exec(arn);
  if (!m) return undefined;
  return { partition: m[1], service: m[2], region: m[3], accountId: m[4] ?? '', resource: m[5] };
}

export function location(accountId: string, region: string, partition = 'aws'): AwsLocation {
  const problems = [];
  if (!isAccountId(accountId)) problems.push({ path: 'account', message: `'${accountId}' is not a 12-digit AWS account id`, fix: 'pass --account 123456789012' });
  if (!isRegion(region)) problems.push({ path: 'region', message: `'${region}' is not an AWS region code`, fix: 'pass --region us-east-1 (or set aws.region on the services)' });
  if (problems.length) throw new SolidaError('invalid AWS location', 2, problems);
  return { partition, region, accountId };
}

function arn(loc: AwsLocation, service: string, resource: string, region = loc.region): string {
  return `arn:${loc.partition}:${service}:${region}:${loc.accountId}:${resource}`;
}

/** The last path segment of an ARN-or-name (ECS cluster ARNs end in cluster/NAME, RDS ones in db:NAME). */
export function nameOf(idOrArn: string): string {
  const parsed = parseArn(idOrArn);
  if (!parsed) return idOrArn;
  return parsed.resource.split(/[:/]/).pop() ?? idOrArn;
}

export const arns = {
  alarm: (loc: AwsLocation, name: string) => arn(loc, 'cloudwatch', `alarm:${name}`),
  role: (loc: AwsLocation, name: string) => `arn:${loc.partition}:iam::${loc.accountId}:role/${name}`,
  subnet: (loc: AwsLocation, id: string) => arn(loc, 'ec2', `subnet/${id}`),
  anySubnet: (loc: AwsLocation) => arn(loc, 'ec2', 'subnet/*'),
  anyNetworkAcl: (loc: AwsLocation) => arn(loc, 'ec2', 'network-acl/*'),
  anyRouteTable: (loc: AwsLocation) => arn(loc, 'ec2', 'route-table/*'),
  anyPrefixList: (loc: AwsLocation) => arn(loc, 'ec2', 'prefix-list/*'),
  anyNetworkInterface: (loc: AwsLocation) => arn(loc, 'ec2', 'network-interface/*'),
  anySecurityGroup: (loc: AwsLocation) => arn(loc, 'ec2', 'security-group/*'),
  anyVpcEndpoint: (loc: AwsLocation) => arn(loc, 'ec2', 'vpc-endpoint/*'),
  vpc: (loc: AwsLocation, id?: string) => arn(loc, 'ec2', `vpc/${id ?? '*'}`),
  ecsCluster: (loc: AwsLocation, cluster: string) => (parseArn(cluster) ? cluster : arn(loc, 'ecs', `cluster/${cluster}`)),
  ecsTasksOf: (loc: AwsLocation, cluster: string) => arn(loc, 'ecs', `task/${nameOf(cluster)}/*`),
  rdsDb: (loc: AwsLocation, id: string) => (parseArn(id) ? id : arn(loc, 'rds', `db:${id}`)),
  rdsCluster: (loc: AwsLocation, id: string) => (parseArn(id) ? id : arn(loc, 'rds', `cluster:${id}`)),
  anyRdsDb: (loc: AwsLocation) => arn(loc, 'rds', 'db:*'),
  anyRdsCluster: (loc: AwsLocation) => arn(loc, 'rds', 'cluster:*'),
  rdsSubnetGroup: (loc: AwsLocation, name: string) => arn(loc, 'rds', `subgrp:${name}`),
  anyRdsParameterGroup: (loc: AwsLocation) => arn(loc, 'rds', 'pg:*'),
  anyRdsClusterParameterGroup: (loc: AwsLocation) => arn(loc, 'rds', 'cluster-pg:*'),
  anyRdsOptionGroup: (loc: AwsLocation) => arn(loc, 'rds', 'og:*'),
  anyRdsSubnetGroup: (loc: AwsLocation) => arn(loc, 'rds', 'subgrp:*'),
  fisExperiments: (loc: AwsLocation) => arn(loc, 'fis', 'experiment/*'),
};

/** RDS identifiers: 1–63 letters, digits or hyphens; a letter first; no trailing or double hyphen. */
export function isRdsIdentifier(id: string): boolean {
  return /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}$/.test(id) && !id.endsWith('-');
}
