// Figures for the gate's two hot paths, each against a baseline measured in the same run:
// 1. reading k6 NDJSON points (gzipped) vs. merely gunzipping and splitting the same file into lines;
// 2. the built-in open-model generator: offered vs. achieved rate and send lag against a local server.
// Run: npx tsx bench/gate.ts [requests=100000] [rate=1000]
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGzip, createGunzip } from 'node:zlib';
import { once } from 'node:events';
import { readK6Points } from '../src/k6/points.ts';
import { runOpenModel } from '../src/loadgen/open-model.ts';
import { k6Percentile } from '../src/k6/sinks.ts';

const requests = Number(process.argv[2] ?? 100_000);
const rate = Number(process.argv[3] ?? 1000);
const dir = mkdtempSync(join(tmpdir(), 'solida-bench-gate-'));

async function writePoints(file: string): Promise<number> {
  const gz = createGzip();
  const out = gz.pipe(createWriteStream(file));
  let lines = 0;
  const write = async (obj: unknown) => {
    lines++;
    if (!gz.write(`${JSON.stringify(obj)}\n`)) await once(gz, 'drain');
  };
  for (const [name, type] of [['http_reqs', 'counter'], ['http_req_duration', 'trend'], ['http_req_failed', 'rate']]) {
    await write({ type: 'Metric', metric: name, data: { name, type, contains: 'default', thresholds: [], submetrics: null } });
  }
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < requests; i++) {
    const time = new Date(t0 + i).toISOString();
    const tags = { name: i % 2 ? '/items' : '/checkout', method: 'GET', status: i % 100 ? '200' : '503', scenario: 'steady' };
    await write({ metric: 'http_reqs', type: 'Point', data: { time, value: 1, tags } });
    await write({ metric: 'http_req_duration', type: 'Point', data: { time, value: 1 + (i % 97) / 10, tags } });
    await write({ metric: 'http_req_failed', type: 'Point', data: { time, value: i % 100 ? 0 : 1, tags } });
  }
  gz.end();
  await once(out, 'finish');
  return lines;
}

async function baselineLines(file: string): Promise<number> {
  let n = 0;
  for await (const _ of createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity })) n++;
  return n;
}

/** Wall seconds and CPU seconds (user + system, zlib's worker threads included): on a busy machine CPU is the steadier figure. */
async function timed<T>(fn: () => Promise<T>): Promise<[T, number, number]> {
  const t = performance.now();
  const c = process.cpuUsage();
  const v = await fn();
  const used = process.cpuUsage(c);
  return [v, (performance.now() - t) / 1000, (used.user + used.system) / 1e6];
}

try {
  const file = join(dir, 'points.jsonl.gz');
  const lines = await writePoints(file);
  const [, base, baseCpu] = await timed(() => baselineLines(file));
  const rss0 = process.memoryUsage().rss;
  const [result, parse, parseCpu] = await timed(() => readK6Points(file, { selectors: [{ name: 'http_req_duration', tags: { name: '/checkout' } }], percentiles: [99.9] }));
  const rss1 = process.memoryUsage().rss;
  console.log(`points: ${lines} lines, ${(statSync(file).size / 1e6).toFixed(1)} MB gzipped`);
  console.log(`  baseline gunzip+readline: ${base.toFixed(2)} s (${Math.round(lines / base)} lines/s; ${Math.round(lines / baseCpu)} lines per CPU-second)`);
  console.log(`  readK6Points:             ${parse.toFixed(2)} s (${Math.round(lines / parse)} lines/s; ${Math.round(lines / parseCpu)} lines per CPU-second), ${(parse / base).toFixed(2)}x baseline; goal >= 1,000,000 lines/s`);
  console.log(`  rss growth during parse: ${((rss1 - rss0) / 1e6).toFixed(1)} MB; p(99.9) /checkout = ${result.metrics['http_req_duration{name:/checkout}'].stats['p(99.9)']}`);

  const server = http.createServer((_req, res) => res.end('ok'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const lags: number[] = [];
  const summary = await runOpenModel({ target, ratePerSecond: rate, durationSeconds: 3, onResult: (r) => lags.push(r.startedAt - r.scheduledAt) });
  lags.sort((a, b) => a - b);
  console.log(`loadgen: offered ${rate} req/s for 3 s → sent ${summary.sent}/${summary.scheduled}, achieved ${summary.achievedRatePerSecond.toFixed(1)} req/s (${(summary.achievedRatePerSecond / rate).toFixed(3)}x offered), dropped ${summary.dropped}`);
  console.log(`  send lag behind schedule: p50 ${k6Percentile(lags, 0.5).toFixed(2)} ms, p99 ${k6Percentile(lags, 0.99).toFixed(2)} ms, max ${lags[lags.length - 1].toFixed(2)} ms`);
  server.closeAllConnections();
  server.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
