// What solida knows about one kind of AWS resource, in one file per kind (resources/<kind>.ts): where
// it publishes metrics (namespace, dimensions), the preset alarms on its golden signals, and its
// dashboard widgets. Adding a resource kind = one such file + one entry in resources/index.ts.
import type { Service } from '../../slo/model.ts';
import type { CloudWatchOptions, PresetName, PresetSettings } from '../options.ts';
import type { Dimensions } from '../metrics.ts';
import type { Sized } from '../widgets.ts';

/** A threshold alarm on one metric of a resource; alarms.ts turns it into a PutMetricAlarm input. */
export interface PresetSpec {
  name: PresetName;
  namespace: string;
  metricName: string;
  dimensions: Dimensions;
  stat: string;
  comparison: 'GreaterThanThreshold' | 'LessThanThreshold';
  missing: 'notBreaching' | 'missing';
  describe: (threshold: number, p: PresetSettings) => string;
}

export interface AwsResourceMonitoring {
  /** Preset alarms for the service's resource of this kind (none when it declares none); notes say what was skipped. */
  presets(service: Service, notes: string[]): PresetSpec[];
  /** Golden-signal widgets for the service dashboard (none when it declares no resource of this kind). */
  widgets(service: Service, region: string, options: CloudWatchOptions): Sized[];
}
