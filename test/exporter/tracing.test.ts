// OpenTelemetry: spans exported over OTLP/HTTP to a local receiver, parented on the incoming W3C
// traceparent, and the same trace id as an exemplar in the OpenMetrics scrape. JSON here (chosen with
// OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, with the URL from the `otlp` option), so the receiver can read
// every field; tracing-protobuf.test.ts covers the default encoding.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExporter, type Exporter } from '../../src/exporter/index.ts';
import { close, listen, parseExposition, pick, request, settledScrape } from './helpers.ts';
import { binary } from '../support/binaries.ts';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  status?: { code?: number };
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

const received: Array<{ contentType: string; body: unknown }> = [];
let receiver: http.Server;
let receiverPort: number;
let exporter: Exporter;
let app: http.Server;
let port: number;

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

function attr(span: OtlpSpan, key: string): unknown {
  const v = span.attributes.find((a) => a.key === key)?.value;
  if (!v) return undefined;
  return v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : v.boolValue);
}

beforeAll(async () => {
  for (const k of Object.keys(process.env)) if (k.startsWith('OTEL_')) delete process.env[k];
  process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL = 'http/json';
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ contentType: String(req.headers['content-type']), body: JSON.parse(body) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  receiverPort = await listen(receiver);
  exporter = createExporter({
    service: 'traced',
    tracing: { otlp: { url: `http://127.0.0.1:${receiverPort}/v1/traces` } },
  });
  const ex = express();
  ex.use(exporter.middleware);
  ex.get('/metrics', exporter.metricsHandler);
  // A handler that looks up the active span after an await (what its own child spans would use).
  ex.get('/active', async (_req, res) => {
    await nextTurn();
    res.json({ traceId: trace.getActiveSpan()?.spanContext().traceId ?? null });
  });
  ex.get('/items/:id', (req, res) => {
    if (req.params.id === 'boom') throw new Error('kaput');
    res.json({ id: req.params.id });
  });
  ex.use(exporter.errorHandler);
  app = http.createServer(ex);
  port = await listen(app);
});

afterAll(async () => {
  await close(app);
  await close(receiver);
  delete process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL;
});

describe('tracing', () => {
  it('keeps the server span active inside handlers, across awaits', async () => {
    const other = '5bf92f3577b34da6a3ce929d0e0e4737';
    const res = await request(port, '/active', { headers: { traceparent: `00-${other}-${PARENT_ID}-01` } });
    expect(JSON.parse(res.body)).toEqual({ traceId: other });
  });

  it('exports one server span per request with semconv attributes and the propagated trace id', async () => {
    expect((await request(port, '/items/7?color=red', { headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` } })).status).toBe(200);
    expect((await request(port, '/items/boom')).status).toBe(500);

    // OpenMetrics scrape carries the trace id as an exemplar; the classic one does not.
    const om = await settledScrape(port, '/metrics', { headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
    expect(om.headers['content-type']).toContain('application/openmetrics-text');
    expect(om.body.trimEnd().endsWith('# EOF')).toBe(true);
    const withExemplar = parseExposition(om.body).filter((s) => s.exemplar?.includes(`trace_id="${TRACE_ID}"`));
    expect(withExemplar.length).toBe(1);
    expect(withExemplar[0].name).toBe('http_server_request_duration_seconds_bucket');
    expect(withExemplar[0].labels.http_route).toBe('/items/:id');
    const classic = await request(port, '/metrics', { headers: { accept: 'text/plain' } });
    expect(classic.headers['content-type']).toContain('text/plain; version=0.0.4');
    expect(classic.body).not.toContain('trace_id');
    // Counters keep their classic _total samples even after an OpenMetrics scrape renamed them.
    expect(pick(parseExposition(classic.body), 'process_cpu_seconds_total').length).toBe(1);
    expect(pick(parseExposition(om.body), 'process_cpu_seconds_total').length).toBe(1);
    expect(execFileSync(binary('promtool'), ['check', 'metrics'], { input: classic.body, encoding: 'utf8' })).toBe('');
    expect(pick(parseExposition(classic.body), 'http_server_request_duration_seconds_count', { http_route: '/items/:id' }).length).toBe(2);

    await exporter.shutdown(); // flushes the batch span processor
    expect(received.length).toBeGreaterThan(0);
    expect(received[0].contentType).toContain('application/json');
    const spans: OtlpSpan[] = [];
    let serviceName: unknown;
    for (const r of received) {
      for (const rs of (r.body as { resourceSpans: Array<{ resource: OtlpSpan; scopeSpans: Array<{ spans: OtlpSpan[] }> }> }).resourceSpans) {
        serviceName = attr(rs.resource, 'service.name');
        for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      }
    }
    expect(serviceName).toBe('traced');
    // Only our own spans: one per request (the scrapes are requests too).
    const ok = spans.find((s) => s.traceId === TRACE_ID);
    expect(ok).toBeDefined();
    expect(ok!.parentSpanId).toBe(PARENT_ID);
    expect(ok!.kind).toBe(2); // SPAN_KIND_SERVER
    expect(ok!.name).toBe('GET /items/:id');
    expect(attr(ok!, 'http.request.method')).toBe('GET');
    expect(attr(ok!, 'http.route')).toBe('/items/:id');
    expect(attr(ok!, 'http.response.status_code')).toBe(200);
    expect(attr(ok!, 'url.path')).toBe('/items/7');
    expect(attr(ok!, 'url.query')).toBe('color=red');
    expect(attr(ok!, 'url.scheme')).toBe('http');
    expect(attr(ok!, 'server.port')).toBe(port);
    const failed = spans.find((s) => attr(s, 'url.path') === '/items/boom');
    expect(failed).toBeDefined();
    expect(failed!.traceId).not.toBe(TRACE_ID);
    expect(failed!.parentSpanId ?? '').toBe('');
    expect(attr(failed!, 'error.type')).toBe('Error');
    expect(failed!.status?.code).toBe(2); // STATUS_CODE_ERROR
    expect(spans.filter((s) => attr(s, 'http.route') === '/items/:id').length).toBe(2);
  });
});
