// Where each declared AWS resource publishes its CloudWatch metrics: namespace and dimensions.
// Shared by the dashboards (golden signals), the preset alarms and the ALB-based SLIs.
import type { AwsResources, CloudWatchMetric, Service } from '../slo/model.ts';

export type Dimensions = Record<string, string>;

/** ALB metrics use the ARN suffix (app/name/id); accept a full ARN too. */
export function albDimension(loadBalancer: string): Dimensions {
  const m = /:loadbalancer\/(.+)$/.exec(loadBalancer);
  return { LoadBalancer: m ? m[1] : loadBalancer };
}

export function targetGroupDimension(targetGroup: string): string {
  const m = /:(targetgroup\/.+)$/.exec(targetGroup);
  return m ? m[1] : targetGroup;
}

export function ecsDimensions(ecs: NonNullable<AwsResources['ecs']>): Dimensions {
  return { ClusterName: ecs.cluster, ServiceName: ecs.service };
}

/** RDS metrics per instance, or per cluster for Aurora (DBClusterIdentifier). */
export function rdsDimensions(rds: NonNullable<AwsResources['rds']>): Dimensions | undefined {
  if (rds.instance) return { DBInstanceIdentifier: rds.instance };
  if (rds.cluster) return { DBClusterIdentifier: rds.cluster };
  return undefined;
}

export const CLOUDFRONT_REGION = 'us-east-1';

export function metric(namespace: string, metricName: string, dimensions: Dimensions, stat: string): CloudWatchMetric {
  return { namespace, metricName, dimensions, stat };
}

/** The ALB's availability SLI: 5xx from targets and from the load balancer itself over all requests. */
export function albAvailabilityMetrics(service: Service): { errors: CloudWatchMetric[]; total: CloudWatchMetric[] } | undefined {
  const alb = service.aws?.alb;
  if (!alb) return undefined;
  const dims = albDimension(alb.loadBalancer);
  return {
    errors: [
      metric('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', dims, 'Sum'),
      metric('AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', dims, 'Sum'),
    ],
    total: [metric('AWS/ApplicationELB', 'RequestCount', dims, 'Sum')],
  };
}

/**
 * The ALB's latency SLI: requests slower than the threshold over all requests. TargetResponseTime has
 * one sample per request, so the trimmed count TC(t:) counts the slow ones and SampleCount all of them.
 */
export function albLatencyMetrics(service: Service, thresholdSeconds: number): { errors: CloudWatchMetric[]; total: CloudWatchMetric[] } | undefined {
  const alb = service.aws?.alb;
  if (!alb) return undefined;
  const dims = albDimension(alb.loadBalancer);
  return {
    errors: [metric('AWS/ApplicationELB', 'TargetResponseTime', dims, `TC(${thresholdSeconds}:)`)],
    total: [metric('AWS/ApplicationELB', 'TargetResponseTime', dims, 'SampleCount')],
  };
}

/** Region and account from an ARN such as arn:aws:sns:us-east-1:123456789012:page. */
export function arnParts(arn: string | undefined): { region: string; accountId: string } | undefined {
  const m = arn ? /^arn:[^:]+:[^:]+:([a-z0-9-]+):(\d{12}):/.exec(arn) : null;
  return m ? { region: m[1], accountId: m[2] } : undefined;
}
