// Error-budget policy: which step of the ship/freeze ladder applies. Defaults follow common practice
// (SRE workbook's example policy): more than half the budget burned within a week freezes features;
// the whole budget burned over the SLO window allows only fixes until it recovers.

export type PolicyStatus = 'ok' | 'feature-freeze' | 'fixes-only' | 'no-data';

import type { BudgetPolicy } from '../slo/model.ts';
import { humanSeconds } from '../slo/duration.ts';

const lookBack = (seconds: number) => (seconds % 86_400 === 0 ? `${seconds / 86_400} days` : humanSeconds(seconds));

export type { BudgetPolicy };

export const DEFAULT_POLICY: BudgetPolicy = { freezeWeeklyConsumed: 0.5, fixesOnlyConsumed: 1, weekSeconds: 7 * 86_400 };

export interface PolicyDecision {
  status: PolicyStatus;
  /** One sentence saying which rule applies and the figure that triggered it. */
  reason: string;
  /** Fraction of the period's budget burned in the last week (null without data). */
  weekConsumed: number | null;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function decidePolicy(consumed: number | null, weekConsumed: number | null, policy: BudgetPolicy = DEFAULT_POLICY): PolicyDecision {
  if (consumed === null) return { status: 'no-data', reason: 'no events over the window: the SLI is unknown, not 100% good', weekConsumed };
  if (consumed >= policy.fixesOnlyConsumed) {
    return { status: 'fixes-only', reason: `${pct(consumed)} of the error budget is burned over the window (limit ${pct(policy.fixesOnlyConsumed)}): only fixes ship until it recovers`, weekConsumed };
  }
  if (weekConsumed !== null && weekConsumed > policy.freezeWeeklyConsumed) {
    return { status: 'feature-freeze', reason: `${pct(weekConsumed)} of the error budget was burned in the last ${lookBack(policy.weekSeconds)} (limit ${pct(policy.freezeWeeklyConsumed)}): feature freeze`, weekConsumed };
  }
  const last = lookBack(policy.weekSeconds);
  const week = weekConsumed === null ? `no data for the last ${last}` : `${pct(weekConsumed)} burned in the last ${last}`;
  return { status: 'ok', reason: `${pct(consumed)} of the budget burned over the window, ${week}: within policy`, weekConsumed };
}
