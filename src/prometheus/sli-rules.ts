// SLI recording rules: error and total event rates and the error ratio over every window.
// Short windows (≤ 6h) are rates of the raw counters in the SLO's main group, evaluated every interval,
// so alert timings are those of the raw data. Long windows (1d, 3d, the period) are sums of 10-minute
// tiles in a group of their own: the period budget stays traffic-weighted (errors over requests, not a
// mean of ratios) at a fraction of the samples read.
import { renderWindow } from '../slo/promql.ts';
import type { RecordingRule, RuleGroup } from './rule-group.ts';
import {
  BASE_WINDOW,
  FAST_WINDOW_MAX_SECONDS,
  PERIOD_LABEL,
  RECORD,
  TILE,
  ZERO_TOTAL_FLOOR,
  recordedWindows,
  type SloRuleContext,
} from './slo-context.ts';

export const CALENDAR_INDEX: Record<'month' | 'week', (t: string) => string> = {
  month: (t) => `year(vector(${t})) * 12 + month(vector(${t}))`,
  // Weeks start on Monday (ISO); the epoch was a Thursday, so shift by 4 days.
  week: (t) => `vector(floor((${t} - 345600) / 604800))`,
};

/** errors / total with the total evaluated once (the `(E / (T > 0)) or (T * 0)` form reads it twice). */
export function ratio(errors: string, total: string): string {
  return `(${errors}) / clamp_min(${total}, ${ZERO_TOTAL_FLOOR})`;
}

export function sliRules(ctx: SloRuleContext): RuleGroup[] {
  const { sli, labels, sel, groups } = ctx;
  const windowLabels = (w: string) => ({ ...labels, sloth_window: w });
  const e5 = `${RECORD.errorEvents(BASE_WINDOW)}${sel}`;
  const t5 = `${RECORD.totalEvents(BASE_WINDOW)}${sel}`;

  const fast: RecordingRule[] = [
    { record: RECORD.errorEvents(BASE_WINDOW), expr: renderWindow(sli.errors, BASE_WINDOW), labels },
    { record: RECORD.totalEvents(BASE_WINDOW), expr: renderWindow(sli.total, BASE_WINDOW), labels },
  ];
  const long: RecordingRule[] = [];
  const windows = recordedWindows(ctx.slo);
  for (const w of windows) {
    if (w.text === BASE_WINDOW) fast.push({ record: RECORD.errorRatio(w.text), expr: ratio(e5, t5), labels: windowLabels(w.text) });
    else if (w.seconds <= FAST_WINDOW_MAX_SECONDS) {
      fast.push({ record: RECORD.errorRatio(w.text), expr: ratio(renderWindow(sli.errors, w.text), renderWindow(sli.total, w.text)), labels: windowLabels(w.text) });
    } else long.push({ record: RECORD.errorRatio(w.text), expr: tiledRatio(ctx, w.text), labels: windowLabels(w.text) });
  }
  if (!windows.some((w) => w.text === ctx.period)) {
    const expr = ctx.slo.window.kind === 'rolling' ? tiledRatio(ctx, ctx.period) : calendarRatio(ctx, ctx.slo.window.unit);
    const windowLabel = ctx.slo.window.kind === 'rolling' ? ctx.period : ctx.slo.window.unit;
    long.push({ record: RECORD.errorRatio(ctx.period), expr, labels: windowLabels(windowLabel) });
  }

  return [
    { ...groups.tiles, rules: tileRules(ctx) },
    { ...groups.long, rules: long },
    { ...groups.fast, rules: fast },
  ];
}

/**
 * One tile per 10 minutes: the event rates over the tile. Calendar SLOs label each tile with the period
 * (month or week index) of its last second, so the period sum keeps only this period's tiles.
 */
function tileRules(ctx: SloRuleContext): RecordingRule[] {
  const { sli, labels, slo } = ctx;
  const tag = (expr: string) =>
    slo.window.kind === 'calendar'
      ? `(${expr}) * on() group_left(${PERIOD_LABEL}) count_values("${PERIOD_LABEL}", ${CALENDAR_INDEX[slo.window.unit]('time() - 1')})`
      : expr;
  return [
    { record: RECORD.errorEvents(TILE.text), expr: tag(renderWindow(sli.errors, TILE.text)), labels },
    { record: RECORD.totalEvents(TILE.text), expr: tag(renderWindow(sli.total, TILE.text)), labels },
  ];
}

function tiledRatio(ctx: SloRuleContext, window: string): string {
  const sum = (record: string) => `sum_over_time(${record}${ctx.sel}[${window}])`;
  return ratio(sum(RECORD.errorEvents(TILE.text)), sum(RECORD.totalEvents(TILE.text)));
}

function calendarRatio(ctx: SloRuleContext, unit: 'month' | 'week'): string {
  const span = unit === 'month' ? '31d' : '7d';
  const current = `count_values("${PERIOD_LABEL}", ${CALENDAR_INDEX[unit]('time()')})`;
  const sum = (record: string) => `sum without (${PERIOD_LABEL}) (sum_over_time(${record}${ctx.sel}[${span}]) and on(${PERIOD_LABEL}) ${current})`;
  return ratio(sum(RECORD.errorEvents(TILE.text)), sum(RECORD.totalEvents(TILE.text)));
}
