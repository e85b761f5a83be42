// Pyrra ServiceLevelObjectives (the examples of Pyrra's repository, copied unchanged under
// test/fixtures/specs/pyrra) and `grouping` — Pyrra's and solida's own — proven in real promtool: one
// definition gives one SLO per label value, each with its own ratio and its own alerts.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/slo/load.ts';
import { parseSpecText } from '../../src/slo/spec-text.ts';
import type { Problem, SolidaError } from '../../src/util/errors.ts';
import { counter, runPromtool } from '../prometheus/harness.ts';

const pyrra = (name: string) => new URL(`../fixtures/specs/pyrra/${name}`, import.meta.url).pathname;

function refusal(spec: string, file = 'slo.yaml'): { message: string; problems: Problem[] } {
  try {
    parseSpecText(spec, file);
  } catch (err) {
    return { message: (err as SolidaError).message, problems: (err as SolidaError).problems };
  }
  throw new Error('expected the spec to be refused');
}

describe('Pyrra ServiceLevelObjective', () => {
  const files = readdirSync(new URL('../fixtures/specs/pyrra/', import.meta.url)).filter((f) => f.endsWith('.yaml') && f !== 'pyrra-connect-latency.yaml');

  it.each(files)('reads %s', async (file) => {
    const { format, model } = await loadSpec(pyrra(file));
    expect(format).toBe('pyrra');
    expect(model.slos.length).toBeGreaterThan(0);
    for (const slo of model.slos) expect(slo.source).toMatchObject({ format: 'pyrra', spec: 'pyrra.dev/v1alpha1' });
  });

  it('reads target, window, ratio with grouping, and keeps the object labels off the rules', async () => {
    const slo = (await loadSpec(pyrra('prometheus-http.yaml'))).model.slos[0];
    expect(slo).toMatchObject({ objective: 99, window: { kind: 'rolling', duration: { text: '7d' } }, grouping: ['handler'], labels: {} });
    expect(slo.source?.kubernetes?.labels).toEqual({ prometheus: 'k8s', role: 'alert-rules' });
    if (slo.sli.source !== 'prometheus') throw new Error('expected a Prometheus SLI');
    expect(slo.sli.total).toBe('sum by (handler)(rate(prometheus_http_requests_total{handler=~"/api.*"}[{{.window}}]))');
  });

  it('reads latency as good events (bucket under the threshold over the count)', async () => {
    const slo = (await loadSpec(pyrra('caddy-response-latency.yaml'))).model.slos[0];
    expect(slo.sli).toMatchObject({ origin: { kind: 'events', goodSelector: 'caddy_http_response_duration_seconds_bucket{job="caddy",handler="subroute",code!~"5..",le="0.05"}' } });
  });

  it('refuses native-histogram latency by name, at its field, with the classic-histogram fix', () => {
    const { message, problems } = refusal(readFileSync(pyrra('pyrra-connect-latency.yaml'), 'utf8'));
    expect(message).toBe('slo.yaml (read as Pyrra pyrra.dev/v1alpha1 ServiceLevelObjective): 1 problem');
    expect(problems).toEqual([expect.objectContaining({ path: 'spec.indicator.latencyNative', message: expect.stringContaining('native histograms'), fix: expect.stringContaining('_bucket') })]);
  });

  it('refuses a selector Pyrra itself would refuse, at the file field', () => {
    const spec = readFileSync(pyrra('prometheus-http.yaml'), 'utf8').replace('metric: prometheus_http_requests_total{handler=~"/api.*"}\n', 'metric: sum(rate(prometheus_http_requests_total[5m]))\n');
    const { problems } = refusal(spec);
    expect(problems).toEqual([expect.objectContaining({ path: 'spec.indicator.ratio.total.metric', message: expect.stringContaining('is not a vector selector') })]);
  });

  it('grouping in promtool: the handler at 20% errors alerts, the healthy one does not', async () => {
    // 99% over 7d: the 1h tier fires above 14.4 × 1% = 14.4% errors, for that handler only.
    const { model } = await loadSpec(pyrra('prometheus-http.yaml'));
    const labels = { sloth_id: 'prometheus-api-query-prometheus-api-query', sloth_service: 'prometheus-api-query', sloth_slo: 'prometheus-api-query' };
    const result = await runPromtool(model, [
      {
        interval: '1m',
        input_series: [
          { series: 'prometheus_http_requests_total{handler="/api/v1/query",code="200"}', values: counter([[480, 90]]) },
          { series: 'prometheus_http_requests_total{handler="/api/v1/query",code="500"}', values: counter([[120, 90]]) },
          { series: 'prometheus_http_requests_total{handler="/api/v1/labels",code="200"}', values: counter([[600, 90]]) },
        ],
        promql_expr_test: [
          { expr: 'slo:sli_error:ratio_rate1h', eval_time: '80m', exp_samples: [{ labels: `slo:sli_error:ratio_rate1h{handler="/api/v1/labels",sloth_id="${labels.sloth_id}",sloth_service="${labels.sloth_service}",sloth_slo="${labels.sloth_slo}",sloth_window="1h"}`, value: 0 }, { labels: `slo:sli_error:ratio_rate1h{handler="/api/v1/query",sloth_id="${labels.sloth_id}",sloth_service="${labels.sloth_service}",sloth_slo="${labels.sloth_slo}",sloth_window="1h"}`, value: 0.2 }] },
        ],
        alert_rule_test: [
          {
            eval_time: '80m',
            alertname: 'PrometheusApiQueryPrometheusApiQueryBudgetBurn',
            // 20% is over every tier (14.4%, 6%, 3%, 1%): all four fire, for that handler and no other.
            exp_alerts: ['page-1h', 'page-6h', 'ticket-1d', 'ticket-3d'].map((tier) => {
              const severity = tier.startsWith('page') ? 'page' : 'ticket';
              return { exp_labels: { ...labels, handler: '/api/v1/query', severity, sloth_severity: severity, solida_tier: tier } };
            }),
          },
        ],
      },
    ]);
    expect(result.ok, result.output).toBe(true);
  }, 120_000);

  it('bool_gauge with grouping in promtool: the share of failed probes per target', async () => {
    const { model } = await loadSpec(pyrra('prometheus-probe-success.yaml'));
    const slo = model.slos[0];
    const off = { ...model, slos: [{ ...slo, alerting: { ...slo.alerting, tiers: slo.alerting.tiers.filter((t) => t.name === 'page-1h'), noData: { ...slo.alerting.noData, enabled: false } } }] };
    const result = await runPromtool(off, [
      {
        interval: '1m',
        input_series: [
          { series: 'probe_success{target="a"}', values: '1x90' },
          // One failed probe in four.
          { series: 'probe_success{target="b"}', values: '1 1 1 0 '.repeat(23).trim() },
        ],
        promql_expr_test: [
          { expr: 'slo:sli_error:ratio_rate1h{target="a"}', eval_time: '80m', exp_samples: [{ labels: 'slo:sli_error:ratio_rate1h{sloth_id="prometheus-blackbox-probe-success-prometheus-blackbox-probe-success",sloth_service="prometheus-blackbox-probe-success",sloth_slo="prometheus-blackbox-probe-success",sloth_window="1h",target="a"}', value: 0 }] },
          // About one in four of the samples in the hour (15 of 61: the range holds both ends).
          { expr: 'sum((slo:sli_error:ratio_rate1h{target="b"} > bool 0.23) * (slo:sli_error:ratio_rate1h{target="b"} < bool 0.27))', eval_time: '80m', exp_samples: [{ value: 1 }] },
        ],
      },
    ]);
    expect(result.ok, result.output).toBe(true);
  }, 120_000);
});

describe('grouping in solida\'s own spec', () => {
  const spec = `
services: [{ name: shop }]
slos:
  - service: shop
    name: route-availability
    objective: 99
    window: 28d
    grouping: [http_route]
    sli:
      golden: { signal: availability }
    alerting:
      tiers: { page-6h: { enabled: false }, ticket-1d: { enabled: false }, ticket-3d: { enabled: false } }
      noData: { enabled: false }
`;

  it('one definition, one SLO per route: the failing route pages, with its route label; zero errors elsewhere', async () => {
    const { model } = parseSpecText(spec, 'grouped.yaml');
    expect(model.slos[0].grouping).toEqual(['http_route']);
    const series = (route: string, code: string, errorType: string | undefined, per: number) => ({
      series: `http_server_request_duration_seconds_count{job="shop",http_route="${route}",http_response_status_code="${code}"${errorType ? `,error_type="${errorType}"` : ''}}`,
      values: counter([[per, 90]]),
    });
    const result = await runPromtool(model, [
      {
        interval: '1m',
        input_series: [series('/cart', '200', undefined, 400), series('/cart', '500', '500', 200), series('/items/:id', '200', undefined, 600)],
        promql_expr_test: [{ expr: 'slo:sli_error:ratio_rate1h{http_route="/items/:id"}', eval_time: '80m', exp_samples: [{ labels: 'slo:sli_error:ratio_rate1h{http_route="/items/:id",sloth_id="shop-route-availability",sloth_service="shop",sloth_slo="route-availability",sloth_window="1h"}', value: 0 }] }],
        alert_rule_test: [
          {
            eval_time: '80m',
            alertname: 'ShopRouteAvailabilityBudgetBurn',
            exp_alerts: [{ exp_labels: { http_route: '/cart', severity: 'page', sloth_id: 'shop-route-availability', sloth_service: 'shop', sloth_slo: 'route-availability', sloth_severity: 'page', solida_tier: 'page-1h' } }],
          },
        ],
      },
    ]);
    expect(result.ok, result.output).toBe(true);
  }, 120_000);

  it('refuses grouping on a CloudWatch SLI and a label name Prometheus cannot have', () => {
    const bad = spec.replace('grouping: [http_route]', 'grouping: [http-route]');
    const { problems } = refusal(bad, 'grouped.yaml');
    expect(problems).toEqual([expect.objectContaining({ path: 'slos[0].grouping[0]', message: 'must be a Prometheus label name' })]);
  });
});
