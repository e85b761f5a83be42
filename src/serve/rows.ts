// One list row per SLO from the budget arithmetic the report uses, plus the backend's alert state.
import type { Slo } from '../slo/model.ts';
import { readBudget } from '../budget/collect.ts';
import { reportWindow } from '../budget/window.ts';
import type { BudgetSource } from '../budget/source.ts';
import type { AlertState, SloRow } from './model.ts';

export function windowText(slo: Slo): string {
  return slo.window.kind === 'rolling' ? `${slo.window.duration.text} rolling` : `calendar ${slo.window.unit}`;
}

/** Reads the SLO's event counts at `at` and returns its row (state from the SLO's budget policy). */
export async function readRow(slo: Slo, source: BudgetSource, at: Date, alerts: AlertState[] | null): Promise<SloRow> {
  const policy = slo.budgetPolicy;
  const { report: r } = await readBudget(slo, source, reportWindow(slo.window, at), policy);
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
