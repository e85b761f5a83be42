// A real Prometheus scrapes the instrumented app and evaluates solida's golden-signal SLI queries
// (as normalized by the SLO core) over the exporter's series, and loads the SLO rules solida generates
// for them (recording rules evaluated every second).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExporter, type Exporter, type MetricsServer } from '../../src/exporter/index.ts';
import { generatePrometheusRules } from '../../src/prometheus/rules.ts';
import { normalizeConfig } from '../../src/slo/normalize.ts';
import { close, eventually, listen, request } from './helpers.ts';
import { freePort } from '../../src/lab/ports.ts';
import { binary } from '../support/binaries.ts';

const model = normalizeConfig(
  {
    evaluationInterval: '1s',
    services: [{ name: 'shop' }],
    slos: [
      { service: 'shop', name: 'availability', objective: 99, sli: { golden: { signal: 'availability' } } },
      { service: 'shop', name: 'latency', objective: 99, sli: { golden: { signal: 'latency', threshold: '300ms' } } },
    ],
  },
  'inline.ts',
).model;

let dir: string;
let prom: ChildProcess | undefined;
let promPort: number;
let exporter: Exporter;
let app: http.Server;
let appPort: number;
let metrics: MetricsServer;

async function queryResults(q: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const res = await request(promPort, `/api/v1/query?query=${encodeURIComponent(q)}`);
  expect(res.status).toBe(200);
  return (JSON.parse(res.body) as { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } }).data.result;
}

async function query(q: string): Promise<number | undefined> {
  const res = await request(promPort, `/api/v1/query?query=${encodeURIComponent(q)}`).catch(() => undefined);
  if (!res || res.status !== 200) return undefined;
  const body = JSON.parse(res.body) as { data: { result: Array<{ value: [number, string] }> } };
  return body.data.result.length === 1 ? Number(body.data.result[0].value[1]) : undefined;
}

beforeAll(async () => {
  exporter = createExporter({ service: 'shop', slos: model.slos, processMetrics: false });
  const ex = express();
  ex.use(exporter.middleware);
  ex.get('/ok', (_req, res) => void res.send('ok'));
  ex.get('/err', (_req, res) => void res.status(500).send('err'));
  ex.get('/slow', (_req, res) => void setTimeout(() => res.send('slow'), 400));
  app = http.createServer(ex);
  appPort = await listen(app);
  metrics = await exporter.serve({ port: 0, host: '127.0.0.1' });
  // Every series exists before the first scrape, which reads it at zero (the exporter holds a new
  // series' first events until a scrape read its zero), so rate() counts the warm-up too. Every
  // series starts at 0 on the same scrape: extrapolated alike, the SLI ratios come out exact.
  const warm: Promise<unknown>[] = [];
  for (let i = 0; i < 20; i++) warm.push(request(appPort, '/ok'), request(appPort, '/err'), request(appPort, '/slow'));
  await Promise.all(warm);

  dir = await mkdtemp(join(tmpdir(), 'solida-prom-'));
  const ruleFiles = generatePrometheusRules(model);
  for (const f of ruleFiles) await writeFile(join(dir, f.path), f.content);
  await writeFile(
    join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n` +
      `rule_files:\n${ruleFiles.map((f) => `  - ${join(dir, f.path)}\n`).join('')}` +
      `scrape_configs:\n  - job_name: shop\n    static_configs:\n      - targets: ['127.0.0.1:${metrics.port}']\n`,
  );
  promPort = await freePort();
  prom = spawn(
    binary('prometheus'),
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`],
    { stdio: 'ignore' },
  );
  await eventually(async () => ((await query('count_over_time(up{job="shop"}[1m])')) ?? 0) >= 2 || undefined, 60_000);
});

afterAll(async () => {
  if (prom && prom.exitCode === null) {
    prom.kill('SIGTERM');
    await new Promise((r) => prom!.once('exit', r));
  }
  await close(app);
  await exporter.shutdown();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Prometheus scraping the exporter', () => {
  it('answers the golden-signal SLI queries with the error and slow-request ratios of the traffic', async () => {
    const reqs: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) reqs.push(request(appPort, '/ok'));
    for (let i = 0; i < 10; i++) reqs.push(request(appPort, '/err'));
    for (let i = 0; i < 5; i++) reqs.push(request(appPort, '/slow'));
    await Promise.all(reqs);
    // 60 warm-up + 45 requests.
    await eventually(async () => ((await query('sum(http_server_request_duration_seconds_count{job="shop"})')) === 105 ? true : undefined), 30_000);
    // Let a few more scrapes land after the traffic, then evaluate the presets' own queries.
    await new Promise((r) => setTimeout(r, 2500));
    const ratio = async (sli: { errors: string; total: string }) =>
      query(`(${sli.errors.replaceAll('{{.window}}', '5m')}) / (${sli.total.replaceAll('{{.window}}', '5m')})`);
    const [availability, latency] = model.slos.map((s) => s.sli as { errors: string; total: string });
    // 30 errors of 105 requests (warm-up included); 25 requests over 300 ms of 105. Same target,
    // same sample times: rate() extrapolates numerator and denominator alike, so the ratios are exact.
    expect(await ratio(availability)).toBeCloseTo(30 / 105, 6);
    expect(await ratio(latency)).toBeCloseTo(25 / 105, 6);
    expect(await query('sum(http_server_request_duration_seconds_count{job="shop",error_type!=""})')).toBe(30);
    expect(await query('sum(http_server_request_duration_seconds_bucket{job="shop",le="0.3"})')).toBe(105 - 25);
  });

  it('loads the generated SLO rules, whose recorded 5m error ratio is the error ratio of the traffic', async () => {
    // Runs after the traffic above (105 requests, all counted from the zeros of the first scrape, 30 of them 500s).
    const rules = JSON.parse((await request(promPort, '/api/v1/rules')).body) as {
      data: { groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string }> }> };
    };
    const all = rules.data.groups.flatMap((g) => g.rules);
    expect(all.some((r) => r.name === 'slo:sli_error:ratio_rate5m')).toBe(true);
    expect(all.filter((r) => r.health === 'err').map((r) => `${r.name}: ${r.lastError}`)).toEqual([]);
    const sel = 'slo:sli_error:ratio_rate5m{sloth_id="shop-availability",sloth_window="5m"}';
    // The rule group runs every second; wait until it has evaluated over the final scrape (on timeout,
    // the assertion below reports the last recorded value).
    const recorded = await eventually(async () => {
      const r = await queryResults(sel);
      return r.length === 1 && Math.abs(Number(r[0].value[1]) - 30 / 105) < 1e-9 ? r : undefined;
    }, 30_000).catch(() => queryResults(sel));
    expect(recorded).toHaveLength(1);
    expect(Number(recorded[0].value[1])).toBeCloseTo(30 / 105, 9);
    expect(recorded[0].metric).toMatchObject({ sloth_id: 'shop-availability', sloth_service: 'shop', sloth_slo: 'availability' });
    // Latency SLO: 25 of the 105 requests took longer than 300 ms.
    const latency = await queryResults('slo:sli_error:ratio_rate5m{sloth_id="shop-latency",sloth_window="5m"}');
    expect(latency).toHaveLength(1);
    expect(Number(latency[0].value[1])).toBeCloseTo(25 / 105, 9);
  });
});
