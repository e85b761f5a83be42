// What every rule family needs to know about one SLO, worked out once: Sloth's record names and labels,
// the selector that picks the SLO's recorded series, its windows and the three groups it is spread over.
import type { Duration, PrometheusSli, Slo } from '../slo/model.ts';
import { sortLabels, type Labels } from './rule-group.ts';

export const RECORD = {
  errorEvents: (w: string) => `slo:sli_error_events:rate${w}`,
  totalEvents: (w: string) => `slo:sli_total_events:rate${w}`,
  errorRatio: (w: string) => `slo:sli_error:ratio_rate${w}`,
  objective: 'slo:objective:ratio',
  errorBudget: 'slo:error_budget:ratio',
  timePeriodDays: 'slo:time_period:days',
  currentBurnRate: 'slo:current_burn_rate:ratio',
  periodBurnRate: 'slo:period_burn_rate:ratio',
  periodBudgetRemaining: 'slo:period_error_budget_remaining:ratio',
  info: 'sloth_slo_info',
} as const;

/** Sloth records these windows for every SLO, and its Grafana dashboards read all of them. */
export const SLOTH_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export const BASE_WINDOW = '5m';
/** Windows up to this length are rates of the raw counters, evaluated every interval (exact timing). */
export const FAST_WINDOW_MAX_SECONDS = 6 * 3600;
/**
 * Longer windows are sums of 10-minute tiles: one rate per tile, recorded every 10 minutes, so a 30-day
 * window reads 4,320 samples instead of 86,400 recorded every 30 s. Tiles are read only by range
 * functions, so their 10-minute spacing never meets the 5-minute staleness limit of instant queries.
 */
export const TILE = { text: '10m', seconds: 600 } as const;
/** Least interval of the `-long` group (1d, 3d, period ratios and metadata). */
export const LONG_INTERVAL = { text: '2m', seconds: 120 } as const;
/** Label carrying the calendar period (month or week index) a tile belongs to. */
export const PERIOD_LABEL = 'solida_period';
/** Divides by the total without evaluating it twice: a zero total gives 0 / 1e-12 = 0 (no errors either). */
export const ZERO_TOTAL_FLOOR = '1e-12';

export interface SloRuleContext {
  slo: Slo;
  sli: PrometheusSli;
  /** Sloth's labels on every recorded series: the SLO's own labels plus sloth_id/service/slo. */
  labels: Labels;
  /** Matcher picking this SLO's recorded series, e.g. `{sloth_id="api-availability"}`. */
  sel: string;
  /** Window label and record suffix of the SLO's whole period (30d, or _month/_week). */
  period: string;
  groups: { fast: GroupRef; long: GroupRef; tiles: GroupRef };
}

export interface GroupRef {
  name: string;
  interval: string;
}

export function sloRuleContext(slo: Slo, sli: PrometheusSli, evaluationInterval: Duration): SloRuleContext {
  const labels = sortLabels({ ...slo.labels, sloth_id: slo.id, sloth_service: slo.service, sloth_slo: slo.name });
  // The long windows move slowly (their tiles change every 10 minutes), so re-reading them every 30 s is
  // most of the CPU the rules cost. Their ratios are read by instant queries (alerts, dashboards), so
  // they are recorded every 2 minutes: one missed evaluation still stays inside Prometheus's 5-minute
  // staleness limit.
  const longInterval = evaluationInterval.seconds >= LONG_INTERVAL.seconds ? evaluationInterval.text : LONG_INTERVAL.text;
  return {
    slo,
    sli,
    labels,
    sel: `{sloth_id="${slo.id}"}`,
    period: periodWindow(slo),
    groups: {
      fast: { name: `solida-slo-${slo.id}`, interval: evaluationInterval.text },
      long: { name: `solida-slo-${slo.id}-long`, interval: longInterval },
      tiles: { name: `solida-slo-${slo.id}-tiles`, interval: TILE.text },
    },
  };
}

/** The window label and record suffix of the SLO's whole period. */
export function periodWindow(slo: Slo): string {
  return slo.window.kind === 'rolling' ? slo.window.duration.text : `_${slo.window.unit}`;
}

/** Every window recorded for the SLO besides its period: Sloth's seven plus any a tier uses. */
export function recordedWindows(slo: Slo): Duration[] {
  const seen = new Map<string, number>(SLOTH_WINDOWS.map((w) => [w, seconds(w)]));
  for (const t of slo.alerting.tiers.filter((t) => t.enabled)) {
    seen.set(t.longWindow.text, t.longWindow.seconds);
    seen.set(t.shortWindow.text, t.shortWindow.seconds);
  }
  return [...seen].map(([text, s]) => ({ text, seconds: s })).sort((a, b) => a.seconds - b.seconds);
}

function seconds(w: string): number {
  const unit = { m: 60, h: 3600, d: 86400 }[w.slice(-1) as 'm' | 'h' | 'd'];
  return Number(w.slice(0, -1)) * unit;
}
