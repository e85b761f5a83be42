// A real Prometheus with live data: a tiny exporter serves request counters whose values are a fixed
// function of wall-clock time; the same function, sampled over the past, is backfilled with
// `promtool tsdb create-blocks-from openmetrics`; Prometheus then scrapes the exporter every second and
// evaluates the rules it is given (the generated SLO rules), so recording rules and alerts are real.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../src/lab/ports.ts';
import { binary } from '../support/binaries.ts';

const run = promisify(execFile);

/** Per-second rates of one job from `from` seconds relative to the start of the traffic. */
export interface Phase {
  from: number;
  okPerSecond: number;
  errorsPerSecond: number;
}

export interface Job {
  job: string;
  phases: Phase[];
}

export interface LivePrometheus {
  url: string;
  /** Unix seconds where the traffic (and the backfilled history) begins. */
  start: number;
  /** Stops Prometheus only (the exporter keeps going): the view must cope. */
  stopPrometheus(): Promise<void>;
  stop(): Promise<void>;
}

/** Counter value at `t` seconds after the start: the integral of the phase rates. */
export function counterAt(phases: Phase[], t: number, key: 'okPerSecond' | 'errorsPerSecond'): number {
  let value = 0;
  for (let i = 0; i < phases.length; i++) {
    const from = phases[i].from;
    const to = i + 1 < phases.length ? phases[i + 1].from : Infinity;
    if (t <= from) break;
    value += (Math.min(t, to) - from) * phases[i][key];
  }
  return value;
}

export async function startLivePrometheus(jobs: Job[], historySeconds: number, rules: { path: string; content: string }[]): Promise<LivePrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'solida-serve-prom-'));
  const start = Math.floor(Date.now() / 1000) - historySeconds;
  const exporterPort = await freePort();
  const instance = `127.0.0.1:${exporterPort}`;
  const series = (now: number) =>
    jobs.flatMap((j) => [
      [`http_requests_total{code="200",instance="${instance}",job="${j.job}"}`, counterAt(j.phases, now - start, 'okPerSecond')],
      [`http_requests_total{code="500",instance="${instance}",job="${j.job}"}`, counterAt(j.phases, now - start, 'errorsPerSecond')],
    ] as [string, number][]);
  const exporter: Server = createServer((_req, res) => {
    const now = Date.now() / 1000;
    const body = ['# TYPE http_requests_total counter', ...series(now).map(([s, v]) => `${s.replace(/,instance="[^"]*"/, '')} ${v}`)].join('\n');
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(`${body}\n`);
  });
  await new Promise<void>((r) => exporter.listen(exporterPort, '127.0.0.1', () => r()));
  let child: ChildProcess | undefined;
  try {
    // History every 60 s up to a minute ago; live scrapes continue the same counters from now on.
    const lines = ['# TYPE http_requests counter'];
    const end = Math.floor(Date.now() / 1000) - 60;
    for (let t = start; t <= end; t += 60) for (const [s, v] of series(t)) lines.push(`${s} ${v} ${t}`);
    lines.push('# EOF');
    writeFileSync(join(dir, 'data.om'), `${lines.join('\n')}\n`);
    await run(binary('promtool'), ['tsdb', 'create-blocks-from', 'openmetrics', '-q', join(dir, 'data.om'), join(dir, 'tsdb')], { maxBuffer: 1 << 24 });
    const ruleFiles = rules.map((r) => {
      writeFileSync(join(dir, r.path), r.content);
      return join(dir, r.path);
    });
    writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: ruleFiles,
      scrape_configs: [{ job_name: 'lab', honor_labels: true, static_configs: [{ targets: [instance] }] }],
    }));
    const port = await freePort();
    child = spawn(binary('prometheus'), [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${port}`,
    ], { stdio: 'ignore' });
    const url = `http://127.0.0.1:${port}`;
    await waitReady(url, child);
    const proc = child;
    const stopPrometheus = async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
    };
    return {
      url,
      start,
      stopPrometheus,
      stop: async () => {
        await stopPrometheus();
        await new Promise((r) => exporter.close(r));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    child?.kill('SIGKILL');
    exporter.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('prometheus did not become ready in 30s');
}

/**
 * The generated rules with every group evaluated every `interval`. Their long-window groups run every
 * minute and their 10-minute tiles every 10 minutes, and Prometheus starts a group at an offset within its
 * interval: a test would wait up to 10 minutes for the first tile. Ratios of tile sums are unchanged by
 * denser tiles (numerator and denominator scale alike), so the figures the tests check stay the same.
 */
export function everyGroupEvery(rules: { path: string; content: string }[], interval: string): { path: string; content: string }[] {
  return rules.map((r) => ({ path: r.path, content: r.content.replace(/^(\s+interval:) .*$/gm, `$1 ${interval}`) }));
}

/** Polls until `check` returns a value (not undefined), or fails after `ms`. */
export async function eventually<T>(what: string, ms: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
