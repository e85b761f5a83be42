// A real express app (5 and 4) on loopback, driven with real HTTP requests, scraped through /metrics.
import { execFile } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { createRequire } from 'node:module';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExporter, type Exporter } from '../../src/exporter/index.ts';
import { close, eventually, latencySlo, listen, parseExposition, pick, request, requestExpectingHangup, settledScrape, total, type Sample } from './helpers.ts';
import { binary } from '../support/binaries.ts';

const H = 'http_server_request_duration_seconds';

function keptAlive(agent: http.Agent, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

/** Writes `paths` as pipelined requests on one socket, waits for their responses, then sends `cutOff` and closes. */
function pipelined(port: number, paths: string[], cutOff: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let raw = '';
    socket.on('error', reject);
    let done = false;
    socket.on('data', (d) => {
      raw += d.toString('latin1');
      // Every response here has a Content-Length body ending the stream so far; the last one is 'down'.
      if (!done && (raw.match(/HTTP\/1\.1 /g) ?? []).length === paths.length && raw.endsWith('down')) {
        done = true;
        socket.write(`GET ${cutOff} HTTP/1.1\r\nHost: x\r\n\r\n`);
        setTimeout(() => socket.destroy(), 100);
        resolve(raw);
      }
    });
    socket.write(paths.map((p) => `GET ${p} HTTP/1.1\r\nHost: x\r\n\r\n`).join(''));
  });
}
// express 4 is installed under the alias "express4"; both share the express 5 typings' call shape.
const express4 = createRequire(import.meta.url)('express4') as typeof express;
const EXPRESS_VERSIONS: Array<[string, typeof express]> = [
  [createRequire(import.meta.url)('express/package.json').version as string, express],
  [createRequire(import.meta.url)('express4/package.json').version as string, express4],
];

describe.each(EXPRESS_VERSIONS)('express %s', (version, express) => {
  let exporter: Exporter;
  let server: http.Server;
  let port: number;
  const logs: string[] = [];
  let releaseHeld: () => void = () => {};

  async function scrape(): Promise<Sample[]> {
    const res = await settledScrape(port);
    expect(res.status).toBe(200);
    return parseExposition(res.body);
  }

  beforeAll(async () => {
    exporter = createExporter({
      service: 'shop',
      slos: [latencySlo('shop', 0.3), latencySlo('other-service', 0.123)],
      extraBuckets: [0.042],
      maxRoutes: 12,
      log: (l) => logs.push(l),
    });
    const app = express();
    app.use(exporter.middleware);
    app.get('/metrics', exporter.metricsHandler);
    app.get('/health', (_req, res) => {
      res.send('ok');
    });
    const items = express.Router();
    items.get('/:id', (req, res) => {
      if (req.params.id === 'boom') throw new TypeError('bad item');
      if (req.params.id === 'missing') {
        res.status(404).send('no');
        return;
      }
      res.json({ id: req.params.id });
    });
    items.post('/', (_req, res) => {
      res.status(201).end();
    });
    app.use('/items', items);
    // Routers mounted at paths with parameters, nested.
    const tenants = express.Router();
    const orders = express.Router();
    orders.get('/lines/:n', (_req, res) => void res.send('line'));
    tenants.get('/items/:id', (_req, res) => void res.send('tenant item'));
    tenants.use('/orders/:oid', orders);
    app.use('/t/:tenant', tenants);
    app.get('/fail', (_req, res) => {
      res.status(503).send('down');
    });
    app.get('/slow', async (_req, res) => {
      await new Promise((r) => setTimeout(r, 400));
      res.send('slow');
    });
    app.get('/pause', async (_req, res) => {
      await new Promise((r) => setTimeout(r, 150));
      res.send('paused');
    });
    app.get('/held', (_req, res) => {
      releaseHeld = () => res.send('released');
    });
    app.get('/hang', () => {
      // never answers: ended by the client closing its kept-alive connection
    });
    app.get('/never', () => {
      // never answers: ends by socket timeout or client abort
    });
    app.use(exporter.errorHandler);
    server = http.createServer(app);
    port = await listen(server);
  });

  afterAll(async () => {
    await close(server);
    await exporter.shutdown();
  });

  describe(`middleware on express ${version}`, () => {
    it('counts requests by route template, method and status, with error_type only on failures', async () => {
      for (const id of ['1', '2', '3']) expect((await request(port, `/items/${id}`)).status).toBe(200);
      expect((await request(port, '/items/missing')).status).toBe(404);
      expect((await request(port, '/items', { method: 'POST' })).status).toBe(201);
      expect((await request(port, '/items/boom')).status).toBe(500);
      expect((await request(port, '/fail')).status).toBe(503);
      expect((await request(port, '/nope/123')).status).toBe(404);

      const s = await scrape();
      const count = (labels: Record<string, string>) => total(s, `${H}_count`, labels);
      expect(count({ http_route: '/items/:id', http_request_method: 'GET', http_response_status_code: '200', error_type: '' })).toBe(3);
      expect(count({ http_route: '/items/:id', http_response_status_code: '404', error_type: '' })).toBe(1);
      expect(count({ http_route: '/items', http_request_method: 'POST', http_response_status_code: '201' })).toBe(1);
      // The error bubbled out of the mounted router: still the full template, and the exception class.
      expect(count({ http_route: '/items/:id', http_response_status_code: '500', error_type: 'TypeError' })).toBe(1);
      expect(count({ http_route: '/fail', http_response_status_code: '503', error_type: '503' })).toBe(1);
      expect(count({ http_route: 'UNMATCHED', http_response_status_code: '404', error_type: '' })).toBe(1);
      // No raw path ever becomes a label value.
      expect(pick(s, `${H}_count`).some((x) => /\/items\/\d|nope/.test(x.labels.http_route))).toBe(false);
      // The availability preset's error selector: 5xx only.
      const errors = pick(s, `${H}_count`).filter((x) => x.labels.error_type !== '' && x.labels.error_type !== undefined);
      expect(errors.map((x) => x.labels.http_response_status_code).sort()).toEqual(['500', '503']);
    });

    it('labels routes under mount paths with parameters by their full template, never the values', async () => {
      const before = await scrape();
      for (const tenant of ['acme', 'zeta', 'umbrella']) expect((await request(port, `/t/${tenant}/items/${tenant.length}`)).status).toBe(200);
      expect((await request(port, '/t/acme/orders/9/lines/3')).status).toBe(200);
      expect((await request(port, '/t/zeta/orders/10/lines/4/')).status).toBe(200);
      const after = await scrape();
      const delta = (route: string) => total(after, `${H}_count`, { http_route: route }) - total(before, `${H}_count`, { http_route: route });
      expect(delta('/t/:tenant/items/:id')).toBe(3);
      expect(delta('/t/:tenant/orders/:oid/lines/:n')).toBe(2);
      expect(pick(after, `${H}_count`).filter((x) => /acme|zeta|umbrella|\/9|\/10/.test(x.labels.http_route))).toEqual([]);
    });

    it('counts each request once on kept-alive and pipelined connections, and aborts in-flight ones on close', async () => {
      const before = await scrape();
      const count = (samples: Sample[], labels: Record<string, string>) => total(samples, `${H}_count`, labels);
      // 20 requests over at most 2 kept-alive sockets: the exporter follows them across requests.
      const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
      try {
        const statuses = await Promise.all(
          Array.from({ length: 20 }, (_, i) => keptAlive(agent, port, i % 4 === 0 ? '/items/missing' : `/items/k${i}`)),
        );
        expect(statuses.filter((x) => x === 404)).toHaveLength(5);
      } finally {
        agent.destroy();
      }
      // Three pipelined requests in one write: the slow one is still running while the next two are
      // handled, so two or three are in flight on the same socket at once; then a fourth request on
      // the same connection is cut off by the client.
      const raw = await pipelined(port, ['/pause', '/items/p1', '/fail'], '/hang');
      expect(raw.match(/HTTP\/1\.1 \d+/g)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200', 'HTTP/1.1 503']);
      const after = await eventually(async () => {
        const x = await scrape();
        return count(x, { http_route: '/hang', error_type: 'aborted' }) === 1 ? x : undefined;
      });
      const delta = (labels: Record<string, string>) => count(after, labels) - count(before, labels);
      expect(delta({ http_route: '/items/:id', http_response_status_code: '200' })).toBe(16);
      expect(delta({ http_route: '/items/:id', http_response_status_code: '404' })).toBe(5);
      expect(delta({ http_route: '/pause', http_response_status_code: '200' })).toBe(1);
      expect(delta({ http_route: '/fail', http_response_status_code: '503', error_type: '503' })).toBe(1);
      // /items/p1 was handled at once but its response waited behind /pause's: it ends when written.
      expect(total(after, `${H}_sum`, { http_route: '/pause' })).toBeGreaterThanOrEqual(0.148);
      expect(total(after, `${H}_bucket`, { http_route: '/items/:id', http_response_status_code: '200', le: '0.1' })).toBe(
        total(before, `${H}_bucket`, { http_route: '/items/:id', http_response_status_code: '200', le: '0.1' }) + 15,
      );
      expect(total(after, 'http_server_active_requests')).toBe(1); // the scrape itself
    });

    it('has bucket boundaries at the service SLO thresholds (and not other services\')', async () => {
      expect((await request(port, '/slow')).status).toBe(200);
      const s = await scrape();
      const les = new Set(pick(s, `${H}_bucket`).map((x) => x.labels.le));
      for (const le of ['0.005', '0.01', '0.025', '0.05', '0.075', '0.1', '0.25', '0.5', '0.75', '1', '2.5', '5', '7.5', '10', '+Inf']) {
        expect(les.has(le)).toBe(true);
      }
      expect(les.has('0.3')).toBe(true);
      expect(les.has('0.042')).toBe(true);
      expect(les.has('0.123')).toBe(false);
      const slow = { http_route: '/slow' };
      expect(total(s, `${H}_count`, slow)).toBe(1);
      // ≥ 400 ms: outside le=0.3, inside le=0.5 .. +Inf.
      expect(total(s, `${H}_bucket`, { ...slow, le: '0.3' })).toBe(0);
      expect(total(s, `${H}_bucket`, { ...slow, le: '10' })).toBe(1);
      // setTimeout runs off libuv's millisecond loop clock: it may fire up to 1 ms before 400 ms of performance.now().
      expect(total(s, `${H}_sum`, slow)).toBeGreaterThanOrEqual(0.398);
    });

    it('reports in-flight requests', async () => {
      const held = request(port, '/held');
      const during = await eventually(async () => {
        const s = await scrape();
        // the scrape itself is in flight too
        return total(s, 'http_server_active_requests') === 2 ? s : undefined;
      });
      expect(total(during, 'http_server_active_requests')).toBe(2);
      releaseHeld();
      expect((await held).body).toBe('released');
      const after = await scrape();
      expect(total(after, 'http_server_active_requests')).toBe(1);
    });

    it('labels client aborts "aborted" and socket timeouts "timeout"', async () => {
      expect(await requestExpectingHangup(port, '/never', 100)).toBe('ECONNRESET');
      await eventually(async () => (total(await scrape(), `${H}_count`, { http_route: '/never', error_type: 'aborted' }) === 1 ? true : undefined));

      server.setTimeout(200);
      try {
        expect(await requestExpectingHangup(port, '/never')).toBe('ECONNRESET');
      } finally {
        server.setTimeout(0);
      }
      const s = await eventually(async () => {
        const x = await scrape();
        return total(x, `${H}_count`, { http_route: '/never', error_type: 'timeout' }) === 1 ? x : undefined;
      });
      // Nothing was sent for either: no status code label value.
      expect(pick(s, `${H}_count`, { http_route: '/never' }).every((x) => (x.labels.http_response_status_code ?? '') === '')).toBe(true);
    });

    it('saturation metrics are exposed', async () => {
      const s = await scrape();
      const names = new Set(s.map((x) => x.name));
      for (const n of ['nodejs_eventloop_utilization_ratio', 'nodejs_eventloop_lag_p99_seconds', 'process_cpu_seconds_total', 'process_resident_memory_bytes']) {
        expect(names.has(n)).toBe(true);
      }
      const elu = total(s, 'nodejs_eventloop_utilization_ratio');
      expect(elu).toBeGreaterThanOrEqual(0);
      expect(elu).toBeLessThanOrEqual(1);
    });

    it('passes promtool check metrics', async () => {
      const body = (await request(port, '/metrics')).body;
      const result = await new Promise<{ code: number; out: string }>((resolve) => {
        const child = execFile(binary('promtool'), ['check', 'metrics'], (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
        );
        child.stdin?.end(body);
      });
      expect(result.out).toBe('');
      expect(result.code).toBe(0);
    });

    it('a flood of random URLs and methods does not grow the series count', async () => {
      // Fill the route cap first, so the flood after it must collapse entirely.
      const before = async () => pick(await scrape(), `${H}_count`).length;
      for (let i = 0; i < 30; i++) await request(port, `/random/${Math.random().toString(36).slice(2)}?q=${i}`);
      for (let i = 0; i < 10; i++) await request(port, `/items/${i}-x`, { method: ['PURGE', 'FOO', 'PROPFIND'][i % 3] });
      const baseline = await before();
      for (let i = 0; i < 300; i++) {
        await request(port, `/${Math.random().toString(36).slice(2)}/${i}`, { method: i % 7 === 0 ? `X${i}` : 'GET' });
      }
      expect(await before()).toBe(baseline);
      const s = await scrape();
      const methods = new Set(pick(s, `${H}_count`).map((x) => x.labels.http_request_method));
      expect(methods.has('_OTHER')).toBe(true);
      expect([...methods].every((m) => ['GET', 'POST', '_OTHER'].includes(m))).toBe(true);
      expect(logs).toEqual([]);
    });
  });
});
