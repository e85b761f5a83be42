// The normalized SLO model: what every reader produces and every generator consumes.
// Readers (TypeScript config, solida YAML, Sloth, OpenSLO) validate and resolve defaults, so
// generators never see optional fields they must second-guess.
import type { AwsConfig, SeverityConfig } from './config.ts';

/** A window like 5m, 1h, 30d, kept as text (for names and PromQL) and seconds (for math). */
export interface Duration {
  text: string;
  seconds: number;
}

export type SloWindow =
  | { kind: 'rolling'; duration: Duration }
  | {
      kind: 'calendar';
      unit: 'week' | 'month';
      /**
       * IANA zone the periods start in (OpenSLO `calendar.timeZone`); absent = UTC. Kept so exports
       * write it back and budget reports can cut periods where the team's calendar does.
       */
      timeZone?: string;
      /** First period's start as written (OpenSLO `calendar.startTime`, e.g. "2022-01-01 12:00:00"). */
      startTime?: string;
    };

/**
 * A PromQL template with the `{{.window}}` placeholder (Sloth's convention), rendered per window.
 * Always evaluates to a single series (solida wraps it in sum()).
 */
export type PromQLTemplate = string;

/** Prometheus-backed SLI, reduced to events: error events and total events per second. */
export interface PrometheusSli {
  source: 'prometheus';
  /** Error events rate over {{.window}} (already aggregated, single series). */
  errors: PromQLTemplate;
  /** Total events rate over {{.window}} (already aggregated, single series). */
  total: PromQLTemplate;
  /** How the SLI was declared, kept for explain/export (OpenSLO writer, dashboards). */
  origin: SliOrigin;
}

export type SliOrigin =
  | { kind: 'events'; errorSelector?: string; goodSelector?: string; totalSelector: string; errorQuery?: string; goodQuery?: string; totalQuery?: string }
  | { kind: 'raw'; errorRatioQuery: string }
  | { kind: 'latency'; histogram: string; matchers: string; thresholdSeconds: number; buckets: number[] }
  | { kind: 'golden'; signal: 'availability' | 'latency'; service: string; route?: string; thresholdSeconds?: number }
  /**
   * An OpenSLO SLI solida turned into an error-ratio query (Timeslices, RatioTimeslices, threshold
   * metrics): the indicator, budgeting method and objective as written, so export writes them back.
   */
  | { kind: 'openslo'; budgetingMethod: 'Occurrences' | 'Timeslices' | 'RatioTimeslices'; indicator: Record<string, unknown>; objective: Record<string, unknown>; errorRatioQuery: string };

/** CloudWatch-backed SLI (ALB/EMF/custom metrics); generators for CloudWatch read this. */
export interface CloudWatchMetric {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  /** CloudWatch statistic, e.g. Sum, p99, TC(0:0.3), PR(:0.3). */
  stat: string;
}

export interface CloudWatchSli {
  source: 'cloudwatch';
  /** Metrics summed to make error events (bad). */
  errors: CloudWatchMetric[];
  /** Metrics summed to make total events. */
  total: CloudWatchMetric[];
  /** For latency SLIs expressed as a fraction of requests under a threshold. */
  latencyThresholdSeconds?: number;
}

export type Sli = PrometheusSli | CloudWatchSli;

export type Severity = SeverityConfig;

export interface AlertTier {
  /** Stable name, e.g. page-1h; appears as the `solida_tier` label. */
  name: string;
  enabled: boolean;
  /** Why a default tier is off for this SLO's period (shown by explain); absent when the spec chose. */
  disabledReason?: string;
  severity: Severity;
  /** Multiple of the budget-neutral error rate. */
  burnRate: number;
  longWindow: Duration;
  shortWindow: Duration;
  /** Prometheus `for:` (seconds; 0 = none). */
  for: Duration;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface AlertingPolicy {
  /** Alert name for all tiers (tiers are told apart by the `solida_tier` label). */
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runbookUrl?: string;
  tiers: AlertTier[];
  /** No-data alert when the SLI's series are absent for this long (null = disabled). */
  noData: { enabled: boolean; for: Duration; severity: Severity };
}

/** The error-budget policy as code: which step of the ship/freeze ladder applies. */
export interface BudgetPolicy {
  /** Fraction of the period's budget burned within `weekSeconds` that freezes features (exclusive). */
  freezeWeeklyConsumed: number;
  /** Fraction of the budget burned over the SLO window that allows only fixes (inclusive). */
  fixesOnlyConsumed: number;
  /** Look-back of the freeze rule (default a week). */
  weekSeconds: number;
}

/**
 * Where an SLO was read from, so generators can reproduce the source tool's own output where users
 * rely on it (Sloth's `sloth_slo_info{sloth_spec,sloth_mode}` values, its alert semantics; Kubernetes
 * object names for PrometheusRule output).
 */
export interface SloSource {
  format: 'solida' | 'sloth' | 'openslo' | 'pyrra';
  /**
   * The spec as the file names it — what Sloth writes as `sloth_spec`: 'solida/v1', 'prometheus/v1'
   * (Sloth's plain YAML), 'sloth.slok.dev/v1' (Sloth's PrometheusServiceLevel), 'openslo/v1',
   * 'pyrra.dev/v1alpha1'.
   */
  spec: string;
  /**
   * Sloth's `sloth_mode` for this input when run by its CLI: 'cli-gen-prom' (prometheus/v1),
   * 'cli-gen-k8s' (PrometheusServiceLevel), 'cli-gen-openslo' (OpenSLO). Absent for solida and Pyrra.
   */
  mode?: string;
  /** The Kubernetes object the SLO came from (PrometheusServiceLevel, ServiceLevelObjective). */
  kubernetes?: { name: string; namespace?: string; labels: Record<string, string>; annotations: Record<string, string> };
  /** Sloth's alert settings as written, for Sloth-compatible output (only for Sloth input). */
  sloth?: SlothAlertSettings;
}

/**
 * Sloth's alerting block and plugin chain reduced to what changes its output. The tiers already carry
 * page_alert/ticket_alert labels and annotations (page tiers get page_alert's, ticket tiers
 * ticket_alert's) and `disable` as `enabled: false`; this keeps what tiers cannot say.
 */
export interface SlothAlertSettings {
  /** `alerting.name` as written (Sloth names both page and ticket alerts with it). */
  alertName?: string;
  /** `page_alert.disable` / `pageAlert.disable`. */
  pageDisabled: boolean;
  /** `ticket_alert.disable` / `ticketAlert.disable`. */
  ticketDisabled: boolean;
  /**
   * Which of Sloth's core rule families its plugin chain produces. All true unless
   * `overridePrevious: true` replaces the default chain with one that omits
   * sloth.dev/core/sli_rules/v1, metadata_rules/v1 or alert_rules/v1.
   */
  rules: { sli: boolean; metadata: boolean; alerts: boolean };
  /** Extra `sloth_slo_info` labels from sloth.dev/contrib/info_labels/v1 (`config.labels`). */
  infoLabels: Record<string, string>;
  /** The AlertWindows document the tiers came from (`sloPeriod`), when the file gave one. */
  alertWindowsPeriod?: string;
}

export interface Slo {
  /** Where the SLO was read from; absent = solida's own spec (TypeScript or YAML, 'solida/v1'). */
  source?: SloSource;
  /**
   * Labels the SLI is aggregated by (Pyrra's `grouping`, solida's `grouping`): the SLI templates keep
   * them (`sum by (route) (...)`), so every recorded series and alert is per label value — one SLO per
   * value, from one definition. Absent or empty = one series per SLO.
   */
  grouping?: string[];
  /** `<service>-<name>`, Sloth's id. */
  id: string;
  service: string;
  name: string;
  description?: string;
  /** Percent, e.g. 99.9. */
  objective: number;
  /** 1 - objective/100: the error budget as a ratio. */
  errorBudget: number;
  window: SloWindow;
  /** Nominal period length in seconds (calendar month: 30d, week: 7d) used for burn-rate scaling. */
  periodSeconds: number;
  sli: Sli;
  alerting: AlertingPolicy;
  labels: Record<string, string>;
  /** Expected traffic, for low-traffic warnings (events per second), when the spec gives it. */
  expectedEventsPerSecond?: number;
  budgetPolicy: BudgetPolicy;
}

/** Derived from the config schema (aws is copied through unchanged), so the two cannot drift apart. */
export type AwsResources = AwsConfig;

export interface Service {
  name: string;
  description?: string;
  /** PromQL label matchers that select this service's series, e.g. {job="inventory"}. */
  selector: string;
  labels: Record<string, string>;
  aws?: AwsResources;
  /** Runbook links shown in dashboards and alerts. */
  runbooks: Record<string, string>;
}

export interface SolidaModel {
  /** Where the model came from (file path), for messages. */
  source: string;
  /** Prometheus scrape interval assumed for window warnings. */
  scrapeInterval: Duration;
  /** Rule evaluation interval used for the generated rule groups. */
  evaluationInterval: Duration;
  services: Service[];
  slos: Slo[];
}
