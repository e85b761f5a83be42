// Application Load Balancer (AWS/ApplicationELB): dimensions, the availability and latency SLIs measured
// at the load balancer, the 5xx and p99 preset alarms, and the latency/traffic/errors widgets.
import type { CloudWatchMetric, Service } from '../../slo/model.ts';
import { formatDuration } from '../../slo/duration.ts';
import { metric, type Dimensions } from '../metrics.ts';
import { graph, hline, metricLine } from '../widgets.ts';
import type { AwsResourceMonitoring } from './resource.ts';

const NAMESPACE = 'AWS/ApplicationELB';

/** ALB metrics use the ARN suffix (app/name/id); accept a full ARN too. */
export function albDimension(loadBalancer: string): Dimensions {
  const m = /:loadbalancer\/(.+)$/.exec(loadBalancer);
  return { LoadBalancer: m ? m[1] : loadBalancer };
}

export function targetGroupDimension(targetGroup: string): string {
  const m = /:(targetgroup\/.+)$/.exec(targetGroup);
  return m ? m[1] : targetGroup;
}

/** The ALB's availability SLI: 5xx from targets and from the load balancer itself over all requests. */
export function albAvailabilityMetrics(service: Service): { errors: CloudWatchMetric[]; total: CloudWatchMetric[] } | undefined {
  const alb = service.aws?.alb;
  if (!alb) return undefined;
  const dims = albDimension(alb.loadBalancer);
  return {
    errors: [metric(NAMESPACE, 'HTTPCode_Target_5XX_Count', dims, 'Sum'), metric(NAMESPACE, 'HTTPCode_ELB_5XX_Count', dims, 'Sum')],
    total: [metric(NAMESPACE, 'RequestCount', dims, 'Sum')],
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
    errors: [metric(NAMESPACE, 'TargetResponseTime', dims, `TC(${thresholdSeconds}:)`)],
    total: [metric(NAMESPACE, 'TargetResponseTime', dims, 'SampleCount')],
  };
}

export const alb: AwsResourceMonitoring = {
  presets(service) {
    const lb = service.aws?.alb;
    if (!lb) return [];
    const dims = albDimension(lb.loadBalancer);
    return [
      {
        name: 'alb-5xx',
        namespace: NAMESPACE,
        metricName: 'HTTPCode_Target_5XX_Count',
        dimensions: dims,
        stat: 'Sum',
        comparison: 'GreaterThanThreshold',
        missing: 'notBreaching',
        describe: (t, p) => `more than ${t} target 5xx responses per ${formatDuration(p.period)} (${p.datapointsToAlarm} of ${p.evaluationPeriods} periods)`,
      },
      {
        name: 'alb-p99',
        namespace: NAMESPACE,
        metricName: 'TargetResponseTime',
        dimensions: dims,
        stat: 'p99',
        comparison: 'GreaterThanThreshold',
        missing: 'notBreaching',
        describe: (t, p) => `p99 target response time above ${t}s for ${formatDuration(p.period * p.evaluationPeriods)}`,
      },
    ];
  },
  widgets(service, region, options) {
    const lb = service.aws?.alb;
    if (!lb) return [];
    const dims = albDimension(lb.loadBalancer);
    const m = (metricName: string) => ({ namespace: NAMESPACE, metricName, dimensions: dims });
    const p99 = options.presets['alb-p99'];
    return [
      graph(
        'Latency (ALB target response time)',
        region,
        [
          metricLine(m('TargetResponseTime'), { stat: 'p50', label: 'p50' }),
          metricLine(m('TargetResponseTime'), { stat: 'p95', label: 'p95' }),
          metricLine(m('TargetResponseTime'), { stat: 'p99', label: 'p99' }),
        ],
        { period: 60, yAxis: { left: { min: 0, label: 'seconds', showUnits: false } }, ...(p99.enabled ? { annotations: hline('p99 alarm', p99.threshold) } : {}) },
      ),
      graph('Traffic (requests per minute)', region, [metricLine(m('RequestCount'), { stat: 'Sum', label: 'requests' })], { period: 60 }),
      graph('Errors (4xx / 5xx per 5 min)', region, [
        metricLine(m('HTTPCode_Target_4XX_Count'), { stat: 'Sum', label: 'target 4xx', id: 'c4' }),
        metricLine(m('HTTPCode_Target_5XX_Count'), { stat: 'Sum', label: 'target 5xx', id: 'c5' }),
        metricLine(m('HTTPCode_ELB_5XX_Count'), { stat: 'Sum', label: 'ALB 5xx', id: 'l5' }),
        metricLine(m('RequestCount'), { stat: 'Sum', id: 'rq', visible: false }),
        [{ expression: '100*FILL(c4,0)/rq', label: '4xx %', id: 'r4', yAxis: 'right' }],
        [{ expression: '100*(FILL(c5,0)+FILL(l5,0))/rq', label: '5xx %', id: 'r5', yAxis: 'right' }],
      ]),
    ];
  },
};
