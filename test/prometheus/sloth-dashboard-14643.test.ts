// Sloth's second Grafana dashboard, "High level sloth SLOs" (grafana.com 14643), on generated rules in a
// real Prometheus: every panel query returns data, and its counters count what they say — SLOs and
// services from sloth_slo_info, warning/critical alerts from ALERTS by sloth_severity (a no-data alert is
// neither), the burning-SLO panels list the SLO that burns. The fixture is a reconstruction (see its
// description): the grafana.com JSON is not among the stored sources.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { SloConfig } from '../../src/slo/config.ts';
import { sloRuleGroups } from '../../src/prometheus/rules.ts';
import { renderRuleGroups } from '../../src/prometheus/rules-yaml.ts';
import { modelOf } from './harness.ts';
import { PrometheusFixture, spikyCounters } from './real-prometheus.ts';

interface Panel {
  title?: string;
  type: string;
  panels?: Panel[];
  targets?: { expr: string }[];
}

const fixtures: PrometheusFixture[] = [];
afterAll(async () => {
  for (const f of fixtures) await f.cleanup();
});
const events = (job: string) => ({ events: { errors: `http_requests_total{job="${job}",code=~"5.."}`, total: `http_requests_total{job="${job}"}` } });

/** `job` serving 10 req/s, half of them failing, every minute over [start, end] (OpenMetrics lines). */
function burningCounters(job: string, start: number, end: number): string[] {
  const ok: string[] = [];
  const failed: string[] = [];
  for (let t = start, n = 0; t <= end; t += 60, n += 300) {
    ok.push(`http_requests_total{job="${job}",code="200"} ${n} ${t}`);
    failed.push(`http_requests_total{job="${job}",code="500"} ${n} ${t}`);
  }
  return [...ok, ...failed];
}

describe("Sloth's Grafana dashboard 14643 (high level) on generated rules", () => {
  it('every panel query returns data; SLO, service and alert counters count what they say', async () => {
    const end = Math.floor(Date.now() / 1000 / 60) * 60;
    const model = modelOf({
      evaluationInterval: '1s',
      services: [{ name: 'api' }, { name: 'hot' }],
      slos: [
        { service: 'api', name: 'avail', objective: 99.9, sli: events('api'), alerting: { noData: { enabled: false } } },
        { service: 'api', name: 'ghost', objective: 99.9, sli: events('missing'), alerting: { noData: { for: '2s' } } },
        { service: 'hot', name: 'burning', objective: 99.9, sli: events('hot'), alerting: { noData: { enabled: false } } },
      ] as SloConfig[],
    });
    // Every group every second, so the test sees all recorded series at once (ratios are unaffected).
    const groups = model.slos.flatMap((s) => sloRuleGroups(s, model)).map((g) => ({ ...g, interval: '1s' }));
    const f = new PrometheusFixture();
    fixtures.push(f);
    const spiky = spikyCounters('api', end - 3 * 86400 - 3600, end, 60).replace(/# EOF\n$/, '');
    // OpenMetrics wants a metric family's lines together: the burning job's series follow the spiky ones.
    await f.importOpenMetrics(`${spiky}${burningCounters('hot', end - 3 * 3600, end).join('\n')}\n# EOF\n`);
    const prom = await f.start([renderRuleGroups(groups)]);
    try {
      const ready = [
        'ALERTS{alertname="ApiGhostBudgetBurnNoData",alertstate="firing"}',
        'ALERTS{sloth_slo="burning",severity="page",alertstate="firing"}',
        'slo:period_error_budget_remaining:ratio{sloth_slo="burning"}',
      ];
      for (let i = 0; i < 60; i++) {
        const got = await Promise.all(ready.map((q) => prom.query(q)));
        if (got.every((r) => r.length > 0)) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      for (const q of ready) expect(await prom.query(q), q).not.toHaveLength(0);

      const dashboard = JSON.parse(readFileSync(new URL('../fixtures/grafana-sloth-high-level-14643.json', import.meta.url), 'utf8'));
      const panels: Panel[] = [];
      const walk = (list: Panel[] = []) => {
        for (const p of list) {
          panels.push(p);
          walk(p.panels);
        }
      };
      walk(dashboard.panels);
      // The dashboard's own default for its "Min Burning rate" box (1x).
      const minBurn = dashboard.templating.list.find((v: { name: string }) => v.name === 'min_burning_rate').current.value as string;
      expect(minBurn).toBe('1');
      const expand = (expr: string) => expr.replaceAll('${min_burning_rate}', minBurn);
      const byTitle = (title: string) => {
        const p = panels.find((x) => x.title === title);
        expect(p, title).toBeDefined();
        return expand(p!.targets![0].expr);
      };
      const scalar = async (title: string) => {
        const r = await prom.query(byTitle(title));
        expect(r, title).toHaveLength(1);
        return Number(r[0].value[1]);
      };

      const queries = panels.flatMap((p) => (p.targets ?? []).map((t) => expand(t.expr)));
      expect(queries.length).toBe(9);
      for (const q of queries) expect((await prom.query(q)).length, q).toBeGreaterThan(0);

      expect(await scalar('SLOs')).toBe(3);
      expect(await scalar('Services')).toBe(2);
      // The counters are Sloth's severities: the ghost's no-data alert (firing, severity ticket) is not a
      // budget-burn warning, so Warning counts only the burning SLO's ticket tiers.
      const pages = await prom.query('ALERTS{sloth_slo="burning",severity="page",alertstate="firing"}');
      const tickets = await prom.query('ALERTS{sloth_slo="burning",severity="ticket",alertstate="firing"}');
      expect(tickets.length).toBeGreaterThan(0);
      expect(await scalar('Critical alerts')).toBe(pages.length);
      expect(await scalar('Warning alerts')).toBe(tickets.length);
      // Half the requests fail against a 0.1% budget: a 500x burn, listed among the burning SLOs.
      const exceeded = await prom.query(byTitle('Current exceeded burning rate SLOs'));
      const hot = exceeded.find((r) => r.metric.sloth_slo === 'burning');
      expect(hot?.metric).toMatchObject({ sloth_service: 'hot', sloth_id: 'hot-burning' });
      expect(Number(hot!.value[1])).toBeCloseTo(500, 0);
      const timeline = (await prom.query(byTitle('SLOs burn rate state timeline'))).map((r) => `${r.metric.sloth_service}/${r.metric.sloth_slo}`);
      expect(timeline).toEqual(expect.arrayContaining(['api/avail', 'hot/burning']));
      const remaining = await prom.query(byTitle('Budget remaining 30 day window'));
      expect(remaining.map((r) => r.metric.sloth_id).sort()).toEqual(expect.arrayContaining(['api-avail', 'hot-burning']));
      // 3 hours at 500x of a 30-day budget (the window holds only those 3 hours of traffic): far below zero.
      expect(Number(remaining.find((r) => r.metric.sloth_id === 'hot-burning')!.value[1])).toBeLessThan(-100);
    } finally {
      await prom.stop();
    }
  }, 420_000);
});
