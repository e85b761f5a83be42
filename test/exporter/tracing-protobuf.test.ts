// OTLP/HTTP with protobuf, the default when no protocol is set (as the OpenTelemetry specification
// says, and the cheaper encoding): solida leaves the exporter to the SDK, whose request must reach the
// endpoint from OTEL_EXPORTER_OTLP_TRACES_ENDPOINT.
// The body is decoded with the official OTLP schema (test/fixtures/otlp-proto, protobufjs): the
// encoder that wrote it is solida's (otlp-trace-encoder.ts), so this is its end-to-end check.
import http from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExporter, type Exporter } from '../../src/exporter/index.ts';
import { close, listen, request } from './helpers.ts';
import { decodeTraceRequest, type DecodedKeyValue } from './otlp-proto.ts';

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
    const decoded = decodeTraceRequest(r!.body);
    const attr = (kvs: DecodedKeyValue[] | undefined, key: string) => kvs?.find((a) => a.key === key)?.value;
    const rs = decoded.resource_spans!;
    expect(rs.length).toBe(1);
    expect(attr(rs[0].resource!.attributes, 'service.name')).toEqual({ string_value: 'traced-proto' });
    const spans = rs[0].scope_spans!.flatMap((ss) => ss.spans!);
    expect(rs[0].scope_spans![0].scope!.name).toBe('solida-exporter');
    const span = spans.find((s) => s.trace_id === TRACE_ID)!;
    expect(span.parent_span_id).toBe(PARENT_ID);
    expect(span.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(span.name).toBe('GET /orders/:id');
    expect(span.kind).toBe(2); // SPAN_KIND_SERVER
    expect(span.flags).toBe(0x301); // sampled; the parent is known to be remote
    expect(span.status).toEqual({ code: 0 }); // UNSET: a 200
    expect(BigInt(span.end_time_unix_nano)).toBeGreaterThanOrEqual(BigInt(span.start_time_unix_nano));
    expect(attr(span.attributes, 'http.route')).toEqual({ string_value: '/orders/:id' });
    expect(attr(span.attributes, 'http.response.status_code')).toEqual({ int_value: '200' });
    expect(attr(span.attributes, 'url.path')).toEqual({ string_value: '/orders/9' });
    expect(attr(span.attributes, 'server.port')).toEqual({ int_value: String(port) });
  });
});
