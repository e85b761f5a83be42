// The generated rules in a real Prometheus: (1) the period budget of the new rules (10-minute tiles)
// equals the old rules' (5-minute rates recorded every evaluation) and the exact traffic-weighted
// figure, on the same spiky counters; (2) every query of Sloth's Grafana dashboard 14348 (copied into
// test/fixtures) returns data against the generated rules, and its ticket-alert panel does not count
// the no-data alert.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { SloConfig } from '../../src/slo/config.ts';
import { sloRuleGroups } from '../../src/prometheus/rules.ts';
import { renderRuleGroups } from '../../src/prometheus/rules-yaml.ts';
import { isAlertingRule, type RecordingRule, type RuleGroup } from '../../src/prometheus/rule-group.ts';
import { legacySloGroups } from '../../bench/rules/legacy-solida.ts';
import { modelOf } from './harness.ts';
import { PrometheusFixture, spikyCounters } from './real-prometheus.ts';

const fixtures: PrometheusFixture[] = [];
afterAll(async () => {
  for (const f of fixtures) await f.cleanup();
});
const events = (job: string) => ({ events: { errors: `http_requests_total{job="${job}",code=~"5.."}`, total: `http_requests_total{job="${job}"}` } });
const records = (groups: RuleGroup[]) => groups.flatMap((g) => g.rules).filter((r): r is RecordingRule => !isAlertingRule(r));
const value = async (p: { query: (e: string, t?: number) => Promise<{ value: [number, string] }[]> }, expr: string, at: number) => {
  const result = await p.query(expr, at);
  expect(result, expr).toHaveLength(1);
  return Number(result[0].value[1]);
};

describe('period budget in real Prometheus', () => {
  it('new rules (10-minute tiles) give the old rules’ traffic-weighted budget within 0.001', async () => {
    const end = Math.floor(Date.now() / 1000 / 60) * 60 - 600;
    const start = end - 3 * 86400 - 3 * 3600;
    const model = modelOf({ evaluationInterval: '1m', services: [{ name: 'api' }], slos: [{ service: 'api', name: 'avail', objective: 99, window: '3d', sli: events('api') } as SloConfig] });
    const slo = model.slos[0];
    const fresh = records(sloRuleGroups(slo, model));
    const old = records(legacySloGroups(slo, '1m'));
    const tiles = fresh.filter((r) => r.record.endsWith(':rate10m'));
    const oldBase = old.filter((r) => r.record.endsWith('_events:rate5m'));
    expect(tiles).toHaveLength(2);
    expect(oldBase).toHaveLength(2);

    const f = new PrometheusFixture();
    fixtures.push(f);
    await f.importOpenMetrics(spikyCounters('api', start, end, 60));
    // What each rule set records every evaluation, over the whole history, as Prometheus records it.
    await f.backfillRules(renderRuleGroups([{ name: 'old-base', interval: '1m', rules: oldBase }, { name: 'new-tiles', interval: '10m', rules: tiles }]), start + 900, end);
    const prom = await f.start();
    try {
      // Nothing here waits for a rule evaluation: every recorded sample the 3d windows read was backfilled
      // by promtool, as Prometheus would have recorded it. Checked first, so a gap shows as such: one tile
      // per 10 minutes and one old base sample per minute over the whole 3 days.
      for (const [record, every] of [['slo:sli_total_events:rate10m', 600], ['slo:sli_total_events:rate5m', 60]] as const) {
        const n = await value(prom, `count_over_time(${record}{sloth_id="${slo.id}"}[3d])`, end);
        expect(Math.abs(n - (3 * 86400) / every), `${record} samples in the 3d window`).toBeLessThanOrEqual(1);
      }
      const period = (rules: RecordingRule[]) => rules.find((r) => r.record === 'slo:sli_error:ratio_rate3d')!.expr;
      const budget = slo.errorBudget;
      const remainingNew = 1 - (await value(prom, period(fresh), end)) / budget;
      const remainingOld = 1 - (await value(prom, period(old), end)) / budget;
      const truth = 1 - (await value(prom, 'sum(increase(http_requests_total{code="500"}[3d])) / sum(increase(http_requests_total[3d]))', end)) / budget;
      const meanOfRatios = 1 - (await value(prom, 'avg_over_time((sum(rate(http_requests_total{code="500"}[5m])) / sum(rate(http_requests_total[5m])))[3d:5m])', end)) / budget;
      expect(Math.abs(remainingNew - remainingOld), `new ${remainingNew} old ${remainingOld}`).toBeLessThanOrEqual(0.001);
      expect(Math.abs(remainingNew - truth), `new ${remainingNew} truth ${truth}`).toBeLessThanOrEqual(0.001);
      // The data is spiky enough that a mean of ratios (Sloth's period) is far off: the check has teeth.
      expect(Math.abs(meanOfRatios - truth)).toBeGreaterThan(0.05);
    } finally {
      await prom.stop();
    }
  }, 420_000);
});

describe("Sloth's Grafana dashboard 14348 on generated rules", () => {
  it('every panel query returns data; the ticket panel ignores the no-data alert', async () => {
    const end = Math.floor(Date.now() / 1000 / 60) * 60;
    const model = modelOf({
      evaluationInterval: '1s',
      services: [{ name: 'api' }],
      slos: [
        { service: 'api', name: 'avail', objective: 99.9, sli: events('api'), alerting: { noData: { enabled: false } } },
        { service: 'api', name: 'ghost', objective: 99.9, sli: events('missing'), alerting: { noData: { for: '2s' } } },
      ] as SloConfig[],
    });
    // Every group every second, so a test sees all recorded series at once (ratios are unaffected).
    const groups = model.slos.flatMap((s) => sloRuleGroups(s, model)).map((g) => ({ ...g, interval: '1s' }));
    const f = new PrometheusFixture();
    fixtures.push(f);
    await f.importOpenMetrics(spikyCounters('api', end - 3 * 86400 - 3600, end, 60));
    const prom = await f.start([renderRuleGroups(groups)]);
    try {
      const firing = 'ALERTS{alertname="ApiGhostBudgetBurnNoData",alertstate="firing"}';
      for (let i = 0; i < 60 && ((await prom.query(firing)).length === 0 || (await prom.query('slo:period_error_budget_remaining:ratio')).length === 0); i++) await new Promise((r) => setTimeout(r, 1000));
      expect(await prom.query(firing)).toHaveLength(1);

      const dashboard = JSON.parse(readFileSync(new URL('../fixtures/grafana-sloth-slo-detail-14348.json', import.meta.url), 'utf8'));
      const targets: string[] = [];
      const walk = (panels: { panels?: unknown[]; targets?: { expr: string }[] }[] = []) => {
        for (const p of panels) {
          for (const t of p.targets ?? []) targets.push(t.expr);
          walk(p.panels as typeof panels);
        }
      };
      walk(dashboard.panels);
      const windows: string[] = dashboard.templating.list.find((v: { name: string }) => v.name === 'sli_window').options.map((o: { value: string }) => o.value);
      expect(targets.length).toBeGreaterThan(10);
      const month = new Date().getUTCMonth() + 1;
      const expand = (expr: string, slo: string, window: string) =>
        expr
          .replaceAll('${service}', 'api')
          .replaceAll('${slo}', slo)
          .replaceAll('${sli_window}', window)
          .replaceAll('${min_burning_rate}', '0')
          .replaceAll('${__to:date:M}', String(month))
          // The month burndown samples slo:sli_error:ratio_rate1h on the hour; rules loaded seconds ago
          // have no sample at an hour yet, so the test samples every second instead.
          .replaceAll('[32d:1h]', '[32d:1s]')
          // The panels fall back to a constant when a series is missing; without it, "no data" shows.
          .replace(/\s+(OR|or) on\(\) vector\([01]\)/g, '');
      for (const expr of targets) {
        if (expr.includes('ALERTS')) continue;
        for (const window of expr.includes('${sli_window}') ? windows : ['']) {
          const q = expand(expr, 'avail', window);
          expect((await prom.query(q)).length, q).toBeGreaterThan(0);
        }
      }
      // The variables: services and SLOs come from slo:objective:ratio's labels.
      expect((await prom.query('slo:objective:ratio')).map((r) => r.metric.sloth_slo).sort()).toEqual(['avail', 'ghost']);
      // The ticket panel counts ALERTS{sloth_severity="ticket"}: the ghost SLO's no-data alert must not.
      const ticket = targets.find((t) => t.includes('sloth_severity="ticket"'))!;
      expect(await prom.query(expand(ticket, 'ghost', ''))).toHaveLength(0);
    } finally {
      await prom.stop();
    }
  }, 420_000);
});
