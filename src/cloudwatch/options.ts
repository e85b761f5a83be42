// CloudWatch generation options: naming prefix, preset alarm thresholds, limits. Kept apart from the SLO
// model because they describe how solida writes CloudWatch resources, not what the service promises.
// The zod schema is ready to become an optional top-level `cloudwatch:` section of solida's config.
import { z } from 'zod';
import type { Severity } from '../slo/model.ts';
import { severitySchema } from '../slo/config.ts';

const presetOverride = z.strictObject({
  enabled: z.boolean().optional(),
  threshold: z.number().optional(),
  /** Seconds; 10, 30 or a multiple of 60. */
  period: z.number().int().positive().optional(),
  evaluationPeriods: z.number().int().positive().optional(),
  datapointsToAlarm: z.number().int().positive().optional(),
  severity: severitySchema.optional(),
});

export const PRESET_NAMES = ['alb-5xx', 'alb-p99', 'rds-cpu', 'rds-free-storage', 'ecs-cpu', 'ecs-memory'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export const cloudWatchOptionsSchema = z.strictObject({
  /** Prefix of every alarm and dashboard name; solida only ever touches names under it. */
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, - and _ (dashboard names allow nothing else), at most 64')
    .optional(),
  /** Account id for alarm ARNs in alarm-status widgets (default: taken from the SNS topic ARNs). */
  accountId: z.string().regex(/^\d{12}$/).optional(),
  /** Region of metrics when a service does not declare aws.region (default: from SNS ARNs, else us-east-1). */
  region: z.string().optional(),
  /**
   * Longest alarm evaluation range, Period × EvaluationPeriods, in seconds. The CloudWatch API model says
   * one day (86400); accounts where AWS has since allowed 7 days for hourly periods may raise it to 604800.
   */
  maxEvaluationSeconds: z.number().int().min(60).max(604800).optional(),
  /** Preset golden-signal alarms of the reference architecture, by name. */
  presets: z.partialRecord(z.enum(PRESET_NAMES), presetOverride).optional(),
  /** Extra tags on every alarm. */
  tags: z.record(z.string(), z.string()).optional(),
});

export type CloudWatchOptionsInput = z.input<typeof cloudWatchOptionsSchema>;

export interface PresetSettings {
  enabled: boolean;
  threshold: number;
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  severity: Severity;
}

export interface CloudWatchOptions {
  prefix: string;
  accountId?: string;
  region?: string;
  maxEvaluationSeconds: number;
  presets: Record<PresetName, PresetSettings>;
  tags: Record<string, string>;
}

/**
 * The reference architecture's alarms (Nube Sólida §5.3): 5xx > 100 per 5 min, p99 > 1 s, RDS CPU > 80 %,
 * RDS free storage < 10 GiB. ECS CPU/memory > 80 % for 15 min complete the saturation signal.
 */
export const DEFAULT_PRESETS: Record<PresetName, PresetSettings> = {
  'alb-5xx': { enabled: true, threshold: 100, period: 300, evaluationPeriods: 2, datapointsToAlarm: 2, severity: 'page' },
  'alb-p99': { enabled: true, threshold: 1, period: 60, evaluationPeriods: 3, datapointsToAlarm: 3, severity: 'page' },
  'rds-cpu': { enabled: true, threshold: 80, period: 300, evaluationPeriods: 2, datapointsToAlarm: 2, severity: 'ticket' },
  'rds-free-storage': { enabled: true, threshold: 10 * 1024 ** 3, period: 300, evaluationPeriods: 1, datapointsToAlarm: 1, severity: 'ticket' },
  'ecs-cpu': { enabled: true, threshold: 80, period: 300, evaluationPeriods: 3, datapointsToAlarm: 3, severity: 'ticket' },
  'ecs-memory': { enabled: true, threshold: 80, period: 300, evaluationPeriods: 3, datapointsToAlarm: 3, severity: 'ticket' },
};

export const DEFAULT_PREFIX = 'solida';
/** PutMetricAlarm: "Period multiplied by EvaluationPeriods cannot be more than 86,400 seconds". */
export const API_MAX_EVALUATION_SECONDS = 86400;

export function resolveCloudWatchOptions(input: CloudWatchOptionsInput = {}): CloudWatchOptions {
  const parsed = cloudWatchOptionsSchema.parse(input);
  const presets = {} as Record<PresetName, PresetSettings>;
  for (const name of PRESET_NAMES) {
    const o = parsed.presets?.[name] ?? {};
    const base = DEFAULT_PRESETS[name];
    const evaluationPeriods = o.evaluationPeriods ?? base.evaluationPeriods;
    presets[name] = {
      enabled: o.enabled ?? base.enabled,
      threshold: o.threshold ?? base.threshold,
      period: o.period ?? base.period,
      evaluationPeriods,
      datapointsToAlarm: o.datapointsToAlarm ?? Math.min(base.datapointsToAlarm, evaluationPeriods),
      severity: o.severity ?? base.severity,
    };
  }
  return {
    prefix: parsed.prefix ?? DEFAULT_PREFIX,
    accountId: parsed.accountId,
    region: parsed.region,
    maxEvaluationSeconds: parsed.maxEvaluationSeconds ?? API_MAX_EVALUATION_SECONDS,
    presets,
    tags: parsed.tags ?? {},
  };
}
