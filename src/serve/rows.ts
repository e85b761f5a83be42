// One list row per SLO from the budget arithmetic the report uses, plus the backend's alert state.
import type { Slo } from '../slo/model.ts';
import { burnWindows, computeBudget, type EventCounts } from '../budget/arithmetic.ts';
import { reportWindow } from '../budget/window.ts';
import type { BudgetSource } from '../budget/source.ts';
import type { AlertState, SloRow } from './model.ts';

export function windowText(slo: Slo): string {
  return slo.window.kind === 'rolling' ? `${slo.window.duration.text} rolling` : `calendar ${slo.window.unit}`;
}

/** Reads the SLO's event counts at `at` and returns its row (state from the SLO's budget policy). */
export async function readRow(slo: Slo, source: BudgetSource, at: Date, alerts: AlertState[] | null): Promise<SloRow> {
  const policy = slo.budgetPolicy;
  const window = reportWindow(slo.window, at);
  const windows = burnWindows(slo);
  const [overWindow, lastWeek, ...burns] = await Promise.all([
    window.elapsedSeconds > 0 ? source.events(slo, window.elapsedSeconds, window.end) : Promise.resolve(null),
    source.events(slo, policy.weekSeconds, window.end),
    ...windows.map((w) => source.events(slo, w.seconds, window.end)),
  ]);
  const byWindow = new Map<string, EventCounts | null>(windows.map((w, i) => [w.text, burns[i]]));
  const r = computeBudget(slo, { window, overWindow, lastWeek, byWindow }, policy);
  return {
    ...identity(slo),
    sli: r.sli,
    budgetRemaining: r.budgetRemaining,
    currentBurn: r.currentBurnRate.burnRate,
    tiers: r.burnRates,
    alerts,
    state: r.policy.status,
    reason: r.policy.reason,
    readAt: at.getTime(),
  };
}

/** A row before its first read, or after a read failed with nothing older to show. */
export function unreadRow(slo: Slo, state: SloRow['state'], reason: string): SloRow {
  return { ...identity(slo), sli: null, budgetRemaining: null, currentBurn: null, tiers: [], alerts: null, state, reason, readAt: null };
}

function identity(slo: Slo) {
  return { id: slo.id, service: slo.service, name: slo.name, objective: slo.objective, window: windowText(slo), windowKind: slo.window.kind };
}
