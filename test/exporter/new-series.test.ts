// A new series is first exposed at zero and its first observations appear at the next scrape, so
// rate()/increase() count them (new-series.ts). Scrape sequences through the exporter's own
// /metrics handler (classic and OpenMetrics, with exemplars) and serve(); the time limit and the
// shape of what is held, on the gate itself.
import http from 'node:http';
import express from 'express';
import { Histogram } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExporter, type Exporter } from '../../src/exporter/index.ts';
import { seriesWriter } from '../../src/exporter/fast-observe.ts';
import { NewSeriesGate } from '../../src/exporter/new-series.ts';
import { close, listen, parseExposition, pick, request } from './helpers.ts';

const COUNT = 'http_server_request_duration_seconds_count';
const BUCKET = 'http_server_request_duration_seconds_bucket';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

async function scrape(port: number, accept = 'text/plain', path = '/metrics') {
  const res = await request(port, path, { headers: { accept } });
  expect(res.status).toBe(200);
  return parseExposition(res.body);
}

describe('scrape sequence of a new series', () => {
  let exporter: Exporter;
  let app: http.Server;
  let port: number;
  let receiver: http.Server;

  beforeAll(async () => {
    for (const k of Object.keys(process.env)) if (k.startsWith('OTEL_')) delete process.env[k];
    // Tracing on (exemplars in the OpenMetrics scrape); spans go to a receiver that accepts anything.
    receiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end());
    });
    const receiverPort = await listen(receiver);
    exporter = createExporter({ service: 'fresh', processMetrics: false, tracing: { otlp: { url: `http://127.0.0.1:${receiverPort}/v1/traces` } } });
    const ex = express();
    ex.use(exporter.middleware);
    ex.get('/metrics', exporter.metricsHandler);
    ex.get('/ok', (_req, res) => void res.send('ok'));
    ex.get('/boom', () => {
      throw new Error('boom');
    });
    ex.get('/teapot', (_req, res) => void res.status(418).send('tea'));
    ex.use(exporter.errorHandler);
    app = http.createServer(ex);
    port = await listen(app);
  });

  afterAll(async () => {
    await close(app);
    await exporter.shutdown();
    await close(receiver);
  });

  it('classic text: the first scrape shows a new error series at 0, the second shows its events', async () => {
    // An established series, read by a scrape before the errors start.
    await request(port, '/ok');
    await scrape(port);
    expect(pick(await scrape(port), COUNT, { http_route: '/ok' })[0].value).toBe(1);

    for (let i = 0; i < 3; i++) expect((await request(port, '/boom')).status).toBe(500);
    await request(port, '/ok'); // the established series counts at once
    const first = await scrape(port);
    expect(pick(first, COUNT, { http_route: '/boom', error_type: 'Error' }).map((s) => s.value)).toEqual([0]);
    expect(pick(first, COUNT, { http_route: '/ok' })[0].value).toBe(2);
    const second = await scrape(port);
    expect(pick(second, COUNT, { http_route: '/boom', error_type: 'Error' }).map((s) => s.value)).toEqual([3]);
    expect(pick(second, BUCKET, { http_route: '/boom', le: '+Inf' })[0].value).toBe(3);
    // Released: later events count at once.
    await request(port, '/boom');
    expect(pick(await scrape(port), COUNT, { http_route: '/boom' })[0].value).toBe(4);
  });

  it('OpenMetrics with exemplars: zero first, then the count with the exemplar of the held request', async () => {
    await request(port, '/teapot', { headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` } });
    const om = 'application/openmetrics-text; version=1.0.0';
    const first = await scrape(port, om);
    expect(pick(first, COUNT, { http_route: '/teapot' }).map((s) => s.value)).toEqual([0]);
    expect(first.some((s) => s.exemplar?.includes(TRACE_ID))).toBe(false);
    const second = await scrape(port, om);
    expect(pick(second, COUNT, { http_route: '/teapot', http_response_status_code: '418' }).map((s) => s.value)).toEqual([1]);
    const withExemplar = second.filter((s) => s.exemplar?.includes(`trace_id="${TRACE_ID}"`));
    expect(withExemplar.map((s) => [s.name, s.labels.http_route])).toEqual([[BUCKET, '/teapot']]);
  });

  it('serve(): the standalone /metrics reads the same way', async () => {
    const server = await exporter.serve({ port: 0 });
    try {
      await request(port, '/ok?x', { method: 'POST' }); // a new label set: POST, unmatched route
      const sel = { http_request_method: 'POST' };
      expect(pick(await scrape(server.port), COUNT, sel).map((s) => s.value)).toEqual([0]);
      expect(pick(await scrape(server.port), COUNT, sel).map((s) => s.value)).toEqual([1]);
    } finally {
      await server.close();
    }
  });
});

describe('NewSeriesGate', () => {
  const histogram = () => new Histogram({ name: 'h', help: 'h', labelNames: ['a'], buckets: [0.1, 1], registers: [] });
  const count = async (h: Histogram<'a'>) => (await h.get()).values.filter((v) => v.metricName === 'h_count').reduce((n, v) => n + v.value, 0);

  it('adds held observations after the time limit when nobody reads, in fixed-size counters', async () => {
    const hist = histogram();
    const gate = new NewSeriesGate(hist, { holdLimitMs: 150 });
    const writer = seriesWriter(hist, { a: 'x' })!;
    let released = 0;
    const observe = gate.hold(writer, () => released++);
    for (let i = 0; i < 10_000; i++) observe(i % 2 ? 0.0625 : 5); // binary fractions: an exact sum
    expect(gate.size).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(released).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(released).toBe(1);
    expect(gate.size).toBe(0);
    const values = (await hist.get()).values.map((v) => [v.metricName, (v.labels as Record<string, unknown>).le, v.value]);
    expect(values).toEqual([
      ['h_bucket', 0.1, 5000],
      ['h_bucket', 1, 5000],
      ['h_bucket', '+Inf', 10_000],
      ['h_sum', undefined, 5000 * 0.0625 + 5000 * 5],
      ['h_count', undefined, 10_000],
    ]);
  });

  it('a series created after a read started waits for the next read; releaseAll adds everything', async () => {
    const hist = histogram();
    const gate = new NewSeriesGate(hist);
    const a = gate.hold(seriesWriter(hist, { a: 'a' })!, () => {});
    a(0.5);
    const reading = count(hist); // copies the values now: a at 0
    const b = gate.hold(seriesWriter(hist, { a: 'b' })!, () => {});
    b(0.5);
    expect(await reading).toBe(0);
    expect(gate.size).toBe(1); // b is still held
    expect(await count(hist)).toBe(1); // a's observation; b exposed at 0
    gate.releaseAll();
    expect(await count(hist)).toBe(2);
  });
});
