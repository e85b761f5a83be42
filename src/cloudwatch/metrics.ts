// CloudWatch metric identities shared by every resource kind and the SLIs. Where each resource kind
// publishes its metrics (namespace, dimensions) lives in resources/<kind>.ts.
import type { CloudWatchMetric } from '../slo/model.ts';

export type Dimensions = Record<string, string>;

export function metric(namespace: string, metricName: string, dimensions: Dimensions, stat: string): CloudWatchMetric {
  return { namespace, metricName, dimensions, stat };
}

/** Region and account from an ARN such as arn:aws:sns:us-east-1:123456789012:page. */
export function arnParts(arn: string | undefined): { region: string; accountId: string } | undefined {
  const m = arn ? /^arn:[^:]+:[^:]+:([a-z0-9-]+):(\d{12}):/.exec(arn) : null;
  return m ? { region: m[1], accountId: m[2] } : undefined;
}
