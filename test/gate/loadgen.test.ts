// The built-in open-model generator against a local node:http server: counts, schedule, failures,
// drops, write markers; then `solida gate --target` end to end. Assertions are on behaviour (what was
// sent, received and recorded), with a loose tolerance on the arrival rate.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOpenModel, type RequestRecord } from '../../src/loadgen/open-model.ts';
import { runCli, tmp } from './helpers.ts';

interface Seen { at: number; method: string; url: string; seq?: number; header?: string }

let server: http.Server;
let base: string;
let seen: Seen[] = [];
let flakyCount = 0;
const hung: http.ServerResponse[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const at = performance.now();
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const entry: Seen = { at, method: req.method!, url: req.url!, header: req.headers['x-client-seq'] as string | undefined };
      if (body) entry.seq = JSON.parse(body).seq;
      seen.push(entry);
      if (req.url!.startsWith('/hang')) {
        hung.push(res);
        return;
      }
      if (req.url!.startsWith('/flaky')) {
        flakyCount++;
        res.statusCode = flakyCount % 10 === 0 ? 503 : 200;
      }
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const r of hung) r.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const reset = () => {
  seen = [];
  flakyCount = 0;
};

describe('runOpenModel', () => {
  it('sends exactly rate × duration requests, each recorded once, at the configured arrival rate', async () => {
    reset();
    const records: RequestRecord[] = [];
    const summary = await runOpenModel({ target: base, ratePerSecond: 50, durationSeconds: 2, onResult: (r) => records.push(r) });
    expect(summary).toMatchObject({ scheduled: 100, sent: 100, ok: 100, failed: 0, dropped: 0, aborted: false });
    expect(seen).toHaveLength(100);
    expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
    // Open model: request i is due at i × 20 ms. The server saw 99 intervals over ~1.98 s.
    const span = (seen[99].at - seen[0].at) / 1000;
    expect(99 / span).toBeGreaterThan(50 * 0.85);
    expect(99 / span).toBeLessThan(50 * 1.15);
    for (const r of records) {
      expect(r.scheduledAt - records.find((x) => x.seq === 0)!.scheduledAt).toBeCloseTo(r.seq * 20, 6);
      expect(r.startedAt).toBeGreaterThanOrEqual(r.scheduledAt);
      expect(r.endedAt).toBeGreaterThanOrEqual(r.startedAt);
      expect(r.latencyMs).toBeGreaterThan(0);
      expect(r).toMatchObject({ status: 200, ok: true, dropped: false, method: 'GET', path: '/' });
    }
  });

  it('counts server errors as failures without slowing the schedule', async () => {
    reset();
    const summary = await runOpenModel({ target: base, ratePerSecond: 100, durationSeconds: 0.5, request: () => ({ path: '/flaky' }) });
    // 50 requests, every 10th answered 503.
    expect(summary).toMatchObject({ sent: 50, ok: 45, failed: 5 });
    expect(seen).toHaveLength(50);
  });

  it('carries client sequence ids on writes and hands every outcome to onResult', async () => {
    reset();
    const acked: number[] = [];
    await runOpenModel({
      target: base,
      ratePerSecond: 40,
      durationSeconds: 0.5,
      request: ({ seq }) => (seq % 2 === 0
        ? { method: 'POST', path: '/items', body: JSON.stringify({ seq }), headers: { 'content-type': 'application/json', 'x-client-seq': String(seq) }, tags: { op: 'write' } }
        : { path: '/items', tags: { op: 'read' } }),
      onResult: (r) => { if (r.tags.op === 'write' && r.ok) acked.push(r.seq); },
    });
    const writes = seen.filter((s) => s.method === 'POST');
    expect(writes.map((w) => w.seq).sort((a, b) => a! - b!)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(writes.every((w) => w.header === String(w.seq))).toBe(true);
    expect(acked.sort((a, b) => a - b)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  });

  it('drops (and records) requests beyond the in-flight bound, and times out hung ones', async () => {
    reset();
    const records: RequestRecord[] = [];
    const summary = await runOpenModel({
      target: base, ratePerSecond: 100, durationSeconds: 0.2, maxInFlight: 5, timeoutMs: 400,
      request: () => ({ path: '/hang' }), onResult: (r) => records.push(r),
    });
    // 20 due; the server never answers, so only 5 are ever in flight; the other 15 are dropped.
    expect(summary).toMatchObject({ scheduled: 20, sent: 5, dropped: 15, failed: 5, ok: 0 });
    expect(records.filter((r) => r.dropped)).toHaveLength(15);
    expect(records.filter((r) => !r.dropped).every((r) => r.status === 0 && /timeout/.test(r.error ?? ''))).toBe(true);
  });

  it('reports connection failures as failed requests with status 0', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const records: RequestRecord[] = [];
    const summary = await runOpenModel({ target: `http://127.0.0.1:${port}`, ratePerSecond: 20, durationSeconds: 0.2, onResult: (r) => records.push(r) });
    expect(summary).toMatchObject({ sent: 4, failed: 4, ok: 0 });
    expect(records.every((r) => r.status === 0 && r.error === 'ECONNREFUSED')).toBe(true);
  });

  it('stops scheduling on abort and honours maxRequests', async () => {
    reset();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const aborted = await runOpenModel({ target: base, ratePerSecond: 50, durationSeconds: 10, signal: ac.signal });
    expect(aborted.aborted).toBe(true);
    expect(aborted.sent).toBeLessThan(50);
    expect(aborted.sent).toBe(seen.length);
    const capped = await runOpenModel({ target: base, ratePerSecond: 200, durationSeconds: 10, maxRequests: 7 });
    expect(capped).toMatchObject({ scheduled: 7, sent: 7 });
  });

  it('rejects impossible options', async () => {
    await expect(runOpenModel({ target: base, ratePerSecond: 0, durationSeconds: 1 })).rejects.toThrow(/ratePerSecond/);
    await expect(runOpenModel({ target: 'ftp://x', ratePerSecond: 1, durationSeconds: 1 })).rejects.toThrow(/http/);
  });
});

describe('solida gate --target', () => {
  it('runs the load and gates it with the same thresholds as k6 results', async () => {
    reset();
    const dir = tmp();
    const out = join(dir, 'gate.json');
    const ok = await runCli(['gate', '--url', base, '--rate', '50', '--duration', '1s', '--path', '/items', '--threshold', 'http_req_failed: rate<0.01', '--threshold', 'http_reqs: count==50', '--json', out]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/sent 50, ok 50, failed 0, dropped 0/);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.verdict).toBe('pass');
    expect(json.thresholds.map((t: { metric: string; value: number }) => [t.metric, t.value])).toEqual([['http_req_failed', 0], ['http_reqs', 50]]);
    expect(seen.filter((s) => s.url === '/items')).toHaveLength(50);
  });

  it('fails the build when the SLO budget rate is crossed (route-scoped SLO from the config)', async () => {
    reset();
    const dir = tmp();
    const config = join(dir, 'slo.yaml');
    writeFileSync(config, `services: [{ name: shop }]
slos:
  - service: shop
    name: flaky
    objective: 99
    sli: { golden: { signal: availability, route: /flaky } }
  - service: shop
    name: flaky-latency
    objective: 90
    sli: { golden: { signal: latency, route: /flaky, threshold: 5s } }
`);
    const out = join(dir, 'gate.json');
    // 100 requests to /flaky: every 10th is a 503 → 10% errors against a 1% budget rate.
    const r = await runCli(['gate', '--url', base, '--rate', '100', '--duration', '1s', '--config', config, '--json', out]);
    expect(r.code).toBe(1);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    const byMetric = Object.fromEntries(json.thresholds.map((t: { metric: string; threshold: string; ok: boolean; value: number }) => [`${t.metric} ${t.threshold}`, [t.ok, t.value]]));
    expect(byMetric['http_req_failed{name:/flaky} rate<0.01']).toEqual([false, 0.1]);
    expect(byMetric['http_req_duration{name:/flaky} p(90)<5000'][0]).toBe(true);
    expect(seen.filter((s) => s.url === '/flaky')).toHaveLength(100);
  });

  it('a route template in the config is requested with sample values, and a --path is gated by the template it matches', async () => {
    const dir = tmp();
    const config = join(dir, 'slo.yaml');
    writeFileSync(config, `services: [{ name: shop }]
slos:
  - service: shop
    name: one-item
    objective: 99
    sli: { golden: { signal: availability, route: '/flaky/:id' } }
`);
    const byMetric = (file: string) => Object.fromEntries(JSON.parse(readFileSync(file, 'utf8')).thresholds.map((t: { metric: string; value: number }) => [t.metric, t.value]));
    reset();
    const out = join(dir, 'default.json');
    await runCli(['gate', '--url', base, '--rate', '50', '--duration', '1s', '--config', config, '--json', out]);
    expect(seen.filter((s) => s.url === '/flaky/1')).toHaveLength(50);
    expect(seen.some((s) => s.url === '/')).toBe(false);
    expect(byMetric(out)['http_req_failed{name:/flaky/:id}']).toBe(0.1);

    reset();
    const outPath = join(dir, 'path.json');
    await runCli(['gate', '--url', base, '--rate', '50', '--duration', '1s', '--config', config, '--path', '/flaky/42', '--json', outPath]);
    expect(seen.filter((s) => s.url === '/flaky/42')).toHaveLength(50);
    // Not "no data": the concrete path counts for the SLO on its template.
    expect(byMetric(outPath)['http_req_failed{name:/flaky/:id}']).toBe(0.1);
  });
});
