import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { k6ThresholdsFromModel } from '../../src/k6/thresholds.ts';
import { loadModel } from '../../src/slo/load.ts';
import { availability, latency, model, slo } from './model.ts';
import { tmp } from './helpers.ts';

describe('k6ThresholdsFromModel', () => {
  it('maps availability to the budget rate and latency to the percentile at the objective', () => {
    const set = k6ThresholdsFromModel(model([
      slo('shop', 'availability', 99.9, availability('shop')),
      slo('shop', 'latency', 99, latency('shop', 0.3)),
    ]));
    // 99.9% → budget 0.1% (not 0.0010000000000000009); 99% ≤ 300 ms → p(99)<300.
    expect(set.byMetric).toEqual({ http_req_failed: ['rate<0.001'], http_req_duration: ['p(99)<300'] });
    expect(set.thresholds.map((t) => t.sloId)).toEqual(['shop-availability', 'shop-latency']);
    expect(set.skipped).toEqual([]);
  });

  it('keeps fractional objectives and thresholds exact', () => {
    const set = k6ThresholdsFromModel(model([
      slo('api', 'lat', 99.95, latency('api', 0.25)),
      slo('api', 'avail', 99.99, availability('api')),
      slo('api', 'lat-slow', 95, { kind: 'latency', histogram: 'h', matchers: '', thresholdSeconds: 1.2, buckets: [] }),
    ]));
    expect(set.byMetric).toEqual({ http_req_duration: ['p(99.95)<250', 'p(95)<1200'], http_req_failed: ['rate<0.0001'] });
  });

  it('scopes route SLOs by the name tag, and by service when the model has several', () => {
    const m = model([
      slo('shop', 'checkout', 99.5, availability('shop', '/checkout')),
      slo('shop', 'checkout-latency', 99, latency('shop', 0.5, '/checkout')),
      slo('search', 'availability', 99, availability('search')),
    ]);
    expect(k6ThresholdsFromModel(m).byMetric).toEqual({
      'http_req_failed{service:shop,name:/checkout}': ['rate<0.005'],
      'http_req_duration{service:shop,name:/checkout}': ['p(99)<500'],
      'http_req_failed{service:search}': ['rate<0.01'],
    });
    expect(k6ThresholdsFromModel(m, { service: 'shop' }).byMetric).toEqual({
      'http_req_failed{name:/checkout}': ['rate<0.005'],
      'http_req_duration{name:/checkout}': ['p(99)<500'],
    });
  });

  it('lists SLOs a load test cannot judge instead of dropping them', () => {
    const set = k6ThresholdsFromModel(model([
      slo('jobs', 'processed', 99, { kind: 'events', totalSelector: 'jobs_total', errorSelector: 'jobs_failed_total' }),
      slo('jobs', 'lat', 99, { kind: 'golden', signal: 'latency', service: 'jobs' }),
    ]));
    expect(set.thresholds).toEqual([]);
    expect(set.skipped.map((s) => s.sloId)).toEqual(['jobs-processed', 'jobs-lat']);
  });

  it('derives from CloudWatch SLIs too', () => {
    const metric = { namespace: 'AWS/ApplicationELB', metricName: 'x', dimensions: {}, stat: 'Sum' };
    const set = k6ThresholdsFromModel(model([
      slo('edge', 'avail', 99.9, { source: 'cloudwatch', errors: [metric], total: [metric] }),
      slo('edge', 'lat', 90, { source: 'cloudwatch', errors: [metric], total: [metric], latencyThresholdSeconds: 0.1 }),
    ]));
    expect(set.byMetric).toEqual({ http_req_failed: ['rate<0.001'], http_req_duration: ['p(90)<100'] });
  });

  it('works on a model read by loadModel from YAML', async () => {
    const file = join(tmp(), 'slo.yaml');
    writeFileSync(file, `services:
  - name: shop
slos:
  - service: shop
    name: availability
    objective: 99.9
    sli: { golden: { signal: availability } }
  - service: shop
    name: checkout-latency
    objective: 99
    sli: { golden: { signal: latency, route: /checkout, threshold: 300ms } }
`);
    const set = k6ThresholdsFromModel(await loadModel(file));
    expect(set.byMetric).toEqual({ http_req_failed: ['rate<0.001'], 'http_req_duration{name:/checkout}': ['p(99)<300'] });
  });
});
