// The default alert tiers for any SLO period, from the SRE workbook's multiwindow multi-burn-rate
// table. docs/slo-tiers.md shows the result per common window (a test keeps the two equal).
import type { Duration, Severity } from './model.ts';
import { parseDuration } from './duration.ts';

export interface DefaultTier {
  severity: Severity;
  /** The workbook's burn rate for its 30-day example. */
  burnRate: number;
  /** The workbook's share of a 30-day budget spent in the long window (burnRate × long / 30d). */
  budgetConsumed: number;
  longWindow: string;
  shortWindow: string;
}

/** The SRE workbook's tiers for a 30-day period: 2% of budget in 1h, 5% in 6h, 10% in 1d, 10% in 3d. */
export const DEFAULT_TIERS: Record<string, DefaultTier> = {
  'page-1h': { severity: 'page', burnRate: 14.4, budgetConsumed: 2, longWindow: '1h', shortWindow: '5m' },
  'page-6h': { severity: 'page', burnRate: 6, budgetConsumed: 5, longWindow: '6h', shortWindow: '30m' },
  'ticket-1d': { severity: 'ticket', burnRate: 3, budgetConsumed: 10, longWindow: '1d', shortWindow: '2h' },
  'ticket-3d': { severity: 'ticket', burnRate: 1, budgetConsumed: 10, longWindow: '3d', shortWindow: '6h' },
};

const WORKBOOK_PERIOD = 30 * 86400;

export interface DefaultTierForPeriod {
  name: string;
  severity: Severity;
  burnRate: number;
  longWindow: Duration;
  shortWindow: Duration;
  /** Why the tier is off by default for this period (undefined = on). */
  offBecause?: string;
}

/**
 * The default tiers for any SLO period. The workbook gives each tier a burn rate and a budget share
 * for 30 days; a tier fires only when both are exceeded, so its burn rate is the larger of the two
 * readings: the workbook's burn rate (binds below 30 days — scaling by budget share there would put
 * ticket tiers under 1×, firing while the SLO is met, and pages at ticket rates) and its budget share
 * (binds above 30 days, where 14.4× for an hour is a small part of a long budget). Every tier stays
 * at 1× or more. A tier is off by default when the period is too short for it: its long window is
 * over half the period, or its threshold is only reached after the whole budget is gone.
 */
export function defaultTiersFor(periodSeconds: number): DefaultTierForPeriod[] {
  const scale = Math.max(1, periodSeconds / WORKBOOK_PERIOD);
  return Object.entries(DEFAULT_TIERS).map(([name, d]) => {
    const longWindow = parseDuration(d.longWindow)!;
    const burnRate = Math.round(d.burnRate * scale * 1e6) / 1e6;
    let offBecause: string | undefined;
    if (longWindow.seconds > periodSeconds / 2) offBecause = `its ${d.longWindow} window is over half the period`;
    else if (burnRate * longWindow.seconds >= periodSeconds) offBecause = `at ${burnRate}x it fires only after the whole budget is spent`;
    return { name, severity: d.severity, burnRate, longWindow, shortWindow: parseDuration(d.shortWindow)!, offBecause };
  });
}


/**
 * The default tiers of a period as a Markdown table (docs/slo-tiers.md and README print these):
 * burn rate, windows, share of the period's budget spent in the long window, and how long the whole
 * budget lasts at that rate.
 */
export function tierTable(periodSeconds: number): string {
  const rows = defaultTiersFor(periodSeconds).map((t) => {
    if (t.offBecause) return `| ${t.name} | ${t.severity} | off: ${t.offBecause} | | | |`;
    const spent = (100 * t.burnRate * t.longWindow.seconds) / periodSeconds;
    const lasts = periodSeconds / t.burnRate / 3600;
    return `| ${t.name} | ${t.severity} | ${t.burnRate}× | ${t.longWindow.text} / ${t.shortWindow.text} | ${Number(spent.toPrecision(3))}% | ${lasts >= 48 ? `${Number((lasts / 24).toPrecision(3))} days` : `${Number(lasts.toPrecision(3))} h`} |`;
  });
  return ['| tier | severity | burn rate | long / short window | budget spent when it fires | budget gone at this rate in |', '|---|---|---|---|---|---|', ...rows].join('\n');
}
