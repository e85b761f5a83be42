// What tracing adds per request, measured inside one process: CPU time (user + system) per request
// driven through exporter.wrap() with plain request/response objects, tracing off and on (spans
// exported over OTLP/HTTP protobuf to the collector stand-in, bench/otlp-collector.ts, which checks
// every span arrived complete). No HTTP server and no load generator, so the figure does not swing
// with who else uses the machine the way req/s does (bench/exporter.ts measures the whole thing).
// Each variant runs in a fresh process, pinned to CPU 0 when taskset exists; rounds interleave.
//
//   npx tsx bench/exporter-inproc.ts [rounds]      (BENCH_BEFORE_MODULE=<old src>/exporter/index.ts adds before-*)
import { spawn } from 'node:child_process';
import { hasTaskset } from './taskset.ts';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const self = fileURLToPath(import.meta.url);
const REQUESTS = 100_000;

async function child(module: string, traced: boolean): Promise<void> {
  const { createExporter } = (await import(module)) as typeof import('../src/exporter/index.ts');
  const exporter = createExporter({ service: 'inproc', tracing: traced, routes: ['/items/:id'], processMetrics: false });
  const handler = exporter.wrap((_req: IncomingMessage, _res: ServerResponse) => {});
  const socket = { remoteAddress: '127.0.0.1' };
  const one = (i: number) => {
    const req = { method: 'GET', url: `/items/${i}`, httpVersion: '1.1', headers: { host: '127.0.0.1:3000', 'user-agent': 'bench' }, socket };
    const res = Object.assign(new EventEmitter(), { req, statusCode: 200, headersSent: true, writableFinished: true });
    handler(req as never, res as never);
    res.emit('close');
  };
  // 100 requests, then 4 ms for the event loop (the batch span processor and its HTTP export run
  // there, as in a server): 25,000 requests/s at most, a pace one export at a time keeps up with.
  // Unpaced, the processor's queue (2048) overflowed and dropped most spans, which made tracing look
  // cheap; a bigger queue then overran the exporter's limit of concurrent exports at shutdown.
  const run = async (n: number) => {
    for (let b = 0; b < n / 100; b++) {
      for (let i = 0; i < 100; i++) one(i);
      await new Promise((r) => setTimeout(r, 4));
    }
  };
  await run(20_000); // JIT warm-up
  const c0 = process.cpuUsage();
  await run(REQUESTS);
  await exporter.shutdown();
  const c = process.cpuUsage(c0);
  process.stdout.write(`${(c.user + c.system) / REQUESTS}\n`);
}

function runChild(module: string, traced: boolean, env: NodeJS.ProcessEnv): Promise<number> {
  const node = [process.execPath, '--import', 'tsx', self, 'child', module, traced ? '1' : '0'];
  const [cmd, ...args] = hasTaskset() ? ['taskset', '-c', '0', ...node] : node;
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d));
    p.once('exit', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`child exited with ${code}`))));
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 4);
  const collector = spawn(process.execPath, ['--import', 'tsx', `${here}otlp-collector.ts`, 'GET /items/:id'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((r) => collector.stdout!.once('data', (d: Buffer) => r(Number(d.toString().trim()))));
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
  env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${port}`;
  const modules: Array<[string, string]> = [['', fileURLToPath(new URL('../src/exporter/index.ts', import.meta.url))]];
  if (process.env.BENCH_BEFORE_MODULE) modules.push(['before-', process.env.BENCH_BEFORE_MODULE]);
  const variants = modules.flatMap(([prefix, m]) => [false, true].map((t) => ({ name: `${prefix}${t ? 'traced' : 'untraced'}`, module: m, traced: t })));
  const load0 = loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
  const results = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  try {
    for (let r = 0; r < rounds; r++) {
      for (const v of variants) results.get(v.name)!.push(await runChild(v.module, v.traced, env));
      process.stderr.write(`  round ${r + 1}/${rounds}: ${variants.map((v) => `${v.name} ${results.get(v.name)![r].toFixed(2)}`).join(', ')} µs/request\n`);
    }
    const stats = (await (await fetch(`http://127.0.0.1:${port}/stats`)).json()) as { spans: number; complete: number };
    const tracedRuns = variants.filter((v) => v.traced).length * rounds;
    console.log(`\nCPU per request through wrap(), ${REQUESTS.toLocaleString('en')} requests per process, median (min–max) of ${rounds} interleaved rounds:`);
    for (const v of variants) {
      const xs = results.get(v.name)!;
      console.log(`  ${v.name.padEnd(16)} ${median(xs).toFixed(2).padStart(7)} µs  (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`);
    }
    for (const [prefix] of modules) {
      const added = results.get(`${prefix}traced`)!.map((x, i) => x - results.get(`${prefix}untraced`)![i]);
      console.log(`  tracing adds ${median(added).toFixed(2)} µs per request${prefix ? ` (${prefix.slice(0, -1)})` : ''}, median of per-round differences`);
    }
    // Warm-up spans are exported too: 120,000 per traced process.
    const expected = tracedRuns * (REQUESTS + 20_000);
    console.log(
      `  spans at the collector stand-in: ${stats.spans} of ${expected}, ${stats.complete} complete${stats.spans === expected && stats.complete === expected ? '' : ' — MISSING OR INCOMPLETE'}`,
    );
    console.log(
      `  load average: ${load0} at the start, ${loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')} at the end`,
    );
  } finally {
    collector.kill('SIGTERM');
  }
}

if (process.argv[2] === 'child') await child(process.argv[3], process.argv[4] === '1');
else await main();
