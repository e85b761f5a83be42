// Error-budget arithmetic from event counts: pure, so every figure in a report can be checked by hand.
// Budget fractions are event-based over the window (errors / (budget ratio × total events)); budget
// "minutes" read the same fraction against the window's length, the usual time-based reading.
import type { AlertTier, Duration, Slo } from '../slo/model.ts';
import type { ReportWindow } from './window.ts';
import { decidePolicy, DEFAULT_POLICY, type BudgetPolicy, type PolicyDecision } from './policy.ts';

/** Error and total events counted over some window; null total means no data. */
export interface EventCounts {
  errors: number;
  total: number;
}

export interface BurnRate {
  window: string;
  /** Error ratio over the window divided by the budget ratio (1 = budget-neutral); null without data. */
  burnRate: number | null;
}

export interface TierBurn {
  tier: string;
  severity: string;
  /** The burn rate the tier alerts at. */
  threshold: number;
  long: BurnRate;
  short: BurnRate;
  /** Both windows at or above the threshold: the tier's alert condition holds. */
  burning: boolean;
}

/** One SLO's report; the JSON format prints it as is (stable schema, see render-json.ts). */
export interface SloBudgetReport {
  id: string;
  service: string;
  name: string;
  objective: number;
  window: { kind: ReportWindow['kind']; text: string; start: string; end: string; close: string };
  /** Good-event ratio over the window; null when there were no events (missing, never 100% good). */
  sli: number | null;
  budget: { ratio: number; events: number | null; minutes: number };
  /** Fraction of the budget burned (can exceed 1). */
  consumed: number | null;
  /** 1 - consumed (negative once overspent). */
  budgetRemaining: number | null;
  events: { errors: number | null; total: number | null };
  consumedMinutes: number | null;
  remainingMinutes: number | null;
  burnRates: TierBurn[];
  /** The current (1h) burn rate used for time to exhaustion. */
  currentBurnRate: BurnRate;
  /** Seconds until the budget is gone at the current burn; 0 when already gone, null when not burning. */
  timeToExhaustionSeconds: number | null;
  policy: PolicyDecision;
}

export interface BudgetInputs {
  window: ReportWindow;
  /** Events over the report window. */
  overWindow: EventCounts | null;
  /** Events over the last week (policy). */
  lastWeek: EventCounts | null;
  /** Events per window text (tier windows and 1h). */
  byWindow: Map<string, EventCounts | null>;
}

export const CURRENT_BURN_WINDOW: Duration = { text: '1h', seconds: 3600 };

export function errorRatio(c: EventCounts | null): number | null {
  if (!c || !(c.total > 0) || !Number.isFinite(c.errors)) return null;
  return Math.min(1, Math.max(0, c.errors / c.total));
}

export function burnRate(c: EventCounts | null, budgetRatio: number): number | null {
  const r = errorRatio(c);
  return r === null ? null : r / budgetRatio;
}

/** Windows whose events the report needs besides the report window and the last week. */
export function burnWindows(slo: Slo): Duration[] {
  const all = [CURRENT_BURN_WINDOW, ...enabledTiers(slo).flatMap((t) => [t.longWindow, t.shortWindow])];
  return [...new Map(all.map((d) => [d.text, d])).values()];
}

function enabledTiers(slo: Slo): AlertTier[] {
  return slo.alerting.tiers.filter((t) => t.enabled);
}

export function computeBudget(slo: Slo, input: BudgetInputs, policy: BudgetPolicy = DEFAULT_POLICY): SloBudgetReport {
  const b = slo.errorBudget;
  const w = input.window;
  const ratio = errorRatio(input.overWindow);
  const consumed = ratio === null ? null : ratio / b;
  const budgetMinutes = (b * w.periodSeconds) / 60;
  const events = ratio === null ? null : input.overWindow;
  const rateOf = (win: string): BurnRate => ({ window: win, burnRate: burnRate(input.byWindow.get(win) ?? null, b) });
  const burnRates = enabledTiers(slo).map((t): TierBurn => {
    const long = rateOf(t.longWindow.text);
    const short = rateOf(t.shortWindow.text);
    const burning = long.burnRate !== null && short.burnRate !== null && long.burnRate >= t.burnRate && short.burnRate >= t.burnRate;
    return { tier: t.name, severity: t.severity, threshold: t.burnRate, long, short, burning };
  });
  const current = rateOf(CURRENT_BURN_WINDOW.text);
  // Scaled to the SLO period, as burn rates are: the week holds 7d/period of the period's budget.
  const weekBurn = burnRate(input.lastWeek, b);
  const weekConsumed = weekBurn === null ? null : (weekBurn * policy.weekSeconds) / slo.periodSeconds;
  return {
    id: slo.id,
    service: slo.service,
    name: slo.name,
    objective: slo.objective,
    window: { kind: w.kind, text: w.text, start: w.start.toISOString(), end: w.end.toISOString(), close: w.close.toISOString() },
    sli: ratio === null ? null : 1 - ratio,
    budget: { ratio: b, events: events ? b * events.total : null, minutes: budgetMinutes },
    consumed,
    budgetRemaining: consumed === null ? null : 1 - consumed,
    events: { errors: events ? events.errors : null, total: events ? events.total : null },
    consumedMinutes: consumed === null ? null : consumed * budgetMinutes,
    remainingMinutes: consumed === null ? null : (1 - consumed) * budgetMinutes,
    burnRates,
    currentBurnRate: current,
    timeToExhaustionSeconds: timeToExhaustion(consumed, current.burnRate, slo.periodSeconds),
    policy: decidePolicy(consumed, weekConsumed, policy),
  };
}

/** At burn rate B the budget of a period P lasts P/B; what is left lasts remaining × P/B. */
export function timeToExhaustion(consumed: number | null, currentBurn: number | null, periodSeconds: number): number | null {
  if (consumed === null) return null;
  if (consumed >= 1) return 0;
  if (currentBurn === null || currentBurn <= 0) return null;
  return ((1 - consumed) * periodSeconds) / currentBurn;
}
