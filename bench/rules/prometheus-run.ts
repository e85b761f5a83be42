// One Prometheus per variant on a hard-linked copy of the bench TSDB, scraping the live counters, and
// the figures the bench reads from its own /metrics: CPU, RSS, rule-group durations, missed iterations.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync, linkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findBinary } from '../../src/util/binaries.ts';
import { freePort } from '../../src/lab/ports.ts';

export interface PromSample {
  at: number;
  cpu: number;
  rss: number;
  missed: number;
  iterations: number;
  failures: number;
  /** Σ over groups of last duration × (cycle / group interval): rule time per evaluation cycle. */
  groupSecondsPerCycle: number;
}

export interface RunningPrometheus {
  port: number;
  sample(cycleSeconds: number): Promise<PromSample>;
  stop(): Promise<void>;
}

/** Hard-links every block into a fresh data directory: blocks are immutable, so copies cost nothing. */
function linkBlocks(blocks: string, data: string): void {
  mkdirSync(data, { recursive: true });
  for (const ulid of readdirSync(blocks)) {
    const src = join(blocks, ulid);
    if (!statSync(src).isDirectory()) continue;
    const dst = join(data, ulid);
    mkdirSync(dst, { recursive: true });
    for (const f of readdirSync(src)) {
      if (statSync(join(src, f)).isDirectory()) {
        mkdirSync(join(dst, f));
        for (const c of readdirSync(join(src, f))) linkSync(join(src, f, c), join(dst, f, c));
      } else linkSync(join(src, f), join(dst, f));
    }
  }
}

export async function startPrometheus(opts: { work: string; blocks: string; rules?: string; interval: string; scrape: string; target: string }): Promise<RunningPrometheus> {
  const bin = findBinary('prometheus');
  if (!bin) throw new Error('prometheus not found: apt-get install prometheus (npm run setup does this)');
  const data = join(opts.work, 'data');
  rmSync(opts.work, { recursive: true, force: true });
  linkBlocks(opts.blocks, data);
  const rulesFile = join(opts.work, 'rules.yml');
  if (opts.rules) writeFileSync(rulesFile, opts.rules);
  const config = [
    'global:',
    `  scrape_interval: ${opts.scrape}`,
    `  evaluation_interval: ${opts.interval}`,
    ...(opts.rules ? ['rule_files:', `  - ${rulesFile}`] : []),
    'scrape_configs:',
    '  - job_name: bench',
    '    honor_labels: true',
    `    static_configs: [{ targets: ["${opts.target}"] }]`,
    '',
  ].join('\n');
  writeFileSync(join(opts.work, 'prometheus.yml'), config);
  const port = await freePort();
  const child: ChildProcess = spawn(
    bin,
    [
      `--config.file=${join(opts.work, 'prometheus.yml')}`,
      `--storage.tsdb.path=${data}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=90d',
      // Day-sized imported blocks stay as they are: no compaction work during the measurement.
      '--storage.tsdb.min-block-duration=24h',
      '--storage.tsdb.max-block-duration=24h',
      '--log.level=error',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/-/ready`, { signal: AbortSignal.timeout(5000) })).ok) break;
    } catch {
      /* not listening yet */
    }
    if (child.exitCode !== null || i > 600) throw new Error(`prometheus did not become ready (exit ${child.exitCode})`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    port,
    async sample(cycleSeconds) {
      // A starved Prometheus answers slowly; a minute is plenty on a machine that can run the bench at all.
      const text = await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(60_000) })).text();
      return parseSample(text, cycleSeconds);
    },
    async stop() {
      // A starved Prometheus can take minutes to finish its in-flight rule evaluations after SIGTERM;
      // its data directory is thrown away anyway, so after 20 s it is killed.
      const exited = new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      rmSync(opts.work, { recursive: true, force: true });
    },
  };
}

function parseSample(text: string, cycleSeconds: number): PromSample {
  const sum = (name: string) => lines(text, name).reduce((s, l) => s + l.value, 0);
  const intervals = new Map(lines(text, 'prometheus_rule_group_interval_seconds').map((l) => [l.labels, l.value]));
  let groupSecondsPerCycle = 0;
  for (const l of lines(text, 'prometheus_rule_group_last_duration_seconds')) groupSecondsPerCycle += l.value * (cycleSeconds / (intervals.get(l.labels) ?? cycleSeconds));
  return {
    at: Date.now() / 1000,
    cpu: sum('process_cpu_seconds_total'),
    rss: sum('process_resident_memory_bytes'),
    missed: sum('prometheus_rule_group_iterations_missed_total'),
    iterations: sum('prometheus_rule_group_iterations_total'),
    failures: sum('prometheus_rule_evaluation_failures_total'),
    groupSecondsPerCycle,
  };
}

function lines(text: string, name: string): { labels: string; value: number }[] {
  const out: { labels: string; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== '{' && line[name.length] !== ' ')) continue;
    const close = line.lastIndexOf('}');
    const labels = close > 0 ? line.slice(name.length, close + 1) : '';
    out.push({ labels, value: Number(line.slice(line.lastIndexOf(' ') + 1)) });
  }
  return out;
}
