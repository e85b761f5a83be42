// What the live view shows: one row per SLO (the list) and, on demand, the detail of one SLO. Plain data,
// so the JSON API, the HTML and the tests read the same figures.
import type { PolicyStatus } from '../budget/policy.ts';
import type { TierBurn } from '../budget/arithmetic.ts';
import type { ChartPoint } from '../util/svg-chart.ts';
import type { TierExplanation } from '../slo/explain.ts';

/** An alert Prometheus reports for the SLO (from the generated rules). */
export interface AlertState {
  /** The tier (solida_tier label), or "no-data" for the NoData alert. */
  tier: string;
  severity: string;
  state: 'firing' | 'pending';
  activeAt: string | null;
}

/** The list's states: the budget policy's steps, plus "error" when the SLO's queries failed. */
export type RowState = PolicyStatus | 'error';

export interface SloRow {
  id: string;
  service: string;
  name: string;
  objective: number;
  /** "28d rolling" or "calendar month". */
  window: string;
  windowKind: 'rolling' | 'calendar';
  sli: number | null;
  budgetRemaining: number | null;
  /** Burn rate over the last hour (1 = budget-neutral). */
  currentBurn: number | null;
  tiers: TierBurn[];
  /** Alerts Prometheus has pending or firing for this SLO; null when the source has no alert state. */
  alerts: AlertState[] | null;
  state: RowState;
  /** Why the policy step applies, or the query error. */
  reason: string;
  /** When these figures were read (ms); older than the snapshot when a refresh failed. */
  readAt: number | null;
}

export interface SnapshotError {
  message: string;
  /** First failed refresh of the current outage (ms). */
  since: number;
}

export interface Snapshot {
  /** Completed refreshes; 0 before the first one ends. */
  version: number;
  /** When the last refresh ended (ms). */
  at: number | null;
  /** How long the last refresh took (ms). */
  tookMs: number | null;
  source: string;
  rows: SloRow[];
  /** Set while the source cannot be read: the rows keep their last good figures. */
  error: SnapshotError | null;
}

export interface GamedaySummary {
  file: string;
  /** The HTML report next to the JSON, when there is one (served under /gameday/). */
  html: string | null;
  scenario: string;
  verdict: string;
  endedAt: string;
  slo: string;
  rto: { measuredSeconds: number | null; objectiveSeconds: number; met: boolean };
  rpo: { measuredSeconds: number | null; objectiveSeconds: number; met: boolean; lostWrites: number | null };
  timeToDetectSeconds: number | null;
}

export interface TierSeries {
  tier: string;
  /** Error-ratio threshold: burn rate × error budget. */
  threshold: number;
  long: { window: string; points: ChartPoint[] };
  short: { window: string; points: ChartPoint[] };
}

export interface QueryText {
  label: string;
  query: string;
}

export interface SloDetail {
  row: SloRow;
  description: string | null;
  errorBudget: number;
  /** Window the SLO is judged over now (ISO). */
  windowStart: string;
  windowClose: string;
  /** Budget remaining at each real sample of the window (never an invented start). */
  burnDown: ChartPoint[];
  /** Requests and errors per second over the recent span. */
  requests: ChartPoint[];
  errors: ChartPoint[];
  /** Error ratio over each tier's windows against its threshold; empty when the source cannot chart it. */
  tierSeries: TierSeries[];
  explain: TierExplanation[];
  warnings: string[];
  gamedays: GamedaySummary[];
  queries: QueryText[];
  /** Span of the request and ratio charts (ms). */
  recentSpanMs: number;
  /** Problems reading some of the charts (the rest is still shown). */
  problems: string[];
}
