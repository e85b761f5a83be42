// RDS instance or Aurora cluster (AWS/RDS): dimensions, CPU and free-storage preset alarms (no free
// storage metric for Aurora clusters), and the CPU/connections/storage widgets.
import type { AwsResources } from '../../slo/model.ts';
import { formatDuration } from '../../slo/duration.ts';
import type { Dimensions } from '../metrics.ts';
import { cleanNumber } from '../math.ts';
import { graph, hline, metricLine, type Sized } from '../widgets.ts';
import type { AwsResourceMonitoring, PresetSpec } from './resource.ts';

const NAMESPACE = 'AWS/RDS';

/** RDS metrics per instance, or per cluster for Aurora (DBClusterIdentifier). */
export function rdsDimensions(rds: NonNullable<AwsResources['rds']>): Dimensions | undefined {
  if (rds.instance) return { DBInstanceIdentifier: rds.instance };
  if (rds.cluster) return { DBClusterIdentifier: rds.cluster };
  return undefined;
}

export const rds: AwsResourceMonitoring = {
  presets(service, notes) {
    const r = service.aws?.rds;
    if (!r) return [];
    const dims = rdsDimensions(r);
    if (!dims) {
      notes.push(`service ${service.name}: aws.rds names neither instance nor cluster; RDS presets skipped`);
      return [];
    }
    const specs: PresetSpec[] = [
      {
        name: 'rds-cpu',
        namespace: NAMESPACE,
        metricName: 'CPUUtilization',
        dimensions: dims,
        stat: 'Average',
        comparison: 'GreaterThanThreshold',
        missing: 'missing',
        describe: (t, p) => `RDS CPU above ${t}% for ${formatDuration(p.period * p.evaluationPeriods)}`,
      },
    ];
    if (r.instance) {
      specs.push({
        name: 'rds-free-storage',
        namespace: NAMESPACE,
        metricName: 'FreeStorageSpace',
        dimensions: dims,
        stat: 'Average',
        comparison: 'LessThanThreshold',
        missing: 'missing',
        describe: (t) => `RDS free storage below ${cleanNumber(t / 1024 ** 3)} GiB`,
      });
    } else {
      notes.push(`service ${service.name}: rds-free-storage preset skipped: Aurora clusters (aws.rds.cluster) have no FreeStorageSpace metric; declare aws.rds.instance`);
    }
    return specs;
  },
  widgets(service, region, options) {
    const r = service.aws?.rds;
    const dims = r ? rdsDimensions(r) : undefined;
    if (!r || !dims) return [];
    const m = (metricName: string) => ({ namespace: NAMESPACE, metricName, dimensions: dims });
    const cpu = options.presets['rds-cpu'];
    const w: Sized[] = [
      graph('RDS CPU (%)', region, [metricLine(m('CPUUtilization'), { stat: 'Average', label: 'CPU' })], {
        yAxis: { left: { min: 0, max: 100 } },
        ...(cpu.enabled ? { annotations: hline('alarm', cpu.threshold) } : {}),
      }),
      graph('RDS connections', region, [metricLine(m('DatabaseConnections'), { stat: 'Average', label: 'connections' })]),
    ];
    if (r.instance) {
      const storage = options.presets['rds-free-storage'];
      w.push(
        graph('RDS free storage (bytes)', region, [metricLine(m('FreeStorageSpace'), { stat: 'Minimum', label: 'free storage' })], {
          ...(storage.enabled ? { annotations: hline('alarm', storage.threshold) } : {}),
        }),
      );
    }
    return w;
  },
};
