// A real Prometheus (scraping every second) counts the first errors of a label set it has never
// seen: the exporter exposes the new series at zero first (new-series.ts), so increase() and
// solida's golden availability SLI include them. Before, the series' first sample was already 3
// and both read 0 errors.
import http from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExporter, type Exporter, type MetricsServer } from '../../src/exporter/index.ts';
import { normalizeConfig } from '../../src/slo/normalize.ts';
import { startTestPrometheus, type TestPrometheus } from '../support/prometheus.ts';
import { close, eventually, listen, request } from './helpers.ts';

// The test Prometheus keeps the job name of its scrape config, "test": the service has that name.
const model = normalizeConfig(
  { services: [{ name: 'test' }], slos: [{ service: 'test', name: 'availability', objective: 99, sli: { golden: { signal: 'availability' } } }] },
  'inline.ts',
).model;

let exporter: Exporter;
let app: http.Server;
let appPort: number;
let metrics: MetricsServer;
let prom: TestPrometheus;

interface Series {
  metric: Record<string, string>;
  value?: [number, string];
  values?: Array<[number, string]>;
}

async function query(q: string, time?: number): Promise<Series[]> {
  const url = `${prom.url}/api/v1/query?query=${encodeURIComponent(q)}${time === undefined ? '' : `&time=${time}`}`;
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: { result: Series[] } }).data.result;
}

const scalar = async (q: string, time?: number) => {
  const r = await query(q, time);
  return r.length === 1 ? Number(r[0].value![1]) : undefined;
};

beforeAll(async () => {
  exporter = createExporter({ service: 'test', slos: model.slos, processMetrics: false });
  const ex = express();
  ex.use(exporter.middleware);
  ex.get('/ok', (_req, res) => void res.send('ok'));
  ex.get('/boom', () => {
    throw new Error('boom');
  });
  ex.use(exporter.errorHandler);
  app = http.createServer(ex);
  appPort = await listen(app);
  metrics = await exporter.serve({ port: 0 });
  // Traffic before Prometheus first scrapes: held, and shown after the first scrape read the zeros.
  for (let i = 0; i < 7; i++) await request(appPort, '/ok');
  prom = await startTestPrometheus({ scrape: [`127.0.0.1:${metrics.port}`] });
  await eventually(async () => ((await scalar('count_over_time(up{job="test"}[1m])')) ?? 0) >= 2 || undefined, 30_000);
});

afterAll(async () => {
  await prom?.stop();
  if (app) await close(app);
  await exporter?.shutdown();
});

describe('Prometheus and a new series', () => {
  it('counts the first errors of a new label set in increase() and in the availability SLI', async () => {
    for (let i = 0; i < 3; i++) expect((await request(appPort, '/boom')).status).toBe(500);
    const boom = 'http_server_request_duration_seconds_count{job="test",http_route="/boom"}';
    await eventually(async () => ((await scalar(`max_over_time(${boom}[1m])`)) === 3 ? true : undefined), 15_000);
    // Evaluate at the last scrape's own timestamp: no extrapolation past the last sample, and every
    // series starts at 0 (no extrapolation before the first), so the figures are exact.
    const at = Number((await query('timestamp(up{job="test"})'))[0].value![1]);
    const samples = (await query(`${boom}[1m]`, at))[0].values!.map(([, v]) => Number(v));
    expect(samples[0]).toBe(0);
    expect(samples.at(-1)).toBe(3);
    expect(await scalar(`sum(increase(http_server_request_duration_seconds_count{job="test",error_type!=""}[1m]))`, at)).toBeCloseTo(3, 9);
    expect(await scalar(`sum(increase(http_server_request_duration_seconds_count{job="test"}[1m]))`, at)).toBeCloseTo(10, 9);
    const sli = model.slos[0].sli as { errors: string; total: string };
    const w = (s: string) => s.replaceAll('{{.window}}', '1m');
    // 3 errors of the 10 requests (7 before Prometheus's first scrape, then the 3 errors).
    expect(await scalar(`(${w(sli.errors)}) / (${w(sli.total)})`, at)).toBeCloseTo(0.3, 9);
  });
});
