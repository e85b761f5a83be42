// solida's rules before issue 19 (one group per SLO; windows over 6h and the period summed from 5m
// rates recorded every evaluation; the total evaluated twice in each ratio), kept as the bench's
// baseline so every run measures "today" against the new rules on the same data.
import type { AlertTier, PrometheusSli, Slo } from '../../src/slo/model.ts';
import { renderWindow } from '../../src/slo/promql.ts';
import { humanSeconds } from '../../src/slo/duration.ts';
import { num, sortLabels, type AlertingRule, type RecordingRule, type RuleGroup } from '../../src/prometheus/rule-group.ts';

/** Windows up to this length are computed as raw rates; longer ones from recorded 5m rates. */
const RAW_RATE_MAX_SECONDS = 6 * 3600;
const BASE_WINDOW = '5m';
const CALENDAR_INDEX: Record<'month' | 'week', { now: string; at: (t: string) => string }> = {
  month: { now: 'year() * 12 + month()', at: (t) => `year(vector(${t})) * 12 + month(vector(${t}))` },
  // Weeks start on Monday (ISO); the epoch was a Thursday, so shift by 4 days.
  week: { now: 'vector(floor((time() - 345600) / 604800))', at: (t) => `vector(floor((${t} - 345600) / 604800))` },
};

const RECORD = {
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
  /** Index of the current calendar month/week, recorded in the SLO's group so `@ end()` reads this evaluation's. */
  calendarIndex: 'solida:calendar_period:index',
} as const;

function baseLabels(slo: Slo): Record<string, string> {
  return sortLabels({ ...slo.labels, sloth_id: slo.id, sloth_service: slo.service, sloth_slo: slo.name });
}

/** The window label and record suffix of the SLO's whole period. */
function periodWindow(slo: Slo): string {
  return slo.window.kind === 'rolling' ? slo.window.duration.text : `_${slo.window.unit}`;
}

function alertWindows(slo: Slo): { text: string; seconds: number }[] {
  const seen = new Map<string, number>([[BASE_WINDOW, 300]]);
  for (const t of slo.alerting.tiers.filter((t) => t.enabled)) {
    seen.set(t.longWindow.text, t.longWindow.seconds);
    seen.set(t.shortWindow.text, t.shortWindow.seconds);
  }
  return [...seen].map(([text, seconds]) => ({ text, seconds })).sort((a, b) => a.seconds - b.seconds);
}

export function legacySloGroups(slo: Slo, interval: string): RuleGroup[] {
  const sli = slo.sli as PrometheusSli;
  const labels = baseLabels(slo);
  const sel = `{sloth_id="${slo.id}"}`;
  const ratio = (e: string, t: string) => `(${e} / (${t} > 0)) or (${t} * 0)`;

  const recordings: RecordingRule[] = [
    { record: RECORD.errorEvents(BASE_WINDOW), expr: renderWindow(sli.errors, BASE_WINDOW), labels },
    { record: RECORD.totalEvents(BASE_WINDOW), expr: renderWindow(sli.total, BASE_WINDOW), labels },
  ];
  const e5 = `${RECORD.errorEvents(BASE_WINDOW)}${sel}`;
  const t5 = `${RECORD.totalEvents(BASE_WINDOW)}${sel}`;
  for (const w of alertWindows(slo)) {
    let expr: string;
    if (w.text === BASE_WINDOW) expr = ratio(e5, t5);
    else if (w.seconds <= RAW_RATE_MAX_SECONDS) expr = ratio(renderWindow(sli.errors, w.text), renderWindow(sli.total, w.text));
    else expr = ratio(`sum_over_time(${e5}[${w.text}])`, `sum_over_time(${t5}[${w.text}])`);
    recordings.push({ record: RECORD.errorRatio(w.text), expr, labels: { ...labels, sloth_window: w.text } });
  }
  const period = periodWindow(slo);
  if (slo.window.kind === 'rolling') {
    const d = slo.window.duration.text;
    recordings.push({ record: RECORD.errorRatio(period), expr: ratio(`sum_over_time(${e5}[${d}])`, `sum_over_time(${t5}[${d}])`), labels: { ...labels, sloth_window: period } });
  } else {
    // Calendar periods: whole hours since the period began. A Prometheus range cannot start at a date,
    // so an hourly subquery keeps only hours whose index (month or week) is the current one.
    const idx = CALENDAR_INDEX[slo.window.unit];
    const span = slo.window.unit === 'month' ? '31d' : '7d';
    recordings.push(
      { record: RECORD.errorEvents('1h'), expr: renderWindow(sli.errors, '1h'), labels },
      { record: RECORD.totalEvents('1h'), expr: renderWindow(sli.total, '1h'), labels },
      { record: RECORD.calendarIndex, expr: idx.now, labels: { ...labels, sloth_window: slo.window.unit } },
    );
    // An hour is in the period when the period index at its last second equals the index now.
    const inPeriod = `and on() (${idx.at('time() - 1')} == on() (${RECORD.calendarIndex}${sel} @ end()))`;
    const sum = (rec: string) => `sum_over_time((${rec}${sel} ${inPeriod})[${span}:1h])`;
    recordings.push({ record: RECORD.errorRatio(period), expr: ratio(sum(RECORD.errorEvents('1h')), sum(RECORD.totalEvents('1h'))), labels: { ...labels, sloth_window: slo.window.unit } });
  }

  const budget = num(slo.errorBudget);
  const periodDays = num(slo.periodSeconds / 86400);
  const meta: RecordingRule[] = [
    { record: RECORD.objective, expr: `vector(${num(slo.objective / 100)})`, labels },
    { record: RECORD.errorBudget, expr: `vector(${budget})`, labels },
    { record: RECORD.timePeriodDays, expr: `vector(${periodDays})`, labels },
    { record: RECORD.currentBurnRate, expr: `sum without (sloth_window) (${RECORD.errorRatio(BASE_WINDOW)}${sel}) / ${budget}`, labels },
    { record: RECORD.periodBurnRate, expr: `sum without (sloth_window) (${RECORD.errorRatio(period)}${sel}) / ${budget}`, labels },
    { record: RECORD.periodBudgetRemaining, expr: `1 - ${RECORD.periodBurnRate}${sel}`, labels },
    {
      record: RECORD.info,
      expr: 'vector(1)',
      labels: sortLabels({ ...labels, sloth_mode: 'solida', sloth_spec: 'solida/v1', sloth_version: 'solida', sloth_objective: String(slo.objective) }),
    },
  ];

  const alerts: AlertingRule[] = slo.alerting.tiers.filter((t) => t.enabled).map((t) => tierAlert(slo, t, labels, sel));
  if (slo.alerting.noData.enabled) {
    alerts.push({
      alert: `${slo.alerting.name}NoData`,
      expr: `absent(${t5})`,
      for: slo.alerting.noData.for.text,
      labels: sortLabels({ ...labels, severity: slo.alerting.noData.severity, sloth_severity: slo.alerting.noData.severity, ...slo.alerting.labels }),
      annotations: sortLabels({
        summary: `No data for SLO ${slo.id}: its SLI series are absent`,
        description: `The total-events query of ${slo.id} returned nothing for ${slo.alerting.noData.for.text}; burn-rate alerts cannot fire. Check the scrape target and the metric names.`,
        ...(slo.alerting.runbookUrl ? { runbook_url: slo.alerting.runbookUrl } : {}),
      }),
    });
  }

  // One group per SLO: Prometheus evaluates a group's rules in order, so the alerts always read the
  // ratios recorded in the same evaluation. Separate groups run independently and can lag an interval.
  return [{ name: `solida-slo-${slo.id}`, interval, rules: [...recordings, ...meta, ...alerts] }];
}

function tierAlert(slo: Slo, t: AlertTier, labels: Record<string, string>, sel: string): AlertingRule {
  const threshold = `(${num(t.burnRate)} * ${num(slo.errorBudget)})`;
  const long = `${RECORD.errorRatio(t.longWindow.text)}${sel}`;
  const short = `${RECORD.errorRatio(t.shortWindow.text)}${sel}`;
  const consumed = (t.burnRate * t.longWindow.seconds) / slo.periodSeconds;
  const runbook = slo.alerting.runbookUrl;
  return {
    alert: slo.alerting.name,
    expr: `(max without (sloth_window) (${long}) > ${threshold}) and (max without (sloth_window) (${short}) > ${threshold})`,
    ...(t.for.seconds > 0 ? { for: t.for.text } : {}),
    labels: sortLabels({ ...labels, severity: t.severity, sloth_severity: t.severity, solida_tier: t.name, ...slo.alerting.labels, ...t.labels }),
    annotations: sortLabels({
      summary: `${slo.id}: error budget burning at over ${num(t.burnRate)}x (${t.name})`,
      description: `${slo.description ?? slo.id}: the error ratio over ${t.longWindow.text} and ${t.shortWindow.text} is above ${num(t.burnRate)}x the budget of ${num(100 - slo.objective)}%. At this rate ${pct(consumed)} of the ${humanSeconds(slo.periodSeconds)} budget goes in ${t.longWindow.text}.`,
      burn_rate: num(t.burnRate),
      windows: `${t.longWindow.text}/${t.shortWindow.text}`,
      ...(runbook ? { runbook_url: runbook } : {}),
      ...slo.alerting.annotations,
      ...t.annotations,
    }),
  };
}

function pct(x: number): string {
  return `${Number((x * 100).toPrecision(3))}%`;
}
