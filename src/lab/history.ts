// Steady-state history for the lab's Prometheus. Burn-rate alerts divide errors by traffic over 5m, 1h
// and 6h windows; a Prometheus started a minute ago has a minute of traffic in its 6h window, so a
// fault burns "6 h" of budget in seconds and pages far sooner than production would. Before Prometheus
// starts, `promtool tsdb create-blocks-from openmetrics` writes hours of clean traffic at the game
// day's rate — the series the SLO rules read, under the labels Prometheus gives the live targets — so
// the windows judge the fault against production-like history and time to detect means something.
import { trackChild } from './inflight.ts';
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SEMCONV_HTTP_BUCKETS } from '../slo/metrics.ts';
import { SolidaError } from '../util/errors.ts';
import type { LabDescription } from './description.ts';

const execFileAsync = promisify(execFile);

export interface HistoryOptions {
  /** Client requests per second the history carries (the game day's load rate). */
  ratePerSecond: number;
  /** Every n-th request is a write (default 2). */
  writeEvery?: number;
  /** Failing fraction of requests (default 0: a clean steady state). */
  errorRatio?: number;
  /** How far back (default 6h10m: the longest page window, 6h, plus margin). */
  seconds?: number;
  /** Sample spacing (default 60 s: rate() over the shortest window, 5m, still sees five samples). */
  stepSeconds?: number;
  /** End of the history, epoch ms (default now). */
  endMs?: number;
}

const DURATION = 'http_server_request_duration_seconds';

function labelText(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(',')}}`;
}

/** The OpenMetrics text of the history (pure: the lab description and options in, text out). */
export function historyOpenMetrics(lab: LabDescription, opts: HistoryOptions): string {
  const end = Math.floor((opts.endMs ?? Date.now()) / 1000) - 1;
  const span = opts.seconds ?? 6 * 3600 + 600;
  const step = opts.stepSeconds ?? 60;
  const writeShare = 1 / (opts.writeEvery ?? 2);
  const errorRatio = opts.errorRatio ?? 0;
  // Only the serving region's instances take client traffic (a passive region answers health checks only).
  const active = lab.components.filter((c) => c.kind === 'inventory' && c.region === lab.regions[0]);
  const fronts = lab.components.filter((c) => c.kind === 'haproxy' && (c.role === 'global-front' || c.region === lab.regions[0]));
  const buckets = [...new Set([...SEMCONV_HTTP_BUCKETS, ...(lab.sloBuckets ?? [])])].sort((a, b) => a - b);
  const perInstance = opts.ratePerSecond / Math.max(1, active.length);
  // Every request takes ~8 ms: inside every bucket from 0.01 s up, so no latency SLO burns.
  const latency = 0.008;

  interface Series {
    name: string;
    labels: Record<string, string>;
    perSecond: number;
  }
  const histograms: { family: string; series: Series[] }[] = [];
  const counters: { family: string; series: Series[] }[] = [];
  const duration: Series[] = [];
  for (const c of active) {
    const target = { job: 'inventory', instance: `127.0.0.1:${c.port}`, region: c.region, az: c.az ?? '', component: c.name };
    const kinds = [
      { method: 'GET', route: '/items', ok: '200', share: 1 - writeShare },
      { method: 'POST', route: '/writes', ok: '201', share: writeShare },
    ];
    for (const k of kinds) {
      const base = { ...target, http_request_method: k.method, http_route: k.route };
      const good = perInstance * k.share * (1 - errorRatio);
      const bad = perInstance * k.share * errorRatio;
      for (const [status, errorType, rate] of [[k.ok, '', good], ['503', '503', bad]] as const) {
        if (rate === 0 && status !== k.ok) continue;
        const labels: Record<string, string> = { ...base, http_response_status_code: status, ...(errorType ? { error_type: errorType } : {}) };
        for (const le of buckets) duration.push({ name: `${DURATION}_bucket`, labels: { ...labels, le: `${le}` }, perSecond: le >= latency ? rate : 0 });
        duration.push({ name: `${DURATION}_bucket`, labels: { ...labels, le: '+Inf' }, perSecond: rate });
        duration.push({ name: `${DURATION}_count`, labels, perSecond: rate });
        duration.push({ name: `${DURATION}_sum`, labels, perSecond: rate * latency });
      }
    }
  }
  histograms.push({ family: DURATION, series: duration });
  const requests: Series[] = [];
  const responses: Series[] = [];
  for (const f of fronts) {
    const labels = { job: 'haproxy', instance: `127.0.0.1:${f.extraPorts.stats}`, region: f.region, component: f.name, proxy: f.name };
    requests.push({ name: 'haproxy_frontend_http_requests_total', labels, perSecond: opts.ratePerSecond });
    responses.push({ name: 'haproxy_frontend_http_responses_total', labels: { ...labels, code: '2xx' }, perSecond: opts.ratePerSecond * (1 - errorRatio) });
    responses.push({ name: 'haproxy_frontend_http_responses_total', labels: { ...labels, code: '5xx' }, perSecond: opts.ratePerSecond * errorRatio });
  }
  counters.push({ family: 'haproxy_frontend_http_requests', series: requests });
  counters.push({ family: 'haproxy_frontend_http_responses', series: responses });

  const lines: string[] = [];
  const emit = (s: Series) => {
    for (let t = end - span; t <= end; t += step) lines.push(`${s.name}${labelText(s.labels)} ${(s.perSecond * (t - (end - span))).toFixed(3)} ${t}`);
  };
  for (const h of histograms) {
    lines.push(`# TYPE ${h.family} histogram`);
    h.series.forEach(emit);
  }
  for (const c of counters) {
    lines.push(`# TYPE ${c.family} counter`);
    c.series.forEach(emit);
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

/** Write the history as TSDB blocks into Prometheus's (not yet started) data directory. */
export async function backfillHistory(lab: LabDescription, promtool: string, dataDir: string, opts: HistoryOptions): Promise<void> {
  const file = join(lab.dir, 'prometheus', 'history.om');
  writeFileSync(file, historyOpenMetrics(lab, opts));
  try {
    const run = execFileAsync(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', file, dataDir], { maxBuffer: 16 << 20 });
    trackChild(run.child);
    await run;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new SolidaError('backfilling the steady-state history failed', 1, [{ file, message: (e.stderr || e.message).trim().split('\n').slice(-3).join(' ') }]);
  } finally {
    rmSync(file, { force: true });
  }
}
