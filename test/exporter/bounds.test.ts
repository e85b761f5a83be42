// Exposure and cardinality bounds: serve() stays on loopback unless told otherwise, and a client sending
// hundreds of distinct status codes cannot grow the series count past the cap (codes past it keep their class).
import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { createExporter } from '../../src/exporter/index.ts';
import { close, listen, parseExposition, request, settledScrape } from './helpers.ts';

const exporter = createExporter({ service: 'bounds', routes: ['/status/:code'], processMetrics: false, maxStatusCodes: 20 });
afterAll(() => exporter.shutdown());

describe('exporter bounds', () => {
  it('serve() binds 127.0.0.1 by default', async () => {
    const m = await exporter.serve({ port: 0 });
    expect((m.server.address() as { address: string }).address).toBe('127.0.0.1');
    await m.close();
  });

  it('caps distinct status codes; later codes are labelled by class', async () => {
    const server = http.createServer(exporter.wrap((req, res) => {
      res.writeHead(Number(req.url!.split('/')[2]));
      res.end();
    }));
    const port = await listen(server);
    // 400 distinct codes from 200 to 599.
    for (let code = 200; code < 600; code++) await request(port, `/status/${code}`);
    await close(server);
    const m = await exporter.serve({ port: 0 });
    const res = await settledScrape(m.port);
    await m.close();
    const series = parseExposition(res.body).filter((s) => s.name === 'http_server_request_duration_seconds_count');
    const codes = new Set(series.map((s) => s.labels.http_response_status_code));
    expect(codes.size).toBeLessThanOrEqual(20 + 4);
    expect(codes).toContain('5XX');
    // Nothing was dropped: every request is counted.
    expect(series.reduce((n, s) => n + s.value, 0)).toBe(400);
  });
});
