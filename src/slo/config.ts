// The authoring form of solida's config: what `solida.config.ts` (via defineConfig) and solida's YAML
// contain. The zod schema is the single source of truth: the TypeScript types are inferred from it, so an
// editor completes exactly the fields the validator accepts. Objects are strict: an unknown field is an
// error (a typo must never be dropped silently).
import { z } from 'zod';

const durationText = z.string().describe('a duration such as 5m, 1h, 30d');
const labels = z.record(z.string(), z.string());
/** Who is told: page (someone now) or ticket (working hours). The one spelling of the two severities. */
export const severitySchema = z.enum(['page', 'ticket']);

const cloudWatchMetric = z.strictObject({
  namespace: z.string().min(1),
  metricName: z.string().min(1),
  dimensions: labels.optional(),
  stat: z.string().min(1).optional(),
});

const eventsSli = z.strictObject({
  /** Counter selector (`http_requests_total{code=~"5.."}`) or query with `{{.window}}`. */
  errors: z.string().optional(),
  good: z.string().optional(),
  total: z.string(),
});

const latencySli = z.strictObject({
  /** Histogram selector, e.g. `http_server_request_duration_seconds{job="api"}` (`_bucket` optional). */
  histogram: z.string(),
  /** Threshold: requests at or under it are good. A duration (300ms) or seconds (0.3). */
  threshold: z.union([z.number().positive(), z.string()]),
  /** The histogram's bucket boundaries in seconds (default: Prometheus client defaults). */
  buckets: z.array(z.number().positive()).optional(),
});

const goldenSli = z.strictObject({
  signal: z.enum(['availability', 'latency']),
  /** Route template as the exporter labels it, e.g. /items/:id (default: all routes). */
  route: z.string().optional(),
  /** Latency threshold (for signal: latency). */
  threshold: z.union([z.number().positive(), z.string()]).optional(),
});

const cloudWatchSli = z.strictObject({
  errors: z.array(cloudWatchMetric).min(1),
  total: z.array(cloudWatchMetric).min(1),
  latencyThreshold: z.union([z.number().positive(), z.string()]).optional(),
});

/** A ready error-ratio query (Sloth's raw SLI); the period budget can then only be a mean of ratios. */
const rawSli = z.strictObject({
  errorRatio: z.string(),
});

const sliInput = z.strictObject({
  events: eventsSli.optional(),
  raw: rawSli.optional(),
  latency: latencySli.optional(),
  golden: goldenSli.optional(),
  cloudwatch: cloudWatchSli.optional(),
});

const tierInput = z.strictObject({
  enabled: z.boolean().optional(),
  severity: severitySchema.optional(),
  /** Multiple of the budget-neutral error rate. Overrides budgetConsumed. */
  burnRate: z.number().positive().optional(),
  /** Percent of the period's budget the tier spends in its long window before firing (workbook: 2, 5, 10, 10). */
  budgetConsumed: z.number().positive().max(100).optional(),
  longWindow: durationText.optional(),
  shortWindow: durationText.optional(),
  for: durationText.optional(),
  labels: labels.optional(),
  annotations: labels.optional(),
});

const alertingInput = z.strictObject({
  /** Alert name shared by every tier (tiers are told apart by the `solida_tier` label). */
  // Prometheus takes any label value as an alert name; Sloth and vmalert users write dashes.
  name: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:.-]*$/, 'must be an alert name: letters, digits, "_", ":", "." and "-"').optional(),
  labels: labels.optional(),
  annotations: labels.optional(),
  runbookUrl: z.string().url().optional(),
  /** Tiers by name; defaults page-1h, page-6h, ticket-1d, ticket-3d. Set enabled: false to drop one. */
  tiers: z.record(z.string().regex(/^[a-z0-9-]+$/, 'tier names are lowercase words with dashes'), tierInput).optional(),
  /** false: only the tiers listed under tiers (no page-1h/page-6h/ticket-1d/ticket-3d defaults). */
  defaultTiers: z.boolean().optional(),
  noData: z.strictObject({ enabled: z.boolean().optional(), for: durationText.optional(), severity: severitySchema.optional() }).optional(),
});

/** Error-budget policy (defaults from common practice: >50% burned in 7 days → freeze; 100% → fixes only). */
export const budgetPolicyInput = z.strictObject({
  /** Percent of the period's budget burned within `within` that freezes features. Default 50. */
  freezeWhenBurnedPercent: z.number().positive().optional(),
  /** Look-back of the freeze rule. Default 7d. */
  within: durationText.optional(),
  /** Percent of the budget burned over the SLO window after which only fixes ship. Default 100. */
  fixesOnlyWhenBurnedPercent: z.number().positive().optional(),
});

const windowInput = z.union([
  durationText,
  z.strictObject({
    calendar: z.enum(['week', 'month']),
    /** IANA time zone the periods start in, e.g. America/New_York. Default UTC. */
    timeZone: z.string().optional(),
    /** When the first period started, "YYYY-MM-DD HH:MM:SS" in timeZone (OpenSLO's calendar.startTime). */
    startTime: z.string().optional(),
  }),
]);

/** Names end up in file names, rule groups and label values: letters, digits, '_', '.', '-'. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const NAME_RULE = 'letters, digits, "_", "." and "-", starting with a letter or digit';

export const sloInput = z.strictObject({
  service: z.string(),
  name: z.string().regex(NAME, `SLO names are ${NAME_RULE}`),
  description: z.string().optional(),
  /** Percent, e.g. 99.9. */
  objective: z.number().gt(0).lt(100),
  /** Rolling window (28d, 30d, 7d…) or { calendar: 'month' | 'week' }. Default 30d. */
  window: windowInput.optional(),
  sli: sliInput,
  /**
   * Labels to keep when aggregating the SLI (e.g. [http_route] or [tenant]): one SLO per label value
   * from one definition — every ratio, budget and alert is per value. Queries written with
   * {{.window}} must keep these labels themselves.
   */
  grouping: z.array(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a Prometheus label name')).optional(),
  alerting: alertingInput.optional(),
  labels: labels.optional(),
  /** Expected traffic in events per second; enables low-traffic warnings. */
  expectedEventsPerSecond: z.number().nonnegative().optional(),
  /** Overrides the config's budgetPolicy for this SLO. */
  budgetPolicy: budgetPolicyInput.optional(),
});

export const awsInput = z.strictObject({
  region: z.string().optional(),
  alb: z.strictObject({ loadBalancer: z.string(), targetGroup: z.string().optional() }).optional(),
  ecs: z.strictObject({ cluster: z.string(), service: z.string() }).optional(),
  rds: z.strictObject({ instance: z.string().optional(), cluster: z.string().optional(), engine: z.string().optional() }).optional(),
  lambda: z.strictObject({ functionName: z.string() }).optional(),
  sqs: z.strictObject({ queueName: z.string() }).optional(),
  cloudfront: z.strictObject({ distributionId: z.string() }).optional(),
  sns: z.strictObject({ page: z.string().optional(), ticket: z.string().optional() }).optional(),
});
/** A service's AWS resources; the model keeps them as given (see AwsResources in model.ts). */
export type AwsConfig = z.infer<typeof awsInput>;
export type SeverityConfig = z.infer<typeof severitySchema>;

export const serviceInput = z.strictObject({
  name: z.string().regex(NAME, `service names are ${NAME_RULE}`),
  description: z.string().optional(),
  /** PromQL label matchers selecting the service's series. Default {job="<name>"}. */
  selector: z.string().optional(),
  labels: labels.optional(),
  aws: awsInput.optional(),
  runbooks: labels.optional(),
});

export const configSchema = z.strictObject({
  /** Prometheus scrape interval (for window warnings). Default 30s. */
  scrapeInterval: durationText.optional(),
  /** Rule evaluation interval of the generated groups. Default 30s. */
  evaluationInterval: durationText.optional(),
  /** Default error-budget policy of every SLO. */
  budgetPolicy: budgetPolicyInput.optional(),
  services: z.array(serviceInput),
  slos: z.array(sloInput),
});

export type SolidaConfig = z.input<typeof configSchema>;
export type ServiceConfig = z.input<typeof serviceInput>;
export type SloConfig = z.input<typeof sloInput>;
export type SliConfig = z.input<typeof sliInput>;
export type AlertingConfig = z.input<typeof alertingInput>;
export type TierConfig = z.input<typeof tierInput>;
export type BudgetPolicyConfig = z.input<typeof budgetPolicyInput>;

// Its own module so the config sandbox can load it without zod (define-config.ts).
export { defineConfig } from './define-config.ts';
