// The one way tests start a real Prometheus: a known history backfilled with `promtool tsdb
// create-blocks-from openmetrics`, optional rule files and scrape targets, on a free loopback port in a
// temp dir that stop() removes. The budget report, the live view and the Grafana dashboards read it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../src/lab/ports.ts';
import { binary } from './binaries.ts';

const run = promisify(execFile);

export interface TestPrometheusOptions {
  /** OpenMetrics text (ending in `# EOF`) written into the TSDB before Prometheus starts. */
  history?: string;
  /** Rule files Prometheus loads and evaluates every second. */
  rules?: { path: string; content: string }[];
  /** host:port targets scraped every second; their own job labels are kept (honor_labels). */
  scrape?: string[];
}

export interface TestPrometheus {
  url: string;
  /** Stops Prometheus and removes its data; a second call does nothing. */
  stop(): Promise<void>;
}

export async function startTestPrometheus({ history, rules = [], scrape = [] }: TestPrometheusOptions = {}): Promise<TestPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'solida-test-prom-'));
  const tsdb = join(dir, 'tsdb');
  let child: ChildProcess | undefined;
  try {
    if (history !== undefined) {
      writeFileSync(join(dir, 'data.om'), history);
      await run(binary('promtool'), ['tsdb', 'create-blocks-from', 'openmetrics', '-q', join(dir, 'data.om'), tsdb], { maxBuffer: 1 << 24 });
    }
    const ruleFiles = rules.map((r) => {
      writeFileSync(join(dir, r.path), r.content);
      return join(dir, r.path);
    });
    const config = {
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: ruleFiles,
      scrape_configs: scrape.length ? [{ job_name: 'test', honor_labels: true, static_configs: [{ targets: scrape }] }] : [],
    };
    writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config));
    const port = await freePort();
    child = spawn(
      binary('prometheus'),
      [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${tsdb}`, '--storage.tsdb.retention.time=100y', `--web.listen-address=127.0.0.1:${port}`],
      { stdio: 'ignore' },
    );
    const url = `http://127.0.0.1:${port}`;
    await waitReady(url, child);
    const proc = child;
    return {
      url,
      stop: async () => {
        if (proc.exitCode === null && proc.signalCode === null) {
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

/** Per-second rates during [from, to) (seconds since the history's start). */
export interface HistoryPhase {
  from: number;
  to: number;
  okPerSecond: number;
  errorsPerSecond: number;
}

/**
 * Counters `http_requests_total{job="api",code="200"|"500"}` sampled every `stepSeconds` from `start`
 * for `seconds`; both start at 0 so Prometheus does not extrapolate before the first sample.
 */
export function openMetrics(start: number, seconds: number, stepSeconds: number, phases: HistoryPhase[]): string {
  const rateAt = (t: number, key: 'okPerSecond' | 'errorsPerSecond') => phases.find((p) => t >= p.from && t < p.to)?.[key] ?? 0;
  const lines = ['# TYPE http_requests counter'];
  for (const [code, key] of [
    ['200', 'okPerSecond'],
    ['500', 'errorsPerSecond'],
  ] as const) {
    let value = 0;
    for (let t = 0; t <= seconds; t += stepSeconds) {
      lines.push(`http_requests_total{job="api",code="${code}"} ${value} ${start + t}`);
      value += rateAt(t, key) * stepSeconds;
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}
