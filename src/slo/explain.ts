// Burn-rate arithmetic for people: what each tier means, how fast it catches a total outage, how long
// it keeps firing after recovery, and the tiers or windows that cannot work as written.
import type { AlertTier, Slo, SolidaModel } from './model.ts';
import { humanSeconds } from './duration.ts';
import { shortNumber } from '../util/numbers.ts';

export interface TierExplanation {
  tier: string;
  severity: string;
  enabled: boolean;
  /** Why a default tier is off for this period. */
  disabledReason?: string;
  burnRate: number;
  longWindow: string;
  shortWindow: string;
  /** Error ratio that fires the tier: burnRate × error budget. */
  threshold: number;
  /** Fraction of the period's budget spent in the long window when the tier fires. */
  budgetConsumed: number;
  /** Seconds from the start of a total outage (all events failing) to firing. */
  detectionSeconds: number;
  /** Seconds from the end of a long total outage until the tier stops firing. */
  resetSeconds: number;
  /** Hours until the whole budget is gone at this burn rate. */
  exhaustionHours: number;
}

export interface SloExplanation {
  id: string;
  objective: number;
  window: string;
  errorBudget: number;
  budgetMinutes: number;
  tiers: TierExplanation[];
  warnings: string[];
}

export function explainTier(slo: Slo, t: AlertTier): TierExplanation {
  const threshold = t.burnRate * slo.errorBudget;
  // During a total outage each window's error ratio climbs linearly from 0 to 1 over the window.
  const detect = threshold > 1 ? Infinity : Math.max(threshold * t.longWindow.seconds, threshold * t.shortWindow.seconds) + t.for.seconds;
  // After it, the short window clears first: its ratio falls below the threshold after S × (1 − threshold).
  const reset = threshold > 1 ? 0 : t.shortWindow.seconds * (1 - threshold);
  return {
    tier: t.name,
    severity: t.severity,
    enabled: t.enabled,
    ...(t.disabledReason ? { disabledReason: t.disabledReason } : {}),
    burnRate: t.burnRate,
    longWindow: t.longWindow.text,
    shortWindow: t.shortWindow.text,
    threshold,
    budgetConsumed: (t.burnRate * t.longWindow.seconds) / slo.periodSeconds,
    detectionSeconds: detect,
    resetSeconds: reset,
    exhaustionHours: slo.periodSeconds / t.burnRate / 3600,
  };
}

export function explainSlo(slo: Slo, model: SolidaModel): SloExplanation {
  const warnings: string[] = [];
  const tiers = slo.alerting.tiers.map((t) => explainTier(slo, t));
  for (const t of slo.alerting.tiers.filter((x) => x.enabled)) {
    const threshold = t.burnRate * slo.errorBudget;
    if (threshold > 1) {
      warnings.push(`tier ${t.name} can never fire: ${t.burnRate}x of a ${fmt(slo.errorBudget * 100)}% budget needs an error ratio of ${fmt(threshold * 100)}%, above 100%; lower its burnRate below ${fmt(1 / slo.errorBudget)} or disable it`);
    }
    if (t.burnRate < 1) {
      // Below 1× the tier fires on an error rate that, kept up all period, still ends it within budget.
      warnings.push(
        `tier ${t.name} fires while the SLO is met: ${fmt(t.burnRate)}x the budget rate (${fmt(threshold * 100)}% errors) ends the ${humanSeconds(slo.periodSeconds)} period with ${fmt((1 - t.burnRate) * 100)}% of the budget left; raise its burnRate to 1 or more (budgetConsumed ≥ ${fmt((100 * t.longWindow.seconds) / slo.periodSeconds)}% for a ${t.longWindow.text} window)`,
      );
    }
    const minWindow = 2 * model.scrapeInterval.seconds;
    for (const w of [t.shortWindow, t.longWindow]) {
      if (w.seconds < minWindow) warnings.push(`tier ${t.name}: window ${w.text} is under two scrape intervals (${model.scrapeInterval.text}); rate() needs two samples — use at least ${humanSeconds(minWindow * 2)}`);
    }
    if (slo.expectedEventsPerSecond !== undefined) {
      const events = slo.expectedEventsPerSecond * t.shortWindow.seconds;
      if (events > 0 && 1 / events > threshold) warnings.push(`tier ${t.name}: low traffic — about ${fmt(events)} events in ${t.shortWindow.text}, so a single failure (${fmt(100 / events)}%) exceeds the ${fmt(threshold * 100)}% threshold; use longer windows, synthetic traffic, or a ticket tier`);
    }
  }
  if (!slo.alerting.tiers.some((t) => t.enabled)) warnings.push('no alert tier is enabled: this SLO is report-only');
  if (slo.expectedEventsPerSecond === undefined) warnings.push('expected traffic unknown: set expectedEventsPerSecond to check for low-traffic false pages');
  const window = slo.window.kind === 'rolling' ? `${slo.window.duration.text} rolling` : `calendar ${slo.window.unit}`;
  return {
    id: slo.id,
    objective: slo.objective,
    window,
    errorBudget: slo.errorBudget,
    budgetMinutes: (slo.errorBudget * slo.periodSeconds) / 60,
    tiers,
    warnings,
  };
}

export function explainModel(model: SolidaModel): SloExplanation[] {
  return model.slos.map((s) => explainSlo(s, model));
}

export function formatExplanation(e: SloExplanation): string {
  const lines = [`${e.id}: ${e.objective}% over ${e.window} — budget ${fmt(e.errorBudget * 100)}% (${fmt(e.budgetMinutes)} min of full outage)`];
  for (const t of e.tiers) {
    if (!t.enabled) {
      lines.push(`  ${t.tier.padEnd(10)} disabled${t.disabledReason ? ` (${t.disabledReason})` : ''}`);
      continue;
    }
    lines.push(
      `  ${t.tier.padEnd(10)} ${t.severity.padEnd(6)} ${fmt(t.burnRate).padStart(6)}x over ${t.longWindow}/${t.shortWindow}` +
        ` · fires at ${fmt(t.threshold * 100)}% errors · spends ${fmt(t.budgetConsumed * 100)}% of budget` +
        ` · detects a total outage in ${humanSeconds(t.detectionSeconds)} · resets ${humanSeconds(t.resetSeconds)} after recovery` +
        ` · budget gone in ${humanSeconds(t.exhaustionHours * 3600)}`,
    );
  }
  for (const w of e.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}

const fmt = shortNumber;
