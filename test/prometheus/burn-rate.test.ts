// The generated rules, evaluated by the real promtool on synthetic traffic whose answers are worked
// out by hand from the SRE workbook's arithmetic (see each case's comment).
import { describe, expect, it } from 'vitest';
import type { SolidaConfig, SloConfig } from '../../src/slo/config.ts';
import { counter, modelOf, runPromtool, type PromtoolCase } from './harness.ts';

const api = { name: 'api' };
const events = { events: { errors: 'http_requests_total{job="api",code=~"5.."}', total: 'http_requests_total{job="api"}' } };
const only = (tier: string) => ({
  tiers: Object.fromEntries(['page-1h', 'page-6h', 'ticket-1d', 'ticket-3d'].map((t) => [t, { enabled: t === tier }])),
  noData: { enabled: false },
});
const cfg = (slos: Partial<SloConfig>[], evaluationInterval = '1m'): SolidaConfig => ({
  evaluationInterval,
  scrapeInterval: '15s',
  services: [api],
  slos: slos.map((s, i) => ({ service: 'api', name: `slo${i}`, objective: 99.9, sli: events, ...s }) as SloConfig),
});
/** Sloth-style labels every SLO alert carries, plus the tier's. */
const alertLabels = (slo: string, tier: string, severity = tier.startsWith('page') ? 'page' : 'ticket') => ({
  severity,
  sloth_id: `api-${slo}`,
  sloth_service: 'api',
  sloth_slo: slo,
  sloth_severity: severity,
  solida_tier: tier,
});
const series = (ok: string, errors: string) => [
  { series: 'http_requests_total{job="api",code="200"}', values: ok },
  { series: 'http_requests_total{job="api",code="500"}', values: errors },
];
/** promql_expr_test that a value lies in (lo, hi): the expression yields 1 only then. */
const between = (expr: string, eval_time: string, lo: number, hi: number) => ({
  expr: `sum((${expr} > bool ${lo}) * (${expr} < bool ${hi}))`,
  eval_time,
  exp_samples: [{ value: 1 }],
});

async function expectPass(config: SolidaConfig, cases: PromtoolCase[], evaluationInterval = '1m') {
  const result = await runPromtool(modelOf(config), cases, evaluationInterval);
  expect(result.output).toContain('SUCCESS');
  expect(result.ok, result.output).toBe(true);
}

describe('burn-rate alerts in promtool', () => {
  it('a total outage at 99.9% pages on the 1h tier within 51.8s + one evaluation, and not before', async () => {
    // 100 req/s healthy for 2h, then every request fails from 120m. Workbook: 14.4 × 0.1% = 1.44% of 1h
    // is 51.8s of total outage; with 1m evaluations the first chance is 121m; at 120m nothing is wrong yet.
    await expectPass(cfg([{ alerting: only('page-1h') }]), [
      {
        interval: '1m',
        input_series: series(counter([[6000, 120], [0, 30]]), counter([[0, 120], [6000, 30]])),
        alert_rule_test: [
          { eval_time: '120m', alertname: 'ApiSlo0BudgetBurn', exp_alerts: [] },
          { eval_time: '121m', alertname: 'ApiSlo0BudgetBurn', exp_alerts: [{ exp_labels: alertLabels('slo0', 'page-1h') }] },
        ],
      },
    ]);
  });

  it('a total outage pages on the 6h tier after 6% of 6h × 0.1% = 129.6s, and not before', async () => {
    // 400 minutes of healthy history fill the 6h window; detection 129.6s ⇒ fires at 403m, not at 402m.
    await expectPass(cfg([{ alerting: only('page-6h') }]), [
      {
        interval: '1m',
        input_series: series(counter([[6000, 400], [0, 10]]), counter([[0, 400], [6000, 10]])),
        alert_rule_test: [
          { eval_time: '402m', alertname: 'ApiSlo0BudgetBurn', exp_alerts: [] },
          { eval_time: '403m', alertname: 'ApiSlo0BudgetBurn', exp_alerts: [{ exp_labels: alertLabels('slo0', 'page-6h') }] },
        ],
      },
    ]);
  });

  it('a 2x burn never pages but opens a ticket (the 1x/3d tier)', async () => {
    // 0.2% errors = 2× the 0.1% budget: below page thresholds (1.44%, 0.6%) and the 3x ticket (0.3%),
    // above the 1x ticket (0.1%).
    const ok = counter([[5988, 480]]);
    const errors = counter([[12, 480]]);
    const ticket = [{ exp_labels: alertLabels('slo0', 'ticket-3d') }];
    await expectPass(cfg([{}]), [
      {
        interval: '1m',
        input_series: series(ok, errors),
        alert_rule_test: ['60m', '240m', '480m'].map((t) => ({ eval_time: t, alertname: 'ApiSlo0BudgetBurn', exp_alerts: ticket })),
      },
    ]);
  });

  it('the page resets after recovery within the short window × (1 − threshold) + one evaluation', async () => {
    // Outage 120m–140m. The 5m short window clears after 5m × (1 − 1.44%) = 4.93m, so by 146m at the latest.
    await expectPass(cfg([{ alerting: only('page-1h') }]), [
      {
        interval: '1m',
        input_series: series(counter([[6000, 120], [0, 20], [6000, 30]]), counter([[0, 120], [6000, 20], [0, 30]])),
        alert_rule_test: [
          { eval_time: '139m', alertname: 'ApiSlo0BudgetBurn', exp_alerts: [{ exp_labels: alertLabels('slo0', 'page-1h') }] },
          { eval_time: '143m', alertname: 'ApiSlo0BudgetBurn', exp_alerts: [{ exp_labels: alertLabels('slo0', 'page-1h') }] },
          { eval_time: '146m', alertname: 'ApiSlo0BudgetBurn', exp_alerts: [] },
        ],
      },
    ]);
  });

  it('spiky traffic: the period budget is traffic-weighted, not a mean of 5m ratios', async () => {
    // Hour 1: 100 req/s, no errors. Hour 2: 1 req/s, half failing. Errors over requests:
    // 1800 / 363600 = 0.495% of a 1% budget ⇒ about 0.505 remaining. A mean of 5m ratios (~25%)
    // would say the budget is 24× overspent.
    await expectPass(cfg([{ objective: 99, window: '7d', alerting: only('none') }]), [
      {
        interval: '1m',
        input_series: series(counter([[6000, 60], [30, 60]]), counter([[0, 60], [30, 60]])),
        promql_expr_test: [
          between('slo:period_error_budget_remaining:ratio{sloth_id="api-slo0"}', '120m', 0.45, 0.56),
          between('slo:sli_error:ratio_rate7d{sloth_id="api-slo0"}', '120m', 0.0044, 0.0055),
        ],
      },
    ]);
  });

  it('quiet periods: no traffic gives a zero error ratio and a full budget, no NaN and no alerts', async () => {
    const flat = '100+0x400';
    await expectPass(cfg([{}]), [
      {
        interval: '1m',
        input_series: series(flat, flat),
        promql_expr_test: [
          { expr: 'slo:period_error_budget_remaining:ratio{sloth_id="api-slo0"}', eval_time: '6h', exp_samples: [{ labels: 'slo:period_error_budget_remaining:ratio{sloth_id="api-slo0",sloth_service="api",sloth_slo="slo0"}', value: 1 }] },
          { expr: 'slo:sli_error:ratio_rate5m{sloth_id="api-slo0"}', eval_time: '6h', exp_samples: [{ labels: 'slo:sli_error:ratio_rate5m{sloth_id="api-slo0",sloth_service="api",sloth_slo="slo0",sloth_window="5m"}', value: 0 }] },
        ],
        alert_rule_test: [
          { eval_time: '6h', alertname: 'ApiSlo0BudgetBurn', exp_alerts: [] },
          { eval_time: '6h', alertname: 'ApiSlo0BudgetBurnNoData', exp_alerts: [] },
        ],
      },
    ]);
  });

  it('absent SLI series raise the no-data ticket after its for: duration', async () => {
    await expectPass(cfg([{ sli: { events: { errors: 'missing_total{code="500"}', total: 'missing_total' } } }]), [
      {
        interval: '1m',
        input_series: series('0+1x60', '0+0x60'),
        alert_rule_test: [
          { eval_time: '5m', alertname: 'ApiSlo0BudgetBurnNoData', exp_alerts: [] },
          { eval_time: '15m', alertname: 'ApiSlo0BudgetBurnNoData', exp_alerts: [{ exp_labels: { severity: 'ticket', sloth_id: 'api-slo0', sloth_service: 'api', sloth_slo: 'slo0' } }] },
        ],
      },
    ]);
  });

  it('the 1h tier is 14.4x for any period up to 30 days and keeps the workbook budget share beyond: 1.5% errors page 30d, 28d, 7d and a month, not 90d', async () => {
    // 1h tier thresholds: 30d, 28d, 7d and a calendar month 14.4×0.1% = 1.44%; 90d keeps the workbook's
    // 2% of the budget in an hour: 43.2×0.1% = 4.32%. (Scaling 7d and 28d by budget share would page 7d
    // at 0.336% and put its ticket tiers under 1×.)
    const config = cfg([
      { name: 'thirty', window: '30d', alerting: only('page-1h') },
      { name: 'twentyeight', window: '28d', alerting: only('page-1h') },
      { name: 'seven', window: '7d', alerting: only('page-1h') },
      { name: 'month', window: { calendar: 'month' }, alerting: only('page-1h') },
      { name: 'ninety', window: '90d', alerting: only('page-1h') },
    ]);
    const at = (slo: string, firing: boolean, eval_time = '120m') => ({
      eval_time,
      alertname: `Api${slo[0].toUpperCase()}${slo.slice(1)}BudgetBurn`,
      exp_alerts: firing ? [{ exp_labels: alertLabels(slo, 'page-1h') }] : [],
    });
    await expectPass(config, [
      {
        interval: '1m',
        input_series: series(counter([[5910, 130]]), counter([[90, 130]])),
        alert_rule_test: [at('thirty', true), at('twentyeight', true), at('seven', true), at('month', true), at('ninety', false)],
      },
      {
        // 1.4% is under 1.44% everywhere: nothing pages (the old budget-share scaling paged 7d and 28d here).
        interval: '1m',
        input_series: series(counter([[5916, 130]]), counter([[84, 130]])),
        alert_rule_test: [at('thirty', false), at('twentyeight', false), at('seven', false), at('month', false), at('ninety', false)],
      },
    ]);
  });
});

describe('calendar-month budget in promtool', () => {
  it('counts only the current month: January errors are forgotten on February 1st', async () => {
    // 10 req/s with 0.5% errors all of January 1970, none in February. Objective 99% ⇒ half the budget
    // is spent during January; on Feb 2nd the month-to-date budget is whole again, while a rolling
    // 30d window would still show about half spent.
    // Hourly evaluation keeps promtool fast over 33 days (promtool evaluates every group at each step,
    // so the 10-minute tiles sample one tile an hour: the ratio of sums is unchanged for steady traffic).
    // Samples every 5 minutes: a 10-minute tile needs two samples, as any real scrape interval gives.
    const step = 3000; // requests per 5 minutes
    const jan = 31 * 288;
    const config = cfg([{ objective: 99, window: { calendar: 'month' }, alerting: only('none') }], '1h');
    await expectPass(
      config,
      [
        {
          interval: '5m',
          input_series: series(counter([[step - 15, jan], [step, 720]]), counter([[15, jan], [0, 720]])),
          promql_expr_test: [
            between('slo:period_error_budget_remaining:ratio{sloth_id="api-slo0"}', '480h', 0.49, 0.51),
            between('slo:period_error_budget_remaining:ratio{sloth_id="api-slo0"}', '792h', 0.999, 1.001),
          ],
        },
      ],
      '1h',
    );
  }, 120_000);
});
