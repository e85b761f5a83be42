// Exporter overhead, all in one run on the same trivial express app (each variant in its own
// process): bare express, solida, express-prom-bundle, OpenTelemetry auto-instrumentation.
// Then a memory check: 1,000,000 requests with random paths through the middleware.
//
//   npx tsx bench/exporter.ts [seconds-per-variant]
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
}
// autocannon ships no type declarations.
const autocannon = require('autocannon') as (opts: { url: string; connections: number; duration: number }) => Promise<AutocannonResult>;

const here = fileURLToPath(new URL('.', import.meta.url));
const seconds = Number(process.argv[2] ?? 5);

interface Figures {
  variant: string;
  rps: number;
  p50: number;
  p99: number;
}

function startApp(variant: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', `${here}exporter-app.ts`, variant], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${variant} app exited with ${code}`)));
    child.stdout!.once('data', (d: Buffer) => resolve({ child, port: Number(d.toString().trim()) }));
  });
}

async function load(port: number, duration: number) {
  return autocannon({ url: `http://127.0.0.1:${port}/items/42`, connections: 50, duration });
}

async function measure(variant: string): Promise<Figures> {
  const { child, port } = await startApp(variant);
  try {
    await load(port, 1); // JIT warm-up
    const r = await load(port, seconds);
    return { variant, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
  } finally {
    child.removeAllListeners('exit');
    child.kill('SIGTERM');
  }
}

async function throughput(): Promise<void> {
  const results: Figures[] = [];
  const variants = process.env.BENCH_VARIANTS?.split(',') ?? ['bare', 'solida', 'prom-bundle', 'otel'];
  for (const v of variants) {
    results.push(await measure(v));
    process.stderr.write(`  measured ${v}\n`);
  }
  const bare = results[0];
  console.log(`\nthroughput, ${seconds}s per variant, 50 connections, GET /items/:id (express ${require('express/package.json').version})`);
  console.log('variant        req/s     ×bare   p50 ms  p99 ms  added p99 ms');
  for (const r of results) {
    console.log(
      `${r.variant.padEnd(12)} ${r.rps.toFixed(0).padStart(8)}  ${(r.rps / bare.rps).toFixed(3).padStart(6)}  ${String(r.p50).padStart(6)}  ${String(r.p99).padStart(6)}  ${(r.p99 - bare.p99).toFixed(0).padStart(6)}`,
    );
  }
}

async function memory(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const { createExporter } = await import('../src/exporter/index.ts');
  const exporter = createExporter({ service: 'mem', routes: ['/items/:id', '/users/:id/orders'] });
  const handler = exporter.wrap((_req: IncomingMessage, _res: ServerResponse) => {});
  const socket = { remoteAddress: '127.0.0.1' };
  const methods = ['GET', 'POST', 'PUT', 'DELETE', 'BREW'];
  const one = (i: number) => {
    const r = Math.random().toString(36).slice(2);
    const url = i % 3 === 0 ? `/items/${r}` : i % 3 === 1 ? `/${r}/${i}` : `/users/${r}/orders?x=${r}`;
    const req = { method: methods[i % 5], url, headers: {}, socket };
    const res = Object.assign(new EventEmitter(), { statusCode: i % 50 === 0 ? 500 : 200, headersSent: true, writableFinished: i % 97 !== 0 });
    handler(req as never, res as never);
    res.emit('close');
  };
  const N = 1_000_000;
  for (let i = 0; i < 100_000; i++) one(i); // warm-up: series and caches exist
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) one(i);
  const ms = performance.now() - t0;
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  const hist = await exporter.registry.getSingleMetric('http_server_request_duration_seconds')!.get();
  const series = hist.values.filter((v) => (v as { metricName?: string }).metricName?.endsWith('_count')).length;
  console.log(`\nmemory: ${N.toLocaleString('en')} requests with random paths through wrap()`);
  console.log(`  heap before ${(before / 1048576).toFixed(1)} MiB, after ${(after / 1048576).toFixed(1)} MiB, growth ${((after - before) / 1048576).toFixed(2)} MiB`);
  console.log(`  ${series} series; ${(ms / N * 1000).toFixed(2)} µs per request including the fake request objects`);
  await exporter.shutdown();
}

if (process.argv[2] === 'memory') {
  await memory();
} else {
  await throughput();
  // The memory check needs --expose-gc: run it in a child.
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), 'memory'], { stdio: 'inherit' });
  await new Promise((r) => child.once('exit', r));
}
