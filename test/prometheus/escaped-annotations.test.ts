// Free text with template syntax, rendered by Prometheus's own template engine: promtool's rule unit
// tests expand alert annotations exactly as the Prometheus server does when an alert fires, and compare
// them with exp_annotations. An SLO description is prose and must come out as written — a
// `{{ query "up" }}` in it must not run a query, `{{ $value }}` must not become a number, and `{{ }}` must
// not break the rule file — while the spec's own annotations keep their `{{ $value }}` references.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { SolidaConfig, SloConfig } from '../../src/slo/config.ts';
import { generatePrometheusRules } from '../../src/prometheus/rules.ts';
import { checkRules, testRules } from '../../src/prometheus/promtool.ts';
import { modelOf } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'solida-escaped-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DESCRIPTION = 'Checkout {{ query "up" }} answers; shown as {{ $value }} or {{ $labels.job }}, never {{ }} or {{';

const config: SolidaConfig = {
  evaluationInterval: '1m',
  scrapeInterval: '15s',
  services: [{ name: 'shop' }],
  slos: [
    {
      service: 'shop',
      name: 'checkout',
      objective: 99.9,
      description: DESCRIPTION,
      sli: { events: { errors: 'http_requests_total{job="shop",code=~"5.."}', total: 'http_requests_total{job="shop"}' } },
      alerting: {
        annotations: { error_ratio: 'error ratio {{ $value }}' },
        tiers: Object.fromEntries(['page-1h', 'page-6h', 'ticket-1d', 'ticket-3d'].map((t) => [t, { enabled: t === 'page-1h' }])),
        noData: { enabled: false },
      },
    } as SloConfig,
  ],
};

describe('an SLO description with template syntax, rendered by Prometheus', () => {
  it('comes out literally in the firing alert; the spec annotations still expand {{ $value }}', async () => {
    const files = generatePrometheusRules(modelOf(config));
    for (const f of files) writeFileSync(join(dir, f.path), f.content);
    const check = await checkRules(files.map((f) => join(dir, f.path)));
    expect(check.ok, check.output).toBe(true);

    // Every request fails from the start: the error ratio is exactly 1 in every window.
    const tests = {
      rule_files: files.map((f) => f.path),
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: 'http_requests_total{job="shop",code="200"}', values: '0x60' },
            { series: 'http_requests_total{job="shop",code="500"}', values: '0+600x60' },
          ],
          alert_rule_test: [
            {
              eval_time: '30m',
              alertname: 'ShopCheckoutBudgetBurn',
              exp_alerts: [
                {
                  exp_labels: { severity: 'page', sloth_id: 'shop-checkout', sloth_service: 'shop', sloth_slo: 'checkout', sloth_severity: 'page', solida_tier: 'page-1h' },
                  exp_annotations: {
                    // Written out by hand from the spec: the description verbatim, then solida's explanation
                    // (14.4 × 1h of a 30-day window is 2% of the budget).
                    description: `${DESCRIPTION}: the error ratio over 1h and 5m is above 14.4x the budget of 0.1%. At this rate 2% of the 30d budget goes in 1h.`,
                    error_ratio: 'error ratio 1',
                    title: '(page) shop checkout SLO error budget burn rate is too fast.',
                    summary: 'shop-checkout: error budget burning at over 14.4x (page-1h)',
                    burn_rate: '14.4',
                    windows: '1h/5m',
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'tests.yml'), stringify(tests));
    const result = await testRules(['tests.yml'], dir);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok, result.output).toBe(true);
  }, 60_000);
});
