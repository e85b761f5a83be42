// Shared test helpers: a minimal exposition parser (independent of prom-client), a fixture SLO,
// and a promise-based HTTP client.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Slo } from '../../src/slo/model.ts';
import { buildSlo, d } from '../support/model.ts';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  exemplar?: string;
}

export function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*?)\})? (\S+)(?: # (.*))?$/.exec(line);
    if (!m) throw new Error(`unparseable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const lm of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[lm[1]] = lm[2];
    out.push({ name: m[1], labels, value: Number(m[3]), exemplar: m[4] });
  }
  return out;
}

export function pick(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => (s.labels[k] ?? '') === v));
}

export function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return pick(samples, name, labels).reduce((a, s) => a + s.value, 0);
}

export function latencySlo(service: string, thresholdSeconds: number): Slo {
  return buildSlo({
    service,
    name: 'latency',
    objective: 99,
    errorBudget: 0.01,
    sli: { source: 'prometheus', errors: 'x', total: 'y', origin: { kind: 'golden', signal: 'latency', service, thresholdSeconds } },
    alerting: { name: 'A', labels: {}, annotations: {}, tiers: [], noData: { enabled: false, for: d('10m', 600), severity: 'ticket' } },
  });
}

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function request(port: number, path: string, opts: { method?: string; headers?: Record<string, string> } = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends a request and resolves with the socket error (hang-up) it ends with. */
export function requestExpectingHangup(port: number, path: string, abortAfterMs?: number): Promise<string> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve('completed'));
    });
    req.on('error', (err) => resolve((err as NodeJS.ErrnoException).code ?? err.message));
    req.end();
    if (abortAfterMs !== undefined) setTimeout(() => req.destroy(), abortAfterMs);
  });
}

export function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

export function close(server: http.Server): Promise<void> {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function eventually<T>(fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The registry's text once the series earlier requests created show their counts: a series the
 * exporter never exposed is read at zero first and its events appear at the next read
 * (src/exporter/new-series.ts), so this reads twice.
 */
export async function settledMetrics(registry: { metrics(): Promise<string> }): Promise<string> {
  await registry.metrics();
  return registry.metrics();
}

/** GET /metrics twice (see settledMetrics); the second response. */
export async function settledScrape(port: number, path = '/metrics', opts: { headers?: Record<string, string> } = {}): Promise<HttpResult> {
  await request(port, path, opts);
  return request(port, path, opts);
}
