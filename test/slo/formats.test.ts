// Sloth and OpenSLO specs read into the same model; OpenSLO written back keeps its meaning.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadSpec } from '../../src/slo/load.ts';
import { parseSpecText } from '../../src/slo/spec-text.ts';
import { modelToOpenSlo } from '../../src/slo/formats/openslo.ts';
import { runPromtool, counter } from '../prometheus/harness.ts';
import type { SolidaModel } from '../../src/slo/model.ts';
import { stringify } from 'yaml';
import type { SolidaError } from '../../src/util/errors.ts';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;

describe('Sloth prometheus/v1', () => {
  it('reads the getting-started spec with Sloth defaults: 30d, workbook tiers, its alert labels and for', async () => {
    const { format, model } = await loadSpec(fixture('sloth-getting-started.yml'));
    expect(format).toBe('sloth');
    const slo = model.slos[0];
    expect(slo.id).toBe('myservice-requests-availability');
    expect(slo.window).toEqual({ kind: 'rolling', duration: { text: '30d', seconds: 2592000 } });
    expect(slo.labels).toEqual({ owner: 'myteam', repo: 'myorg/myservice', tier: '2' });
    const tiers = Object.fromEntries(slo.alerting.tiers.map((t) => [t.name, [t.burnRate, t.longWindow.text, t.shortWindow.text, t.for.text, t.labels.severity]]));
    expect(tiers).toEqual({
      'page-1h': [14.4, '1h', '5m', '5m', 'pageteam'],
      'page-6h': [6, '6h', '30m', '5m', 'pageteam'],
      'ticket-1d': [3, '1d', '2h', '10m', 'slack'],
      'ticket-3d': [1, '3d', '6h', '10m', 'slack'],
    });
  });

  it('gives the same answers as Sloth: every window ratio is errors/total, tickets carry Sloth labels after for:', async () => {
    // Constant 0.5% errors (code 500 among 200s, and 429s count as errors as the spec says).
    // Sloth's rules give 0.005 for every slo:sli_error:ratio_rate<w>; 0.5% is 5× budget: no page
    // (1.44%, 0.6%), both ticket tiers (0.3%, 0.1%) fire once their for: 10m has passed.
    const { model } = await loadSpec(fixture('sloth-getting-started.yml'));
    const windows = ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'];
    const ticket = (tier: string) => ({
      exp_labels: { category: 'availability', severity: 'slack', slack_channel: '#alerts-myteam', sloth_severity: 'ticket', sloth_id: 'myservice-requests-availability', sloth_service: 'myservice', sloth_slo: 'requests-availability', owner: 'myteam', repo: 'myorg/myservice', tier: '2', solida_tier: tier },
    });
    const result = await runPromtool(model, [
      {
        interval: '1m',
        input_series: [
          { series: 'http_request_duration_seconds_count{job="myservice",code="200"}', values: counter([[5970, 400]]) },
          { series: 'http_request_duration_seconds_count{job="myservice",code="500"}', values: counter([[20, 400]]) },
          { series: 'http_request_duration_seconds_count{job="myservice",code="429"}', values: counter([[10, 400]]) },
        ],
        promql_expr_test: windows.map((w) => ({
          expr: `sum(abs(slo:sli_error:ratio_rate${w}{sloth_id="myservice-requests-availability"} - 0.005) < bool 0.000001)`,
          eval_time: '400m',
          exp_samples: [{ value: 1 }],
        })),
        alert_rule_test: [
          { eval_time: '8m', alertname: 'MyServiceHighErrorRate', exp_alerts: [] },
          { eval_time: '400m', alertname: 'MyServiceHighErrorRate', exp_alerts: [ticket('ticket-1d'), ticket('ticket-3d')] },
        ],
      },
    ]);
    expect(result.ok, result.output).toBe(true);
  });

  it('rejects an unknown Sloth plugin instead of ignoring it', () => {
    const text = readFileSync(fixture('sloth-getting-started.yml'), 'utf8').replace('sloth.dev/contrib/alert_for/v1', 'example.com/magic/v1');
    let problems: unknown[] = [];
    try {
      parseSpecText(text, 'sloth.yml');
    } catch (err) {
      problems = (err as SolidaError).problems;
    }
    expect(problems).toEqual([expect.objectContaining({ file: 'sloth.yml', path: 'slo_plugins.chain[0].id', message: 'Sloth SLO plugin example.com/magic/v1 is not supported' })]);
  });
});

describe('OpenSLO v1', () => {
  const comparable = (m: SolidaModel) => m.slos.map(({ id, objective, window, sli, alerting }) => ({ id, objective, window, sli, alerting }));

  it('reads SLI references and inline indicators, rolling and calendar windows, ratio targets', async () => {
    const { format, model } = await loadSpec(fixture('openslo-availability.yaml'));
    expect(format).toBe('openslo');
    expect(model.services.map((s) => s.name)).toEqual(['checkout']);
    const [availability, fast] = model.slos;
    expect(availability.objective).toBe(99.5);
    expect(availability.window).toEqual({ kind: 'rolling', duration: { text: '28d', seconds: 28 * 86400 } });
    expect(availability.sli).toMatchObject({ errors: '(sum(rate(http_requests_total{job="checkout",code=~"5.."}[{{.window}}])) or vector(0))' });
    // startTime kept as written (UTC, the default zone, is implied).
    expect(fast.window).toEqual({ kind: 'calendar', unit: 'month', startTime: '2022-01-01 00:00:00' });
    expect(fast.objective).toBe(99);
  });

  it('round-trips: OpenSLO in → OpenSLO out → read again gives the same SLOs, selectors unchanged', async () => {
    const first = await loadSpec(fixture('openslo-availability.yaml'));
    const { documents, notes } = modelToOpenSlo(first.model);
    expect(notes).toEqual([]);
    const text = documents.map((d) => stringify(d)).join('---\n');
    const second = parseSpecText(text, 'roundtrip.yaml');
    expect(comparable(second.model)).toEqual(comparable(first.model));
    // The selectors a person wrote come back verbatim.
    const slos = parseAllDocuments(text).map((d) => d.toJS()).filter((d) => d.kind === 'SLO');
    expect(slos[0].spec.indicator.spec.ratioMetric.bad.metricSource.spec.query).toBe('http_requests_total{job="checkout",code=~"5.."}');
    expect(slos[1].spec.indicator.spec.ratioMetric.good.metricSource.spec.query).toBe('http_request_duration_seconds_bucket{job="checkout",le="0.5"}');
    expect(slos[1].spec.timeWindow).toEqual([{ duration: '1M', isRolling: false, calendar: { startTime: '2022-01-01 00:00:00', timeZone: 'UTC' } }]);
  });

  it('exports a TypeScript config with golden presets as the selectors they stand for, and reads them back equal', async () => {
    const first = await loadSpec(new URL('../../examples/solida.config.ts', import.meta.url).pathname);
    const text = modelToOpenSlo(first.model).documents.map((d) => stringify(d)).join('---\n');
    const second = parseSpecText(text, 'export.yaml');
    const rates = (m: SolidaModel) => m.slos.map((s) => ({ id: s.id, objective: s.objective, window: s.window, alerting: s.alerting }));
    expect(rates(second.model)).toEqual(rates(first.model));
    expect(text).toContain('http_server_request_duration_seconds_count{job="inventory",error_type!=""}');
  });
});
