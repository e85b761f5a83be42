// The SLO page alarms that stop a game day: the per-SLO "page" composite alarms the CloudWatch generator
// creates (named by its own naming function, so the two can never disagree).
import { sloAlarmNames } from '../cloudwatch/alarms.ts';
import type { SolidaModel } from '../slo/model.ts';

/** Names of the page alarms of the SLOs of `services` (all services when empty) that have a page tier. */
export function pageAlarmNames(model: SolidaModel, prefix: string, services: string[] = []): string[] {
  return model.slos
    .filter((slo) => services.length === 0 || services.includes(slo.service))
    .filter((slo) => slo.alerting.tiers.some((t) => t.enabled && t.severity === 'page'))
    .map((slo) => sloAlarmNames(prefix, slo).severity('page'));
}
