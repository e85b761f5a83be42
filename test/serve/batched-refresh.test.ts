// A refresh of many SLOs reads their counts in a few batched queries (label_replace … or …), not two
// queries per SLO and window; the rows must be the same figures the one-by-one reads give, against a real
// Prometheus. History: job api at 100 req/s for 2 days, 10 of them failing during the last 30 minutes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SolidaConfig, SloConfig } from '../../src/slo/config.ts';
import { PrometheusBackend } from '../../src/serve/prometheus-backend.ts';
import { LiveSnapshot } from '../../src/serve/live.ts';
import type { ViewBackend } from '../../src/serve/backend.ts';
import type { SloRow } from '../../src/serve/model.ts';
import { modelOf } from '../prometheus/harness.ts';
import { openMetrics, startTestPrometheus, type TestPrometheus } from '../support/prometheus.ts';

const D = 86_400;
const T0 = Date.UTC(2026, 10, 2) / 1000;
const AT = new Date((T0 + 2 * D) * 1000);
const history = openMetrics(T0, 2 * D + 600, 60, [
  { from: 0, to: 2 * D - 1800, okPerSecond: 100, errorsPerSecond: 0 },
  { from: 2 * D - 1800, to: 2 * D + 601, okPerSecond: 90, errorsPerSecond: 10 },
]);

const events = (job: string) => ({ events: { errors: `http_requests_total{job="${job}",code=~"5.."}`, total: `http_requests_total{job="${job}"}` } });
// 40 SLOs on the same traffic (the batch asks each distinct expression once) and 5 on a job without series.
const config: SolidaConfig = {
  services: [{ name: 'api' }, { name: 'ghost' }],
  slos: [
    ...Array.from({ length: 40 }, (_, i): SloConfig => ({ service: 'api', name: `s${i}`, objective: [99, 99.5, 99.9, 99.95][i % 4], window: i % 3 ? '7d' : { calendar: 'month' }, sli: events('api') }) as SloConfig),
    ...Array.from({ length: 5 }, (_, i): SloConfig => ({ service: 'ghost', name: `g${i}`, objective: 99.9, window: '30d', sli: events('ghost') }) as SloConfig),
  ],
} as SolidaConfig;
const model = modelOf(config);

let prom: TestPrometheus;
beforeAll(async () => {
  prom = await startTestPrometheus({ history });
}, 120_000);
afterAll(async () => {
  await prom?.stop();
});

/** A fetch that counts the queries it sends. */
function counting(): { fetch: typeof fetch; queries: () => number } {
  let n = 0;
  return {
    fetch: ((input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).includes('/api/v1/query')) n++;
      return fetch(input, init);
    }) as typeof fetch,
    queries: () => n,
  };
}

const figures = (rows: SloRow[]) => rows.map(({ readAt: _readAt, ...r }) => r);

describe('the live list refresh', () => {
  it('reads 45 SLOs in a few batched queries, with the same figures as one query pair per SLO and window', async () => {
    const batched = counting();
    const fast = await new LiveSnapshot(model, new PrometheusBackend(prom.url, batched.fetch), { now: () => AT }).refresh();

    const single = counting();
    const plain = new PrometheusBackend(prom.url, single.fetch);
    const budget = plain.budget;
    // The same source without eventsMany: what every refresh did before batching.
    const oneByOne: ViewBackend = { name: plain.name, alerts: () => plain.alerts(), budget: { supports: (s) => budget.supports(s), events: (s, w, at) => budget.events(s, w, at), steps: (s, a, b, c) => budget.steps(s, a, b, c) } };
    const slow = await new LiveSnapshot(model, oneByOne, { now: () => AT }).refresh();

    expect(fast.error).toBeNull();
    expect(figures(fast.rows)).toEqual(figures(slow.rows));
    // From the history: 18,000 errors (30 min × 10/s) of 17,280,000 requests (2 days × 100/s) in any window
    // of 2 days or more → SLI 99.8958 %; a 99.9 % SLO has spent 18,000 / 17,280 = 104 % of its budget.
    const s2 = fast.rows.find((r) => r.id === 'api-s2')!;
    expect(s2.objective).toBe(99.9);
    expect(s2.sli).toBeCloseTo(1 - 18_000 / 17_280_000, 5);
    expect(s2.budgetRemaining).toBeCloseTo(1 - 18_000 / 17_280, 3);
    expect(s2.state).toBe('fixes-only');
    expect(fast.rows.filter((r) => r.service === 'ghost').every((r) => r.state === 'no-data')).toBe(true);
    // Each window's distinct expressions (errors and total of api and ghost) in one query: about ten
    // queries, where one-by-one sends two per SLO and window (45 SLOs × 8-9 windows × 2).
    expect(single.queries()).toBeGreaterThan(45 * 2 * 8);
    expect(batched.queries()).toBeLessThanOrEqual(12);
  }, 120_000);
});
