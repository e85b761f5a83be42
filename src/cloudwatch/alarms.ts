// SolidaModel → CloudWatch alarms (exact PutMetricAlarm / PutCompositeAlarm inputs). Pure: no AWS calls.
//
// Multiwindow, multi-burn-rate alerting (SRE workbook ch. 5) in CloudWatch terms:
//   - per tier, two metric-math alarms on the error ratio, one over the long window and one over the
//     short window: Period = window, EvaluationPeriods = 1, so each evaluation sees the errors and the
//     requests summed over exactly one window (CloudWatch's default sliding evaluation window);
//     the alarm fires when ratio > burnRate × errorBudget, the same test as the Prometheus rule;
//   - per tier, a composite `ALARM(long) AND ALARM(short)`;
//   - per severity, a composite `ALARM(tier) OR ALARM(tier) …` that carries the SNS action.
// Window alarms treat missing data as not breaching: no traffic means no budget is being burned.
//
// Limit: Period × EvaluationPeriods ≤ 86,400 s (the PutMetricAlarm model). A longer window (the workbook's
// 3-day ticket tier) is evaluated over the longest allowed window instead, which makes that tier fire
// sooner on shorter bursts; the alarm description and the generation notes say so.
import type { PutCompositeAlarmInput, PutMetricAlarmInput, Tag } from '@aws-sdk/client-cloudwatch';
import type { AlertTier, Service, Severity, Slo, SolidaModel } from '../slo/model.ts';
import type { CloudWatchOptions, PresetName } from './options.ts';
import { formatDuration } from '../slo/duration.ts';
import { arnParts, type Dimensions } from './metrics.ts';
import { presetSpecs } from './resources/index.ts';
import { cleanNumber, isStandardStatistic, ratioQueries, windowPeriod } from './math.ts';
import { resolveCloudWatchSli, type ResolvedCloudWatchSli } from './sli.ts';

export interface CloudWatchAlarms {
  metricAlarms: PutMetricAlarmInput[];
  compositeAlarms: PutCompositeAlarmInput[];
  /** What was skipped or approximated, for the person running the generator. */
  notes: string[];
}

export const MANAGED_BY_TAG = 'managed-by';
export const MANAGED_BY_VALUE = 'solida';

/** Whether a resource's tags carry solida's ownership mark: only then may plan/apply change or delete it. */
export function isManagedBySolida(tags: readonly { Key?: string; Value?: string }[] | undefined): boolean {
  return (tags ?? []).some((t) => t.Key === MANAGED_BY_TAG && t.Value === MANAGED_BY_VALUE);
}

export function alarmName(prefix: string, ...parts: string[]): string {
  return [prefix, ...parts].join('-');
}

/** The names of an SLO's alarms, shared with the dashboards. */
export function sloAlarmNames(prefix: string, slo: Slo) {
  return {
    window: (tier: AlertTier, which: 'long' | 'short') => alarmName(prefix, slo.id, tier.name, which),
    tier: (tier: AlertTier) => alarmName(prefix, slo.id, tier.name),
    severity: (severity: Severity) => alarmName(prefix, slo.id, severity),
    noData: () => alarmName(prefix, slo.id, 'no-data'),
  };
}

export function presetAlarmName(prefix: string, service: string, preset: PresetName): string {
  return alarmName(prefix, service, preset);
}

function tags(options: CloudWatchOptions, extra: Record<string, string>): Tag[] {
  const all = { ...options.tags, [MANAGED_BY_TAG]: MANAGED_BY_VALUE, 'solida:prefix': options.prefix, ...extra };
  return Object.entries(all).map(([Key, Value]) => ({ Key, Value }));
}

function dimensionList(d: Dimensions) {
  return Object.entries(d)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([Name, Value]) => ({ Name, Value }));
}

function snsTopic(service: Service | undefined, severity: Severity): string[] {
  const arn = service?.aws?.sns?.[severity];
  return arn ? [arn] : [];
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function generateCloudWatchAlarms(model: SolidaModel, options: CloudWatchOptions): CloudWatchAlarms {
  const out: CloudWatchAlarms = { metricAlarms: [], compositeAlarms: [], notes: [] };
  for (const slo of model.slos) {
    const service = model.services.find((s) => s.name === slo.service);
    const resolved = resolveCloudWatchSli(slo, service);
    if (!resolved.ok) {
      out.notes.push(resolved.reason);
      continue;
    }
    if (resolved.sli.origin !== 'declared') {
      out.notes.push(`SLO ${slo.id}: measured in CloudWatch at the ALB (${resolved.sli.origin})`);
    }
    sloAlarms(out, slo, service, resolved.sli, options);
  }
  for (const service of model.services) presetAlarms(out, service, options);
  return out;
}

function sloAlarms(out: CloudWatchAlarms, slo: Slo, service: Service | undefined, sli: ResolvedCloudWatchSli, options: CloudWatchOptions): void {
  const names = sloAlarmNames(options.prefix, slo);
  const sloTags = { 'solida:service': slo.service, 'solida:slo': slo.name };
  const bySeverity = new Map<Severity, string[]>();
  for (const tier of slo.alerting.tiers) {
    if (!tier.enabled) continue;
    const threshold = cleanNumber(tier.burnRate * slo.errorBudget);
    for (const which of ['long', 'short'] as const) {
      const window = which === 'long' ? tier.longWindow : tier.shortWindow;
      let period = windowPeriod(window.seconds);
      let approx = '';
      if (period > options.maxEvaluationSeconds) {
        period = Math.floor(options.maxEvaluationSeconds / 60) * 60;
        approx = ` Approximation: the ${window.text} window is evaluated over ${formatDuration(period)} (CloudWatch's longest alarm evaluation range).`;
        out.notes.push(`SLO ${slo.id} tier ${tier.name}: ${which} window ${window.text} exceeds CloudWatch's ${formatDuration(options.maxEvaluationSeconds)} alarm range; evaluated over ${formatDuration(period)}`);
      }
      const q = ratioQueries(sli, period);
      out.metricAlarms.push({
        AlarmName: names.window(tier, which),
        AlarmDescription: truncate(
          `SLO ${slo.id} (${slo.objective}%): error ratio over ${formatDuration(period)} > ${threshold} ` +
            `(burn rate ${tier.burnRate} x budget ${cleanNumber(slo.errorBudget)}); ${which} window of tier ${tier.name}.${approx} Managed by solida.`,
          1024,
        ),
        ActionsEnabled: true,
        Metrics: [...q.metrics, { Id: 'ratio', Expression: q.ratio, Label: `error ratio ${formatDuration(period)}`, ReturnData: true }],
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        Tags: tags(options, { ...sloTags, 'solida:tier': tier.name }),
      });
    }
    if (tier.for.seconds > 0) {
      out.notes.push(`SLO ${slo.id} tier ${tier.name}: "for: ${tier.for.text}" has no CloudWatch composite equivalent; it fires as soon as both windows breach`);
    }
    out.compositeAlarms.push({
      AlarmName: names.tier(tier),
      AlarmDescription: `SLO ${slo.id}: tier ${tier.name} (${tier.severity}) burns the error budget ${tier.burnRate}x too fast over ${tier.longWindow.text} and ${tier.shortWindow.text}. Managed by solida.`,
      AlarmRule: `ALARM("${names.window(tier, 'long')}") AND ALARM("${names.window(tier, 'short')}")`,
      ActionsEnabled: true,
      Tags: tags(options, { ...sloTags, 'solida:tier': tier.name }),
    });
    const list = bySeverity.get(tier.severity) ?? [];
    list.push(names.tier(tier));
    bySeverity.set(tier.severity, list);
  }

  const noData = slo.alerting.noData;
  if (noData.enabled) {
    const m = sli.total[0];
    const evaluationPeriods = Math.max(1, Math.min(Math.ceil(noData.for.seconds / 60), Math.floor(options.maxEvaluationSeconds / 60)));
    out.metricAlarms.push({
      AlarmName: names.noData(),
      AlarmDescription: `SLO ${slo.id}: no ${m.metricName} data for ${formatDuration(evaluationPeriods * 60)} (no traffic, or the metric stopped). Managed by solida.`,
      ActionsEnabled: true,
      Namespace: m.namespace,
      MetricName: m.metricName,
      Dimensions: dimensionList(m.dimensions),
      ...(isStandardStatistic(m.stat) ? { Statistic: m.stat as 'Sum' } : { ExtendedStatistic: m.stat }),
      Period: 60,
      EvaluationPeriods: evaluationPeriods,
      DatapointsToAlarm: evaluationPeriods,
      // Never true for a present datapoint: only missing data (treated as breaching) raises it.
      Threshold: 0,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      Tags: tags(options, { ...sloTags, 'solida:tier': 'no-data' }),
    });
    const list = bySeverity.get(noData.severity) ?? [];
    list.push(names.noData());
    bySeverity.set(noData.severity, list);
  }

  for (const [severity, children] of bySeverity) {
    const actions = snsTopic(service, severity);
    if (actions.length === 0) {
      out.notes.push(`SLO ${slo.id}: service "${slo.service}" declares no aws.sns.${severity} topic; the ${severity} alarm notifies nobody`);
    }
    out.compositeAlarms.push({
      AlarmName: names.severity(severity),
      AlarmDescription: `SLO ${slo.id}: ${severity} when any ${severity} tier fires. ${slo.alerting.runbookUrl ? `Runbook: ${slo.alerting.runbookUrl}. ` : ''}Managed by solida.`,
      AlarmRule: children.map((c) => `ALARM("${c}")`).join(' OR '),
      ActionsEnabled: true,
      ...(actions.length ? { AlarmActions: actions, OKActions: actions } : {}),
      Tags: tags(options, { ...sloTags, 'solida:severity': severity }),
    });
  }
}

function presetAlarms(out: CloudWatchAlarms, service: Service, options: CloudWatchOptions): void {
  for (const spec of presetSpecs(service, out.notes)) {
    const p = options.presets[spec.name];
    if (!p.enabled) continue;
    const actions = snsTopic(service, p.severity);
    if (actions.length === 0) out.notes.push(`service ${service.name}: preset ${spec.name} notifies nobody: no aws.sns.${p.severity} topic`);
    out.metricAlarms.push({
      AlarmName: presetAlarmName(options.prefix, service.name, spec.name),
      AlarmDescription: `${service.name}: ${spec.describe(p.threshold, p)} (${p.severity}). Managed by solida.`,
      ActionsEnabled: true,
      ...(actions.length ? { AlarmActions: actions, OKActions: actions } : {}),
      Namespace: spec.namespace,
      MetricName: spec.metricName,
      Dimensions: dimensionList(spec.dimensions),
      ...(isStandardStatistic(spec.stat) ? { Statistic: spec.stat as 'Average' } : { ExtendedStatistic: spec.stat }),
      Period: p.period,
      EvaluationPeriods: p.evaluationPeriods,
      DatapointsToAlarm: p.datapointsToAlarm,
      Threshold: p.threshold,
      ComparisonOperator: spec.comparison,
      TreatMissingData: spec.missing,
      Tags: tags(options, { 'solida:service': service.name, 'solida:preset': spec.name, 'solida:severity': p.severity }),
    });
  }
}

/** The region and account of a service's resources, for dashboards and ARNs. */
export function serviceTarget(service: Service, options: CloudWatchOptions): { region: string; accountId?: string } {
  const fromSns = arnParts(service.aws?.sns?.page) ?? arnParts(service.aws?.sns?.ticket);
  return {
    region: service.aws?.region ?? options.region ?? fromSns?.region ?? 'us-east-1',
    accountId: options.accountId ?? fromSns?.accountId,
  };
}
