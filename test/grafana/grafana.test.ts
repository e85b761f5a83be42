// `solida generate grafana`: dashboards valid against Grafana's published schema, and every panel's
// query returning data from a real Prometheus that evaluates the generated rules over live traffic.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { stringify } from 'yaml';
import { generatePrometheusRules } from '../../src/prometheus/rules.ts';
import { grafanaDashboards } from '../../src/grafana/dashboards.ts';
import { validateDashboard } from '../../src/grafana/validate.ts';
import { registerGrafanaCommand } from '../../src/cli/commands/grafana.ts';
import { SolidaError } from '../../src/util/errors.ts';
import { modelOf } from '../prometheus/harness.ts';
import { eventually, everyGroupEvery, startLivePrometheus, type LivePrometheus } from '../serve/live-prometheus.ts';
import { CONFIG, HISTORY_SECONDS, JOBS } from '../serve/scenario.ts';

type Json = Record<string, any>;
const model = modelOf(CONFIG);
const files = grafanaDashboards(model);
const byPath = (p: string) => files.find((f) => f.path === p)!.dashboard as Json;

describe('generated dashboards', () => {
  it('are an overview and one dashboard per service, all valid against Grafana\'s dashboard schema', () => {
    expect(files.map((f) => f.path)).toEqual(['slo-overview.json', 'service-checkout.json', 'service-inventory.json', 'service-search.json']);
    for (const f of files) expect(validateDashboard(f.dashboard), f.path).toEqual([]);
  });

  it('the validation catches what Grafana would not accept', () => {
    const d = structuredClone(byPath('slo-overview.json'));
    d.panels[0].options.graphMode = 'sparkline';
    d.panels[1].targets[0].exprr = 'typo';
    delete d.templating;
    const problems = validateDashboard(d);
    expect(problems).toContain(": must have required property 'templating'");
    expect(problems).toContain('/panels/0/options/graphMode: must be equal to one of the allowed values');
    expect(problems).toContain('/panels/1/targets/0: must NOT have additional properties (exprr)');
  });

  it('have service and SLO template variables', () => {
    const vars = (d: Json) => d.templating.list.map((v: Json) => `${v.name}:${v.type}:${v.query}`);
    expect(vars(byPath('slo-overview.json'))).toEqual([
      'datasource:datasource:prometheus',
      'service:query:label_values(sloth_slo_info, sloth_service)',
      'slo:query:label_values(sloth_slo_info{sloth_service=~"$service"}, sloth_id)',
    ]);
    expect(vars(byPath('service-search.json'))).toContain('slo:query:label_values(sloth_slo_info{sloth_service="search"}, sloth_id)');
    // search's page-1h fires at 14.4 × its 0.5% budget = 7.2% errors.
    const titles = byPath('service-search.json').panels.map((p: Json) => p.title);
    expect(titles).toContain('page-1h: error ratio vs 7.2% (14.4× burn)');
    expect(titles).toContain('Alert tiers of search-availability');
  });
});

describe('every panel query against a real Prometheus with the generated rules', () => {
  let prom: LivePrometheus;
  beforeAll(async () => {
    prom = await startLivePrometheus(JOBS, HISTORY_SECONDS, everyGroupEvery(generatePrometheusRules(model), '2s'));
    // The rules record the period budget of the rolling SLOs after their first evaluations.
    await eventually('recorded budget of the rolling SLOs', 30_000, async () => ((await instant(prom.url, 'slo:period_error_budget_remaining:ratio')).length >= 2 ? true : undefined));
    await eventually('search alerts firing', 30_000, async () => ((await instant(prom.url, 'ALERTS{alertstate="firing",sloth_id="search-availability"}')).length ? true : undefined));
  }, 150_000);
  afterAll(async () => {
    await prom?.stop();
  });

  /** The queries Grafana sends: each target with the variables set as a person would pick them. */
  function queries(d: Json, vars: Record<string, string>): { panel: string; expr: string; range: boolean }[] {
    const out: { panel: string; expr: string; range: boolean }[] = [];
    for (const p of d.panels as Json[]) {
      for (const t of (p.targets ?? []) as Json[]) {
        let expr = String(t.expr);
        for (const [k, v] of Object.entries(vars)) expr = expr.split(`$${k}`).join(v);
        expect(expr, `${p.title}: unresolved variable`).not.toMatch(/\$\w/);
        out.push({ panel: `${p.title} [${t.refId}]`, expr, range: t.range === true });
      }
    }
    return out;
  }

  it('the overview (all services, all SLOs)', async () => {
    const qs = queries(byPath('slo-overview.json'), { service: '.*', slo: '.*' });
    expect(qs.length).toBeGreaterThanOrEqual(12);
    for (const q of qs) expect((await run(prom.url, q)).length, q.panel).toBeGreaterThan(0);
    // The table has a row per SLO with data; the alerts column says 4 firing tiers for search, 0 for checkout.
    const alerts = await instant(prom.url, qs.find((q) => q.panel.startsWith('SLOs now [F]'))!.expr);
    const firing = Object.fromEntries(alerts.map((s) => [s.metric.sloth_id, Number(s.value[1])]));
    expect(firing['checkout-availability']).toBe(0);
    expect(firing['search-availability']).toBeGreaterThanOrEqual(1);
  });

  it('each service dashboard for each of its SLOs', async () => {
    // checkout-monthly is left out: a calendar period's ratio sums hourly recorded rates at whole hours, so it
    // has data only once the rules have run past an hour boundary (a fresh Prometheus has minutes of them).
    for (const [path, ids] of [['service-checkout.json', ['checkout-availability']], ['service-search.json', ['search-availability']]] as const) {
      for (const slo of ids) {
        for (const q of queries(byPath(path), { slo })) expect((await run(prom.url, q)).length, `${path} ${slo}: ${q.panel}`).toBeGreaterThan(0);
      }
    }
  });

  it('the variables list the services and SLOs', async () => {
    const services = await labelValues(prom.url, 'sloth_service', 'sloth_slo_info');
    expect(services).toEqual(['checkout', 'inventory', 'search']);
    expect(await labelValues(prom.url, 'sloth_id', 'sloth_slo_info{sloth_service="checkout"}')).toEqual(['checkout-availability', 'checkout-monthly']);
  });
});

describe('solida generate grafana', () => {
  const dir = mkdtempSync(join(tmpdir(), 'solida-grafana-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = async (args: string[]) => {
    const program = new Command('solida').exitOverride();
    registerGrafanaCommand(program);
    await program.parseAsync(['generate', 'grafana', ...args], { from: 'user' });
  };

  it('writes one JSON file per dashboard', async () => {
    const cfg = join(dir, 'solida.yaml');
    writeFileSync(cfg, stringify(CONFIG));
    await cli(['-c', cfg, '-o', join(dir, 'out')]);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['service-checkout.json', 'service-inventory.json', 'service-search.json', 'slo-overview.json']);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'slo-overview.json'), 'utf8')).uid).toBe('solida-slo-overview');
  });

  it('refuses a config without a Prometheus SLI, writing nothing', async () => {
    const cfg = join(dir, 'cw.yaml');
    writeFileSync(cfg, stringify({ services: [{ name: 'api' }], slos: [{ service: 'api', name: 'avail', objective: 99.9, sli: { cloudwatch: { errors: [{ namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count' }], total: [{ namespace: 'AWS/ApplicationELB', metricName: 'RequestCount' }] } } }] }));
    const err = await cli(['-c', cfg, '-o', join(dir, 'none')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SolidaError);
    expect((err as SolidaError).exitCode).toBe(2);
    expect((err as SolidaError).problems[0].message).toMatch(/no SLO has a Prometheus SLI/);
    expect(() => readdirSync(join(dir, 'none'))).toThrow();
  });
});

interface Sample { metric: Record<string, string>; value: [number, string] }

async function api(url: string, path: string, params: Record<string, string>): Promise<any> {
  const res = await fetch(`${url}${path}`, { method: 'POST', body: new URLSearchParams(params) });
  const body = (await res.json()) as { status: string; error?: string; data: any };
  if (body.status !== 'success') throw new Error(`${body.error}: ${params.query ?? ''}`);
  return body.data;
}

async function instant(url: string, query: string): Promise<Sample[]> {
  return (await api(url, '/api/v1/query', { query })).result as Sample[];
}

async function run(url: string, q: { expr: string; range: boolean }): Promise<unknown[]> {
  if (!q.range) return instant(url, q.expr);
  const end = Date.now() / 1000;
  return (await api(url, '/api/v1/query_range', { query: q.expr, start: String(end - 600), end: String(end), step: '15' })).result as unknown[];
}

async function labelValues(url: string, label: string, match: string): Promise<string[]> {
  const res = await fetch(`${url}/api/v1/label/${label}/values?${new URLSearchParams({ 'match[]': match })}`);
  return ((await res.json()) as { data: string[] }).data.sort();
}
