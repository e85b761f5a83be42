// Every AWS resource kind solida monitors, in dashboard order. A new kind: add resources/<kind>.ts
// (dimensions, presets, widgets), list it here, and add its field to the aws schema in slo/config.ts.
import type { Service } from '../../slo/model.ts';
import { PRESET_NAMES, type CloudWatchOptions } from '../options.ts';
import type { Sized } from '../widgets.ts';
import { alb } from './alb.ts';
import { cloudfront } from './cloudfront.ts';
import { ecs } from './ecs.ts';
import { lambda } from './lambda.ts';
import { rds } from './rds.ts';
import type { AwsResourceMonitoring, PresetSpec } from './resource.ts';
import { sqs } from './sqs.ts';

export const RESOURCES: readonly AwsResourceMonitoring[] = [alb, ecs, rds, sqs, lambda, cloudfront];

/** The preset alarms of all of a service's resources, in PRESET_NAMES order. */
export function presetSpecs(service: Service, notes: string[]): PresetSpec[] {
  const specs = RESOURCES.flatMap((r) => r.presets(service, notes));
  return specs.sort((a, b) => PRESET_NAMES.indexOf(a.name) - PRESET_NAMES.indexOf(b.name));
}

/** Golden-signal widgets of all of a service's resources, in dashboard order. */
export function goldenWidgets(service: Service, region: string, options: CloudWatchOptions): Sized[] {
  return RESOURCES.flatMap((r) => r.widgets(service, region, options));
}
