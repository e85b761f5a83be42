// A real Prometheus holding a known request history: counters written as OpenMetrics, backfilled with
// `promtool tsdb create-blocks-from openmetrics`, then served on a free loopback port.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '../../src/lab/ports.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { binary } from '../support/binaries.ts';

const run = promisify(execFile);

/** Per-second rates during [from, to) (seconds since the history's start). */
export interface Phase {
  from: number;
  to: number;
  okPerSecond: number;
  errorsPerSecond: number;
}

export interface RunningPrometheus {
  url: string;
  stop(): Promise<void>;
}

/**
 * Counters `http_requests_total{job="api",code="200"|"500"}` sampled every `stepSeconds` from `start`
 * for `seconds`; both start at 0 so Prometheus does not extrapolate before the first sample.
 */
export function openMetrics(start: number, seconds: number, stepSeconds: number, phases: Phase[]): string {
  const rateAt = (t: number, key: 'okPerSecond' | 'errorsPerSecond') => phases.find((p) => t >= p.from && t < p.to)?.[key] ?? 0;
  const lines = ['# TYPE http_requests counter'];
  for (const [code, key] of [['200', 'okPerSecond'], ['500', 'errorsPerSecond']] as const) {
    let value = 0;
    for (let t = 0; t <= seconds; t += stepSeconds) {
      lines.push(`http_requests_total{job="api",code="${code}"} ${value} ${start + t}`);
      value += rateAt(t, key) * stepSeconds;
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

export async function startPrometheus(metrics: string): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'solida-report-prom-'));
  let child: ChildProcess | undefined;
  try {
    writeFileSync(join(dir, 'data.om'), metrics);
    await run(binary('promtool'), ['tsdb', 'create-blocks-from', 'openmetrics', '-q', join(dir, 'data.om'), join(dir, 'tsdb')], { maxBuffer: 1 << 24 });
    writeFileSync(join(dir, 'prometheus.yml'), 'global: {}\nscrape_configs: []\n');
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
    return {
      url,
      stop: async () => {
        if (proc.exitCode === null) {
          const exited = new Promise((r) => proc.once('exit', r));
          proc.kill('SIGTERM');
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/-/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('prometheus did not become ready in 20s');
}
