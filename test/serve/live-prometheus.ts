// A real Prometheus with live data: a tiny exporter serves request counters whose values are a fixed
// function of wall-clock time; the same function, sampled over the past, is the backfilled history of
// test/support/prometheus.ts; Prometheus then scrapes the exporter every second and evaluates the rules
// it is given (the generated SLO rules), so recording rules and alerts are real.
import { createServer, type Server } from 'node:http';
import { freePort } from '../../src/lab/ports.ts';
import { startTestPrometheus } from '../support/prometheus.ts';

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
  const start = Math.floor(Date.now() / 1000) - historySeconds;
  const exporterPort = await freePort();
  const instance = `127.0.0.1:${exporterPort}`;
  const series = (now: number) =>
    jobs.flatMap(
      (j) =>
        [
          [`http_requests_total{code="200",instance="${instance}",job="${j.job}"}`, counterAt(j.phases, now - start, 'okPerSecond')],
          [`http_requests_total{code="500",instance="${instance}",job="${j.job}"}`, counterAt(j.phases, now - start, 'errorsPerSecond')],
        ] as [string, number][],
    );
  const exporter: Server = createServer((_req, res) => {
    const now = Date.now() / 1000;
    const body = ['# TYPE http_requests_total counter', ...series(now).map(([s, v]) => `${s.replace(/,instance="[^"]*"/, '')} ${v}`)].join('\n');
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(`${body}\n`);
  });
  await new Promise<void>((r) => exporter.listen(exporterPort, '127.0.0.1', () => r()));
  try {
    // History every 60 s up to a minute ago; live scrapes continue the same counters from now on.
    const lines = ['# TYPE http_requests counter'];
    const end = Math.floor(Date.now() / 1000) - 60;
    for (let t = start; t <= end; t += 60) for (const [s, v] of series(t)) lines.push(`${s} ${v} ${t}`);
    lines.push('# EOF');
    const prom = await startTestPrometheus({ history: `${lines.join('\n')}\n`, rules, scrape: [instance] });
    return {
      url: prom.url,
      start,
      stopPrometheus: prom.stop,
      stop: async () => {
        await prom.stop();
        await new Promise((r) => exporter.close(r));
      },
    };
  } catch (err) {
    exporter.close();
    throw err;
  }
}

/**
 * The generated rules with every group evaluated every `interval`. Their long-window groups run every two
 * minutes and their 10-minute tiles every 10 minutes, and Prometheus starts a group at an offset within its
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
