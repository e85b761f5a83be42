// The JSON report: a stable, versioned document. Schema `solida.report/v1`:
// { schema, at, slos: SloBudgetReport[], skipped: [{ id, reason }] } where each SLO carries at least
// { id, objective, window, sli, budgetRemaining, consumed, burnRates, policy }; ratios are fractions
// (0.999, not 99.9) except `objective`, which is the percent the spec declares; missing data is null.
import type { CollectResult } from './collect.ts';

export const REPORT_SCHEMA = 'solida.report/v1';

export function renderJson(result: CollectResult, at: Date): string {
  const doc = { schema: REPORT_SCHEMA, at: at.toISOString(), slos: result.entries.map((e) => e.report), skipped: result.skipped };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
