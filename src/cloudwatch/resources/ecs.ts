// ECS service (AWS/ECS): per-service dimensions, CPU and memory preset alarms, and their widget.
import type { AwsResources } from '../../slo/model.ts';
import { formatDuration } from '../../slo/duration.ts';
import type { Dimensions } from '../metrics.ts';
import { graph, metricLine } from '../widgets.ts';
import type { AwsResourceMonitoring, PresetSpec } from './resource.ts';

const NAMESPACE = 'AWS/ECS';

export function ecsDimensions(ecs: NonNullable<AwsResources['ecs']>): Dimensions {
  return { ClusterName: ecs.cluster, ServiceName: ecs.service };
}

export const ecs: AwsResourceMonitoring = {
  presets(service) {
    const e = service.aws?.ecs;
    if (!e) return [];
    const dims = ecsDimensions(e);
    return (
      [
        ['ecs-cpu', 'CPUUtilization', 'CPU'],
        ['ecs-memory', 'MemoryUtilization', 'memory'],
      ] as const
    ).map(([name, metricName, what]): PresetSpec => ({
      name,
      namespace: NAMESPACE,
      metricName,
      dimensions: dims,
      stat: 'Average',
      comparison: 'GreaterThanThreshold',
      missing: 'missing',
      describe: (t, p) => `ECS service ${what} above ${t}% for ${formatDuration(p.period * p.evaluationPeriods)}`,
    }));
  },
  widgets(service, region) {
    const e = service.aws?.ecs;
    if (!e) return [];
    const dims = ecsDimensions(e);
    return [
      graph(
        'ECS CPU / memory (%)',
        region,
        [
          metricLine({ namespace: NAMESPACE, metricName: 'CPUUtilization', dimensions: dims }, { stat: 'Average', label: 'CPU' }),
          metricLine({ namespace: NAMESPACE, metricName: 'MemoryUtilization', dimensions: dims }, { stat: 'Average', label: 'memory' }),
        ],
        { yAxis: { left: { min: 0, max: 100 } } },
      ),
    ];
  },
};
