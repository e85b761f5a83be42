// Runbooks as typed data. A runbook is a list of steps of four kinds:
// - auto: an async function run against the target (inject a fault, promote a standby, switch the front);
// - check: a pluggable verification (health, DB role, replication lag, row counts), optionally polled;
// - manual: a prompt an operator confirms (auto-confirmed with --yes);
// and every fault step carries its undo, which the runner plays back when a run is aborted or fails.
import type { DelayName, Objectives, ScenarioName } from '../scenarios/index.ts';

export type DbRole = 'primary' | 'standby' | 'replica' | 'down';

export interface DbNode {
  name: string;
  region: string;
  /** null when the node is not tied to an AZ. */
  az: string | null;
  role: DbRole;
}

export interface HealthStatus {
  healthy: boolean;
  detail: string;
}

/**
 * What a runbook acts on. The local lab implements it over processes; the dry target only pretends.
 * Regions and AZs are the target's own names (the lab uses r1/r2 and a/b).
 */
export interface TargetAdapter {
  readonly name: string;
  /** True when nothing real is touched: every output is then labelled as a dry run. */
  readonly dryRun: boolean;
  /** Set when the target cannot count rows (AWS APIs do not read tables): row-count checks say so instead of failing. */
  readonly rowCountUnavailable?: string;
  // Faults.
  killAz(region: string, az: string): Promise<unknown>;
  reviveAz(region: string, az: string): Promise<unknown>;
  isolateRegion(region: string): Promise<unknown>;
  reconnectRegion(region: string): Promise<unknown>;
  /** A bad bulk update/delete; returns when it happened (T) and how many rows it touched. */
  corruptData(table: string): Promise<{ at: Date; rows: number }>;
  // Recovery.
  /** Promote the best standby/replica in `region` to primary; returns the new primary's name. */
  promoteStandby(region: string): Promise<{ primary: string }>;
  switchGlobalFront(toRegion: string): Promise<unknown>;
  /** Restore to `targetTime` into a NEW database; returns its name. */
  restorePitr(targetTime: Date): Promise<{ database: string }>;
  /** Point the services at `database` (after a restore). */
  cutOver(database: string): Promise<unknown>;
  // Observation.
  health(scope?: { region?: string; global?: boolean }): Promise<HealthStatus>;
  dbRoles(): Promise<DbNode[]>;
  /** Seconds the replica in `region` is behind its primary; null when no replica answers. */
  replicationLag(region: string): Promise<number | null>;
  /** Rows in `table`; on `database` when given (e.g. a restored copy), else on the current primary. */
  rowCount(table: string, database?: string): Promise<number>;
}

export interface RunbookParams {
  primaryRegion: string;
  secondaryRegion: string;
  /** The AZ lost in az-failure. */
  az: string;
  /** The table whose rows the checks count. */
  table: string;
  /** pitr: restore this many seconds before the corruption. */
  restoreMarginSeconds: number;
  /** Highest replication lag (s) accepted before a failover. */
  maxReplicationLagSeconds: number;
  /**
   * pitr: how far the managed database's latest restorable time trails the clock (RDS: up to 5 min). The
   * restore cannot target a moment later than that, whatever the corruption time.
   */
  restorableTimeLagSeconds: number;
}

export const DEFAULT_PARAMS: RunbookParams = {
  primaryRegion: 'r1',
  secondaryRegion: 'r2',
  az: 'a',
  table: 'items',
  restoreMarginSeconds: 1,
  maxReplicationLagSeconds: 5,
  restorableTimeLagSeconds: 0,
};

export interface RunbookContext {
  target: TargetAdapter;
  params: RunbookParams;
  /** Aborted on Ctrl-C or a stop condition; long steps should pass it on. */
  signal: AbortSignal;
  /** Values steps hand to later steps (e.g. the row count before the fault). */
  state: Record<string, unknown>;
  now(): Date;
  /**
   * Seconds of modelled delays so far (named delays a timing profile adds without sleeping them): the
   * run's clock is now() plus these, e.g. for the latest restorable time.
   */
  modelledSeconds(): number;
}

export interface CheckResult {
  ok: boolean;
  detail: string;
  value?: unknown;
}

export type Check = (ctx: RunbookContext) => Promise<CheckResult>;

interface StepBase {
  name: string;
  description: string;
  /** When the reference timeline expects this step done, seconds after the fault (T+). */
  expectedBySeconds?: number;
  /** This step's end is the fault start (T) of the run. */
  marksFault?: boolean;
  /** This step's end is the moment the service is back (recovery). */
  marksRecovery?: boolean;
  /** A later step that makes an earlier step's undo unnecessary names it here (e.g. revive AZ → kill AZ). */
  resolves?: string;
  /** A managed or human delay that passes before this step (RDS failure detection, a decision, DNS). */
  delay?: DelayName;
}

export interface AutoStep extends StepBase {
  kind: 'auto';
  run(ctx: RunbookContext): Promise<unknown>;
  /** Puts things back when the run stops early (abort or failure). */
  undo?(ctx: RunbookContext): Promise<unknown>;
}

export interface CheckStep extends StepBase {
  kind: 'check';
  check: Check;
  /** Poll until ok for up to this long (a recovery in progress), instead of failing on the first miss. */
  waitUpToSeconds?: number;
  pollSeconds?: number;
}

export interface ManualStep extends StepBase {
  kind: 'manual';
  /** What the operator does (or verifies) before confirming. */
  prompt: string;
}

export type Step = AutoStep | CheckStep | ManualStep;
export type StepKind = Step['kind'];

export interface TimelineEntry {
  atSeconds: number;
  event: string;
}

export interface Runbook {
  name: ScenarioName;
  title: string;
  summary: string;
  objectives: Objectives;
  /** The reference architecture's expected timeline (T+ seconds). */
  timeline: TimelineEntry[];
  steps: Step[];
}

export type StepOutcome = 'ok' | 'failed' | 'declined' | 'aborted' | 'skipped';

export interface JournalStep {
  name: string;
  kind: StepKind | 'undo';
  startedAt: string;
  endedAt: string;
  /** Seconds after the fault when the step ended (null before the fault). */
  atSeconds: number | null;
  expectedBySeconds: number | null;
  output: unknown;
  outcome: StepOutcome;
  error?: string;
  /** The delay before the step: slept (in the measured time) or modelled (added to it). */
  delay?: AppliedDelay;
}

export interface AppliedDelay {
  name: DelayName;
  seconds: number;
  slept: boolean;
}

export interface Journal {
  runbook: ScenarioName;
  title: string;
  target: string;
  dryRun: boolean;
  params: RunbookParams;
  objectives: Objectives;
  startedAt: string;
  endedAt: string | null;
  outcome: 'running' | 'succeeded' | 'failed' | 'aborted';
  faultStartedAt: string | null;
  recoveredAt: string | null;
  /**
   * recoveredAt − faultStartedAt as the runbook saw it (the game day's load-based RTO is the authoritative one);
   * null when the run did not recover, and always null for a dry run, which measures nothing.
   */
  recoverySeconds: number | null;
  steps: JournalStep[];
}
