// Native CloudWatch Application Signals SLOs from the same spec: one CreateServiceLevelObjective request
// per SLO that CloudWatch can measure. The SLI is request-based (bad requests over total requests, from the
// CloudWatch metrics the spec names or the ALB's), the goal keeps the SLO's window (rolling, or calendar
// month/week) and objective, and the burn-rate configurations are the look-back windows of the spec's
// enabled alert tiers, so the service computes the same burn rates solida's alarms evaluate.
// Pure: no AWS calls; src/aws/application-signals.ts validates and sends these.
import type {
  CreateServiceLevelObjectiveInput,
  MetricDataQuery,
} from '@aws-sdk/client-application-signals';
import type { CloudWatchMetric, Service, Slo, SolidaModel } from '../slo/model.ts';
import { resolveCloudWatchSli } from './sli.ts';
import { MANAGED_BY_TAG, MANAGED_BY_VALUE } from './alarms.ts';

/** BurnRateConfiguration.LookBackWindowMinutes is 1..10080 (7 days); at most 10 per SLO. */
export const MAX_LOOK_BACK_MINUTES = 10_080;
export const MAX_BURN_RATE_CONFIGURATIONS = 10;
/** The metric period of the SLI (SLIPeriodSeconds is 60..900; request-based SLIs sum per minute). */
export const SLI_PERIOD_SECONDS = 60;
/**
 * First calendar interval: 2024-01-01T00:00:00Z is both a Monday and the first of a month, so months start
 * on the 1st and weeks on Mondays, 00:00 UTC, as solida's calendar windows do.
 */
export const CALENDAR_START = new Date('2024-01-01T00:00:00Z');

export interface ApplicationSignalsOptions {
  prefix: string;
  tags?: Record<string, string>;
}

export interface ApplicationSignalsArtifacts {
  prefix: string;
  requests: CreateServiceLevelObjectiveInput[];
  /** SLOs left out, tiers whose windows the service cannot take, and why. */
  notes: string[];
}

const NAME_PATTERN = /^[0-9A-Za-z][-._0-9A-Za-z ]{0,126}[0-9A-Za-z]$/;

export function sloName(prefix: string, slo: Slo): string {
  return `${prefix}-${slo.id}`.replace(/[^-._0-9A-Za-z ]/g, '-').slice(0, 128).replace(/[^0-9A-Za-z]+$/, '');
}

/** Sum of metrics as MetricDataQueries with exactly one query returning data, as the service requires. */
export function sumQueries(idPrefix: string, label: string, metrics: CloudWatchMetric[]): MetricDataQuery[] {
  const stat = (m: CloudWatchMetric, i: number, returnData: boolean): MetricDataQuery => ({
    Id: `${idPrefix}${i}`,
    MetricStat: {
      Metric: { Namespace: m.namespace, MetricName: m.metricName, Dimensions: Object.entries(m.dimensions).sort(([a], [b]) => a.localeCompare(b)).map(([Name, Value]) => ({ Name, Value })) },
      Period: SLI_PERIOD_SECONDS,
      Stat: m.stat,
    },
    ReturnData: returnData,
    ...(returnData ? { Label: label } : {}),
  });
  if (metrics.length === 1) return [stat(metrics[0], 0, true)];
  // A minute with no 5xx has no datapoint: FILL(…, 0) keeps the sum defined instead of missing.
  return [
    ...metrics.map((m, i) => stat(m, i, false)),
    { Id: idPrefix, Expression: metrics.map((_, i) => `FILL(${idPrefix}${i}, 0)`).join(' + '), Label: label, ReturnData: true },
  ];
}

/** The SLO window as the goal's interval. */
export function interval(slo: Slo): NonNullable<CreateServiceLevelObjectiveInput['Goal']>['Interval'] {
  const w = slo.window;
  if (w.kind === 'calendar') {
    return w.unit === 'month'
      ? { CalendarInterval: { StartTime: CALENDAR_START, DurationUnit: 'MONTH', Duration: 1 } }
      : { CalendarInterval: { StartTime: CALENDAR_START, DurationUnit: 'DAY', Duration: 7 } };
  }
  const s = w.duration.seconds;
  if (s % 86_400 === 0) return { RollingInterval: { DurationUnit: 'DAY', Duration: s / 86_400 } };
  if (s % 3600 === 0) return { RollingInterval: { DurationUnit: 'HOUR', Duration: s / 3600 } };
  return { RollingInterval: { DurationUnit: 'MINUTE', Duration: Math.max(1, Math.round(s / 60)) } };
}

/** Look-back windows (minutes) of the enabled tiers: long and short window of each, once. */
export function burnRateWindows(slo: Slo, notes: string[]): number[] {
  const minutes = new Set<number>();
  for (const tier of slo.alerting.tiers.filter((t) => t.enabled)) {
    for (const w of [tier.longWindow, tier.shortWindow]) {
      const m = Math.round(w.seconds / 60);
      if (m >= 1 && m <= MAX_LOOK_BACK_MINUTES) minutes.add(m);
      else notes.push(`SLO ${slo.id} tier ${tier.name}: window ${w.text} is outside Application Signals' burn-rate look-back range (1 min to 7 d); not configured`);
    }
  }
  const sorted = [...minutes].sort((a, b) => a - b);
  if (sorted.length > MAX_BURN_RATE_CONFIGURATIONS) {
    notes.push(`SLO ${slo.id}: ${sorted.length} distinct tier windows, Application Signals takes ${MAX_BURN_RATE_CONFIGURATIONS}; the longest are left out`);
  }
  return sorted.slice(0, MAX_BURN_RATE_CONFIGURATIONS);
}

function request(slo: Slo, service: Service | undefined, opts: ApplicationSignalsOptions, notes: string[]): CreateServiceLevelObjectiveInput | undefined {
  const resolved = resolveCloudWatchSli(slo, service);
  if (!resolved.ok) {
    notes.push(resolved.reason.replace('no CloudWatch alarms or SLO widgets', 'no Application Signals SLO'));
    return undefined;
  }
  const name = sloName(opts.prefix, slo);
  if (!NAME_PATTERN.test(name)) {
    notes.push(`SLO ${slo.id}: name "${name}" is not a valid Application Signals SLO name; skipped`);
    return undefined;
  }
  const tags = { ...opts.tags, [MANAGED_BY_TAG]: MANAGED_BY_VALUE, 'solida:slo': slo.id };
  const description = slo.description ?? `${slo.objective}% of ${slo.service} ${slo.name} over ${slo.window.kind === 'calendar' ? `each calendar ${slo.window.unit}` : slo.window.duration.text}`;
  return {
    Name: name,
    Description: `${description} (managed by solida)`.slice(0, 1024),
    RequestBasedSliConfig: {
      RequestBasedSliMetricConfig: {
        TotalRequestCountMetric: sumQueries('total', `${slo.id} requests`, resolved.sli.total),
        MonitoredRequestCountMetric: { BadCountMetric: sumQueries('bad', `${slo.id} bad requests`, resolved.sli.errors) },
      },
    },
    Goal: { Interval: interval(slo), AttainmentGoal: slo.objective },
    BurnRateConfigurations: burnRateWindows(slo, notes).map((LookBackWindowMinutes) => ({ LookBackWindowMinutes })),
    Tags: Object.entries(tags).sort(([a], [b]) => a.localeCompare(b)).map(([Key, Value]) => ({ Key, Value })),
  };
}

export function generateApplicationSignals(model: SolidaModel, opts: ApplicationSignalsOptions): ApplicationSignalsArtifacts {
  const notes: string[] = [];
  const services = new Map(model.services.map((s) => [s.name, s]));
  const requests = model.slos.map((slo) => request(slo, services.get(slo.service), opts, notes)).filter((r): r is CreateServiceLevelObjectiveInput => !!r);
  return { prefix: opts.prefix, requests, notes };
}
