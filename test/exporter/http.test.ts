// wrap() around plain node:http handlers: route templates from the `routes` option, thrown and
// rejected errors, the standalone metrics server and its bearer token.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExporter, type Exporter, type MetricsServer } from '../../src/exporter/index.ts';
import { SolidaError } from '../../src/util/errors.ts';
import { close, listen, parseExposition, request, settledMetrics, settledScrape, total } from './helpers.ts';

const H = 'http_server_request_duration_seconds_count';
let exporter: Exporter;
let server: http.Server;
let port: number;
let metrics: MetricsServer;

class OutOfStock extends Error {}

beforeAll(async () => {
  exporter = createExporter({
    service: 'plain',
    routes: ['/items/:id', '/files/*path', '/'],
    processMetrics: false,
    bearerToken: 's3cret',
  });
  const handler = exporter.wrap(async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.url?.startsWith('/items/sync-throw')) throw new OutOfStock('none left');
    if (req.url?.startsWith('/items/reject')) {
      await new Promise((r) => setTimeout(r, 5));
      throw new RangeError('async failure');
    }
    res.writeHead(req.url?.startsWith('/files/') ? 206 : 200);
    res.end('ok');
  });
  // A minimal framework: it owns error handling, as express or fastify would.
  server = http.createServer((req, res) => {
    const fail = () => {
      res.writeHead(500);
      res.end('error');
    };
    try {
      Promise.resolve(handler(req, res)).catch(fail);
    } catch {
      fail();
    }
  });
  port = await listen(server);
  metrics = await exporter.serve({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await close(server);
  await exporter.shutdown();
});

async function scrape() {
  const res = await settledScrape(metrics.port, '/metrics', { headers: { authorization: 'Bearer s3cret' } });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toContain('text/plain; version=0.0.4');
  return parseExposition(res.body);
}

describe('wrap() for node:http', () => {
  it('maps paths to the configured templates', async () => {
    await request(port, '/items/42?x=1');
    await request(port, '/items/43');
    await request(port, '/files/a/b/c.txt');
    await request(port, '/');
    await request(port, '/elsewhere/1');
    const s = await scrape();
    expect(total(s, H, { http_route: '/items/:id', http_response_status_code: '200', error_type: '' })).toBe(2);
    expect(total(s, H, { http_route: '/files/*path', http_response_status_code: '206' })).toBe(1);
    expect(total(s, H, { http_route: '/', http_response_status_code: '200' })).toBe(1);
    expect(total(s, H, { http_route: 'UNMATCHED' })).toBe(1);
  });

  it('reports thrown and rejected errors by exception class, without changing the response', async () => {
    const thrown = await request(port, '/items/sync-throw');
    const rejected = await request(port, '/items/reject');
    expect([thrown.status, thrown.body, rejected.status, rejected.body]).toEqual([500, 'error', 500, 'error']);
    const s = await scrape();
    expect(total(s, H, { http_route: '/items/:id', http_response_status_code: '500', error_type: 'OutOfStock' })).toBe(1);
    expect(total(s, H, { http_route: '/items/:id', http_response_status_code: '500', error_type: 'RangeError' })).toBe(1);
  });

  it('protects /metrics with the bearer token', async () => {
    expect((await request(metrics.port, '/metrics')).status).toBe(401);
    expect((await request(metrics.port, '/metrics', { headers: { authorization: 'Bearer wrong!' } })).status).toBe(401);
    expect((await request(metrics.port, '/other')).status).toBe(404);
  });

  it('rejects invalid route templates and a missing service name as user errors', () => {
    expect(() => createExporter({ service: 'x', routes: ['/items/:'] })).toThrow(SolidaError);
    expect(() => createExporter({ service: '' })).toThrow(SolidaError);
  });
});

describe('a broken exporter', () => {
  it('leaves responses untouched and degrades to no metrics with one log line', async () => {
    const logs: string[] = [];
    const broken = createExporter({
      service: 'broken',
      processMetrics: false,
      log: (l) => logs.push(l),
      routeOf: () => {
        throw new Error('resolver bug');
      },
    });
    const s = http.createServer(broken.wrap((_req: http.IncomingMessage, res: http.ServerResponse) => void res.end('fine')));
    const p = await listen(s);
    const answers = [await request(p, '/a'), await request(p, '/b'), await request(p, '/c')];
    expect(answers.map((a) => [a.status, a.body])).toEqual([
      [200, 'fine'],
      [200, 'fine'],
      [200, 'fine'],
    ]);
    expect(logs.length).toBe(1);
    expect(logs[0]).toContain('resolver bug');
    const text = await broken.registry.metrics();
    expect(parseExposition(text).filter((x) => x.name === H).length).toBe(0);
    await close(s);
    await broken.shutdown();
  });
});

describe('request tracking', () => {
  // First in this file: the route capture is installed per express copy, and a middleware test
  // would install it for this one.
  it('labels an express app wrapped with wrap() (no middleware) by its route templates', async () => {
    const { default: express } = await import('express');
    const ex = createExporter({ service: 'wrapped-app', processMetrics: false });
    const app = express();
    const items = express.Router();
    items.get('/:id', (req, res) => void res.status(req.params.id === 'gone' ? 410 : 200).send('ok'));
    app.use('/items', items);
    const s = http.createServer(ex.wrap(app));
    const p = await listen(s);
    for (const id of ['1', '2', 'gone']) await request(p, `/items/${id}`);
    await request(p, '/elsewhere');
    const samples = parseExposition(await settledMetrics(ex.registry));
    expect(total(samples, H, { http_route: '/items/:id', http_response_status_code: '200' })).toBe(2);
    expect(total(samples, H, { http_route: '/items/:id', http_response_status_code: '410' })).toBe(1);
    expect(total(samples, H, { http_route: 'UNMATCHED', http_response_status_code: '404' })).toBe(1);
    await close(s);
    await ex.shutdown();
  });

  it('counts a request once when both wrap() and the express middleware see it', async () => {
    const { default: express } = await import('express');
    const ex = createExporter({ service: 'twice', processMetrics: false });
    const app = express();
    app.use(ex.middleware);
    app.get('/items/:id', (_req, res) => void res.send('ok'));
    const s = http.createServer(ex.wrap(app));
    const p = await listen(s);
    for (let i = 0; i < 3; i++) expect((await request(p, `/items/${i}`)).status).toBe(200);
    const samples = parseExposition(await settledMetrics(ex.registry));
    expect(total(samples, H)).toBe(3);
    expect(total(samples, H, { http_route: '/items/:id' })).toBe(3);
    await close(s);
    await ex.shutdown();
  });

  it('instruments request/response pairs that no http.Server produced, once when wrapped twice', async () => {
    const { EventEmitter } = await import('node:events');
    const ex = createExporter({ service: 'handmade', routes: ['/items/:id'], processMetrics: false });
    const handler = ex.wrap(ex.wrap((_req: http.IncomingMessage, res: http.ServerResponse) => void (res.statusCode = 502)));
    const pair = (url: string, finished: boolean) => {
      const req = { method: 'GET', url, headers: {} };
      const res = Object.assign(new EventEmitter(), { req, statusCode: 200, headersSent: finished, writableFinished: finished });
      return { req, res };
    };
    const done = pair('/items/7', true);
    const cut = pair('/items/8', false);
    for (const { req, res } of [done, cut]) handler(req as never, res as never);
    expect(total(parseExposition(await settledMetrics(ex.registry)), 'http_server_active_requests')).toBe(2);
    done.res.emit('close');
    cut.res.emit('close');
    cut.res.emit('close'); // a second close changes nothing
    const samples = parseExposition(await settledMetrics(ex.registry));
    expect(total(samples, H, { http_route: '/items/:id', http_response_status_code: '502', error_type: '502' })).toBe(1);
    expect(total(samples, H, { http_route: '/items/:id', http_response_status_code: '', error_type: 'aborted' })).toBe(1);
    expect(total(samples, H)).toBe(2);
    expect(total(samples, 'http_server_active_requests')).toBe(0);
    await ex.shutdown();
  });
});
