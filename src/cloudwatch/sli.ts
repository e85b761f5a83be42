// Which CloudWatch metrics measure an SLO. CloudWatch cannot run PromQL, so a Prometheus SLI only maps
// when a CloudWatch metric measures the same events: the golden availability and latency SLIs of a
// service behind an ALB are measured at the load balancer (every request passes through it). Any other
// Prometheus SLI is skipped with a note; declare `sli.cloudwatch` (e.g. the exporter's EMF metrics) to cover it.
import type { CloudWatchMetric, Service, Slo } from '../slo/model.ts';
import { albAvailabilityMetrics, albLatencyMetrics } from './resources/alb.ts';

export interface ResolvedCloudWatchSli {
  errors: CloudWatchMetric[];
  total: CloudWatchMetric[];
  /** How the SLI was obtained, for descriptions and notes. */
  origin: 'declared' | 'alb-availability' | 'alb-latency';
}

export type SliResolution = { ok: true; sli: ResolvedCloudWatchSli } | { ok: false; reason: string };

export function resolveCloudWatchSli(slo: Slo, service: Service | undefined): SliResolution {
  const sli = slo.sli;
  if (sli.source === 'cloudwatch') {
    return { ok: true, sli: { errors: sli.errors, total: sli.total, origin: 'declared' } };
  }
  const origin = sli.origin;
  if (origin.kind === 'golden' && !origin.route && service?.aws?.alb) {
    if (origin.signal === 'availability') {
      return { ok: true, sli: { ...albAvailabilityMetrics(service)!, origin: 'alb-availability' } };
    }
    if (origin.thresholdSeconds !== undefined) {
      return { ok: true, sli: { ...albLatencyMetrics(service, origin.thresholdSeconds)!, origin: 'alb-latency' } };
    }
  }
  const why =
    origin.kind === 'golden' && origin.route
      ? `its golden SLI is per route (${origin.route}); the ALB only measures the whole service`
      : origin.kind === 'golden'
        ? `service "${slo.service}" declares no aws.alb to measure it at`
        : `its SLI is a PromQL query (${origin.kind}), which CloudWatch cannot evaluate`;
  return {
    ok: false,
    reason: `SLO ${slo.id}: no CloudWatch alarms or SLO widgets: ${why}; declare sli.cloudwatch (e.g. the exporter's EMF metrics) to cover it`,
  };
}
