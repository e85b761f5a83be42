// OTLP/HTTP with protobuf, the default when no protocol is set (as the OpenTelemetry specification
// says, and the cheaper encoding): solida leaves the exporter to the SDK, whose request must reach the
// endpoint from OTEL_EXPORTER_OTLP_TRACES_ENDPOINT.
// No protobuf decoder ships with the OTel packages installed here, so the body is checked for the raw
// bytes protobuf stores verbatim: the 16-byte trace id, the 8-byte parent span id, and strings.
import http from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExporter, type Exporter } from '../../src/exporter/index.ts';
import { close, listen, request } from './helpers.ts';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const PARENT_ID = 'b7ad6b7169203331';

const received: Array<{ url: string; contentType: string; body: Buffer }> = [];
let receiver: http.Server;
let exporter: Exporter;
let app: http.Server;
let port: number;
const savedEnv = { ...process.env };

beforeAll(async () => {
  for (const k of Object.keys(process.env)) if (k.startsWith('OTEL_')) delete process.env[k];
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: req.url ?? '', contentType: String(req.headers['content-type']), body: Buffer.concat(chunks) });
      // An empty ExportTraceServiceResponse is an empty protobuf message.
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  const receiverPort = await listen(receiver);
  process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = `http://127.0.0.1:${receiverPort}/v1/traces`;
  exporter = createExporter({ service: 'traced-proto', processMetrics: false });
  const ex = express();
  ex.use(exporter.middleware);
  ex.get('/orders/:id', (req, res) => void res.json({ id: req.params.id }));
  app = http.createServer(ex);
  port = await listen(app);
});

afterAll(async () => {
  await close(app);
  await close(receiver);
  for (const k of Object.keys(process.env)) if (k.startsWith('OTEL_')) delete process.env[k];
  Object.assign(process.env, savedEnv);
});

describe('tracing over OTLP/HTTP protobuf', () => {
  it('sends the server span, parented on the incoming traceparent, as a protobuf request', async () => {
    const res = await request(port, '/orders/9', { headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` } });
    expect(res.status).toBe(200);
    await exporter.shutdown(); // flushes the batch span processor

    expect(received.length).toBeGreaterThan(0);
    const r = received.find((x) => x.body.includes(Buffer.from(TRACE_ID, 'hex')));
    expect(r).toBeDefined();
    expect(r!.url).toBe('/v1/traces');
    expect(r!.contentType).toBe('application/x-protobuf');
    // Binary, not JSON: the ids appear as raw bytes, never as hex text.
    expect(r!.body.includes(Buffer.from(TRACE_ID))).toBe(false);
    expect(r!.body.includes(Buffer.from(PARENT_ID, 'hex'))).toBe(true);
    for (const text of ['traced-proto', 'GET /orders/:id', 'http.route', '/orders/:id', 'http.response.status_code']) {
      expect(r!.body.includes(Buffer.from(text))).toBe(true);
    }
  });
});
