// A real Prometheus for rule tests: request counters backfilled from OpenMetrics with promtool,
// optionally the history of some recording rules backfilled by promtool from those counters (as
// Prometheus would have recorded them), and generated rule files loaded live.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../src/lab/ports.ts';
import { binary } from '../support/binaries.ts';

const run = promisify(execFile);

export interface PromInstance {
  url: string;
  query(expr: string, at?: number): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

export class PrometheusFixture {
  readonly dir = mkdtempSync(join(tmpdir(), 'solida-real-prom-'));
  private readonly tsdb = join(this.dir, 'tsdb');
  private children: ChildProcess[] = [];

  async importOpenMetrics(text: string): Promise<void> {
    writeFileSync(join(this.dir, 'data.om'), text);
    await run(binary('promtool'), ['tsdb', 'create-blocks-from', 'openmetrics', '-q', join(this.dir, 'data.om'), this.tsdb], { maxBuffer: 1 << 24 });
  }

  /** promtool evaluates the recording rules over [start, end] against a Prometheus on the counters. */
  async backfillRules(ruleFile: string, start: number, end: number): Promise<void> {
    const source = await this.start();
    const out = join(this.dir, 'rule-blocks');
    try {
      writeFileSync(join(this.dir, 'backfill.yml'), ruleFile);
      await run(binary('promtool'), ['tsdb', 'create-blocks-from', 'rules', `--url=${source.url}`, `--start=${start}`, `--end=${end}`, `--output-dir=${out}`, join(this.dir, 'backfill.yml')], { maxBuffer: 1 << 24 });
    } finally {
      await source.stop();
    }
    for (const block of readdirSync(out)) cpSync(join(out, block), join(this.tsdb, block), { recursive: true });
  }

  async start(ruleFiles: string[] = [], evaluationInterval = '1s'): Promise<PromInstance> {
    const names = ruleFiles.map((text, i) => {
      const path = join(this.dir, `rules-${i}.yml`);
      writeFileSync(path, text);
      return path;
    });
    mkdirSync(this.tsdb, { recursive: true });
    const config = join(this.dir, 'prometheus.yml');
    writeFileSync(config, `global:\n  evaluation_interval: ${evaluationInterval}\nrule_files: ${JSON.stringify(names)}\nscrape_configs: []\n`);
    const port = await freePort();
    const child = spawn(binary('prometheus'), [`--config.file=${config}`, `--storage.tsdb.path=${this.tsdb}`, '--storage.tsdb.retention.time=100y', `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    this.children.push(child);
    const url = `http://127.0.0.1:${port}`;
    for (const deadline = Date.now() + 30_000; ; ) {
      if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error('prometheus did not become ready in 30s');
      if (await fetch(`${url}/-/ready`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    return {
      url,
      async query(expr, at) {
        const params = new URLSearchParams({ query: expr, ...(at ? { time: String(at) } : {}) });
        const body = (await (await fetch(`${url}/api/v1/query?${params}`)).json()) as { status: string; error?: string; data: { resultType: string; result: unknown } };
        if (body.status !== 'success') throw new Error(`${expr}: ${body.error}`);
        if (body.data.resultType === 'scalar') return [{ metric: {}, value: body.data.result as [number, string] }];
        return body.data.result as { metric: Record<string, string>; value: [number, string] }[];
      },
      async stop() {
        if (child.exitCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }
      },
    };
  }

  async cleanup(): Promise<void> {
    for (const c of this.children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Counters `http_requests_total{job, code="200"|"500"}` every `step` seconds over [start, end]:
 * traffic and error share change every hour (a fixed pseudo-random sequence), so a traffic-weighted
 * ratio and a mean of ratios differ.
 */
export function spikyCounters(job: string, start: number, end: number, step: number): string {
  const lines: string[] = [];
  let ok = 0;
  let errors = 0;
  const ok200: string[] = [];
  const err500: string[] = [];
  for (let t = start; t <= end; t += step) {
    ok200.push(`http_requests_total{job="${job}",code="200"} ${ok} ${t}`);
    err500.push(`http_requests_total{job="${job}",code="500"} ${errors} ${t}`);
    const hour = Math.floor((t - start) / 3600);
    const volume = [200, 5, 80, 1, 150, 20][hour % 6];
    const share = [0.0002, 0.05, 0.001, 0.3, 0.0005, 0.01][(hour * 5) % 6];
    errors += Math.round(volume * share * step);
    ok += Math.round(volume * (1 - share) * step);
  }
  lines.push(...ok200, ...err500, '# EOF');
  return `${lines.join('\n')}\n`;
}
