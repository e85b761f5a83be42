// Figures for the gate's two hot paths, each against a baseline measured in the same run:
// 1. reading k6 NDJSON points, gzipped and plain, against merely getting the lines of the same file
//    (inflating it and counting its line breaks / reading it and counting them), rounds interleaved;
//    RSS growth while reading a file and one 4x its size, to show memory does not follow the file;
// 2. the built-in open-model generator: offered vs. achieved rate and send lag against a local server.
// Run: npx tsx bench/gate.ts [requests=300000] [rate=1000] [rounds=3] [--k6-shaped]
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip, createGunzip, gunzipSync } from 'node:zlib';
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { readK6Points } from '../src/k6/points.ts';
import { runOpenModel } from '../src/loadgen/open-model.ts';
import { k6Percentile } from '../src/k6/sinks.ts';

// A child run of this script reads one file and reports its own peak RSS: a fresh process per file
// measures what that read needs, not what earlier rounds left in the heap.
if (process.argv[2] === '--read-once') {
  const before = process.memoryUsage();
  const t = performance.now();
  const result = await readK6Points(process.argv[3], { selectors: [{ name: 'http_req_duration', tags: { name: '/checkout' } }], percentiles: [99.9] });
  const wall = (performance.now() - t) / 1000;
  // What must grow with the run: exact percentiles (as k6's own) keep every trend sample, 8 bytes each.
  const samples = Object.values(result.metrics).reduce((n, m) => n + (m.type === 'trend' ? m.stats.count : 0), 0);
  console.log(JSON.stringify({ growth: process.resourceUsage().maxRSS * 1024 - before.rss, samples, wall }));
  process.exit(0);
}

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const requests = Number(positional[0] ?? 300_000);
const rate = Number(positional[1] ?? 1000);
const rounds = Number(positional[2] ?? 3);
// --k6-shaped: real k6 v0.46 lines (the fixture's, repeated: ~245 bytes, 8 tags, nanosecond times)
// instead of the short synthetic ones the issue's figure was measured on (~170 bytes, 4 tags).
const k6Shaped = process.argv.includes('--k6-shaped');
const GOAL = 1_000_000;
const dir = mkdtempSync(join(tmpdir(), 'solida-bench-gate-'));

/** The same synthetic k6 output as the issue's figure: per request three Point lines (3 N + 3 lines). */
// (--k6-shaped: the real fixture's lines repeated to about as many lines.)
async function writePoints(base: string, n: number): Promise<{ gz: string; plain: string; lines: number }> {
  const gz = createGzip();
  const gzOut = gz.pipe(createWriteStream(`${base}.jsonl.gz`));
  const plain = createWriteStream(`${base}.jsonl`);
  let lines = 0;
  let buf = '';
  const flush = async () => {
    gz.write(buf);
    plain.write(buf);
    buf = '';
    // Checked after the other wait: a 'drain' that fired meanwhile is not waited for again.
    if (gz.writableNeedDrain) await once(gz, 'drain');
    if (plain.writableNeedDrain) await once(plain, 'drain');
  };
  const finish = async () => {
    await flush();
    gz.end();
    plain.end();
    await Promise.all([once(gzOut, 'finish'), once(plain, 'finish')]);
    return { gz: `${base}.jsonl.gz`, plain: `${base}.jsonl`, lines };
  };
  const line = (obj: unknown) => {
    lines++;
    buf += `${JSON.stringify(obj)}\n`;
  };
  if (k6Shaped) {
    const real = gunzipSync(readFileSync(join(import.meta.dirname, '../test/fixtures/k6/pass-points.jsonl.gz'))).toString('utf8').trimEnd().split('\n');
    const points = real.filter((l) => !l.includes('"type":"Metric"'));
    buf = `${real.filter((l) => l.includes('"type":"Metric"')).join('\n')}\n`;
    lines = real.length - points.length;
    const block = `${points.join('\n')}\n`;
    while (lines < 3 * n + 3) {
      buf += block;
      lines += points.length;
      if (buf.length > 1 << 20) await flush();
    }
    return finish();
  }
  for (const [name, type] of [['http_reqs', 'counter'], ['http_req_duration', 'trend'], ['http_req_failed', 'rate']]) {
    line({ type: 'Metric', metric: name, data: { name, type, contains: 'default', thresholds: [], submetrics: null } });
  }
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < n; i++) {
    const time = new Date(t0 + i).toISOString();
    const tags = { name: i % 2 ? '/items' : '/checkout', method: 'GET', status: i % 100 ? '200' : '503', scenario: 'steady' };
    line({ metric: 'http_reqs', type: 'Point', data: { time, value: 1, tags } });
    line({ metric: 'http_req_duration', type: 'Point', data: { time, value: 1 + (i % 97) / 10, tags } });
    line({ metric: 'http_req_failed', type: 'Point', data: { time, value: i % 100 ? 0 : 1, tags } });
    if (buf.length > 1 << 20) await flush();
  }
  return finish();
}

function countLines(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

/** Baseline: read the plain file and count its line breaks (no decoding, no parsing). */
async function splitPlain(file: string): Promise<number> {
  const fh = await open(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  let n = 0;
  try {
    for (let r = await fh.read(buf, 0, buf.length, null); r.bytesRead > 0; r = await fh.read(buf, 0, buf.length, null)) n += countLines(buf.subarray(0, r.bytesRead));
  } finally {
    await fh.close();
  }
  return n;
}

/** Baseline: inflate with Node's zlib (as the reader does, same chunk size) and count line breaks. */
async function splitGunzip(file: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(file).pipe(createGunzip({ chunkSize: 1 << 18 })) as AsyncIterable<Buffer>) n += countLines(chunk);
  return n;
}

interface Run {
  wall: number;
  cpu: number;
}

async function measure(fn: () => Promise<unknown>): Promise<Run> {
  const c = process.cpuUsage();
  const t = performance.now();
  await fn();
  const wall = (performance.now() - t) / 1000;
  const used = process.cpuUsage(c);
  // Whole-process CPU: zlib's work on libuv's threads included.
  return { wall, cpu: (used.user + used.system) / 1e6 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mps = (lines: number, s: number) => `${(lines / s / 1e6).toFixed(2)} M`;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const readOpts = { selectors: [{ name: 'http_req_duration', tags: { name: '/checkout' } }], percentiles: [99.9] };

try {
  const small = await writePoints(join(dir, 'points'), requests);
  const big = await writePoints(join(dir, 'points-4x'), requests * 4);
  const variants: [string, () => Promise<unknown>][] = [
    ['plain: read + count lines (baseline)', () => splitPlain(small.plain)],
    ['plain: readK6Points', () => readK6Points(small.plain, readOpts)],
    ['gzip:  gunzip + count lines (baseline)', () => splitGunzip(small.gz)],
    ['gzip:  readK6Points', () => readK6Points(small.gz, readOpts)],
  ];
  const runs = new Map<string, Run[]>(variants.map(([name]) => [name, []]));
  console.log(`k6 points${k6Shaped ? ' (k6-shaped lines)' : ''}: ${small.lines} lines (${(statSync(small.plain).size / 1e6).toFixed(0)} MB plain, ${(statSync(small.gz).size / 1e6).toFixed(1)} MB gzipped); ${rounds} interleaved rounds, medians`);
  console.log(`  load average before: ${load()}`);
  for (let r = 0; r < rounds; r++) {
    // Rotate the order so no variant always runs first (warm-up) or last (after the others' garbage).
    for (let k = 0; k < variants.length; k++) {
      const [name, fn] = variants[(k + r) % variants.length];
      runs.get(name)!.push(await measure(fn));
    }
  }
  const fig = new Map<string, { lps: number; perCpu: number; wall: number }>();
  for (const [name] of variants) {
    const rs = runs.get(name)!;
    const wall = median(rs.map((x) => x.wall));
    const cpu = median(rs.map((x) => x.cpu));
    fig.set(name, { lps: small.lines / wall, perCpu: small.lines / cpu, wall });
    console.log(`  ${name.padEnd(42)} ${wall.toFixed(2)} s  ${mps(small.lines, wall)} lines/s  ${mps(small.lines, cpu)} lines per CPU-second`);
  }
  console.log(`  load average after: ${load()} (CPU = user + system of the whole process; wall figures depend on the other load)`);
  const plainReader = fig.get(variants[1][0])!;
  const plainBase = fig.get(variants[0][0])!;
  const gzBase = fig.get(variants[2][0])!;
  const gzReader = fig.get(variants[3][0])!;
  console.log(`  plain: reader at ${(plainReader.lps / plainBase.lps).toFixed(2)}x the baseline's lines/s (${(plainReader.perCpu / plainBase.perCpu).toFixed(2)}x per CPU-second)`);
  console.log(`  gzip:  reader at ${(gzReader.lps / gzBase.lps).toFixed(2)}x the baseline's lines/s (${(gzReader.perCpu / gzBase.perCpu).toFixed(2)}x per CPU-second)`);

  // Memory: the reader keeps only aggregates and, for exact percentiles, 8 bytes per trend sample.
  const rss: string[] = [];
  for (const f of [small, big]) {
    for (const file of [f.plain, f.gz]) {
      const child = spawn(process.execPath, [...process.execArgv, process.argv[1], '--read-once', file], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      for await (const chunk of child.stdout) out += chunk;
      const run = JSON.parse(out) as { growth: number; samples: number; wall: number };
      rss.push(`    ${`${(statSync(file).size / 1e6).toFixed(0)} MB ${file.endsWith('.gz') ? 'gzipped' : 'plain'}`.padEnd(14)} (${(f.lines / 1e6).toFixed(1)} M lines, ${mps(f.lines, run.wall)} lines/s): +${(run.growth / 1e6).toFixed(0)} MB; trend samples held for exact percentiles: ${(run.samples / 1e6).toFixed(2)} M = ${((run.samples * 8) / 1e6).toFixed(1)} MB`);
    }
  }
  console.log(`  peak RSS growth while reading, one fresh process per file:\n${rss.join('\n')}`);
  const verdict = (lps: number) => (lps >= GOAL ? 'met' : 'not met');
  console.log(`  goal ≥ 1 M lines/s: plain ${verdict(plainReader.lps)} (${mps(small.lines, plainReader.wall)}), gzipped ${verdict(gzReader.lps)} (${mps(small.lines, gzReader.wall)})` +
    (gzBase.lps < GOAL ? ` — inflating alone (gunzip + count lines) caps at ${mps(small.lines, gzBase.wall)} lines/s here` : ''));

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
