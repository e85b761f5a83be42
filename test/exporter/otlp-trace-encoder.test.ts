// solida's OTLP protobuf span encoder against two references: the SDK's own serializer
// (@opentelemetry/otlp-transformer), byte for byte, and the official opentelemetry-proto schema
// (test/fixtures/otlp-proto, decoded with protobufjs), field by field against values read off the
// SDK's finished spans.
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type HrTime } from '@opentelemetry/api';
import { core, resources, tracing } from '@opentelemetry/sdk-node';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeTraceExportRequest, encodeTraceExportRequestInto } from '../../src/exporter/otlp-trace-encoder.ts';
import { fastOtlpProtobufExporter } from '../../src/exporter/otlp-protobuf-exporter.ts';
import { startTracing } from '../../src/exporter/tracing.ts';
import { decodeTraceRequest, type DecodedAnyValue, type DecodedKeyValue, type DecodedRequest } from './otlp-proto.ts';

type ReadableSpan = tracing.ReadableSpan;

const memory = new tracing.InMemorySpanExporter();
let provider: tracing.BasicTracerProvider;

beforeAll(() => {
  provider = new tracing.BasicTracerProvider({
    resource: resources.resourceFromAttributes({ 'service.name': 'encoder-test', 'service.version': '1.2.3', 'host.cpus': 2 }),
    spanProcessors: [new tracing.SimpleSpanProcessor(memory)],
  });
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(new core.W3CTraceContextPropagator());
});

afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  propagation.disable();
});

const LONG = 'x'.repeat(300);
const HUGE = 'y'.repeat(20_000); // a span over 16 KiB: its length needs three bytes

function request(url: string, headers: Record<string, string>): IncomingMessage {
  return { url, method: 'GET', httpVersion: '1.1', headers, socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage;
}

/** Spans of every shape the encoder handles, finished by the real SDK. */
function makeSpans(): ReadableSpan[] {
  memory.reset();
  const tracing0 = startTracing('encoder-test', { sdk: false }, '0.1.0');
  // The exporter's own server span: remote parent with tracestate, an exception, an error status.
  const traced = tracing0.start(
    request('/items/boom?x=1', {
      host: '127.0.0.1:8080',
      'user-agent': 'tëst-agent/1.0',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'vendor=abc,other=def',
    }),
    'GET',
  );
  tracing0.end(traced.span, { method: 'GET', route: '/items/:id', status: 500, errorType: 'Error', error: new Error('kaput ✗') });
  // A plain server span, no parent.
  const plain = tracing0.start(request('/items/7', { host: 'localhost' }), 'GET');
  tracing0.end(plain.span, { method: 'GET', route: '/items/:id', status: 200, errorType: '' });

  // Another scope, with a version and a schema URL; every attribute type; events; links.
  const other = provider.getTracer('other-scope', '9.9.9', { schemaUrl: 'https://opentelemetry.io/schemas/1.27.0' });
  const linked = other.startSpan('linked-target', { kind: SpanKind.PRODUCER });
  linked.end();
  const attrs: Attributes = {
    str: 'héllo wörld ✓ 日本',
    long: LONG,
    empty: '',
    bool: true,
    falsy: false,
    int: 42,
    zero: 0,
    neg: -7,
    negBig: -(2 ** 40),
    big: 2 ** 60,
    dbl: 3.25,
    negDbl: -0.5,
    nan: Number.NaN,
    inf: Number.POSITIVE_INFINITY,
    strs: ['a', 'b', 'ünï'],
    nums: [1, 2.5, -3],
    bools: [true, false],
    sparse: ['x', null, undefined, 'y'],
    none: [],
  };
  const rich = other.startSpan('rich ✓ span', {
    kind: SpanKind.CLIENT,
    attributes: attrs,
    links: [
      { context: linked.spanContext(), attributes: { 'link.attr': 'v', n: 1 } },
      { context: { ...traced.span.spanContext(), traceState: new core.TraceState('k=v'), isRemote: true } },
    ],
  });
  rich.addEvent('started', { step: 1, ok: true });
  rich.addEvent('plain event');
  rich.setStatus({ code: SpanStatusCode.OK });
  rich.end();
  const child = other.startSpan('child', { kind: SpanKind.CONSUMER }, trace.setSpan(context.active(), rich));
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'it broke: ✗' });
  child.end();
  // Tiny (its length fits one byte) and huge (three bytes) spans, around the two-byte guess.
  other.startSpan('t', { kind: SpanKind.INTERNAL }).end();
  const huge = other.startSpan(LONG, { attributes: { huge: HUGE } });
  huge.end();
  return memory.getFinishedSpans();
}

// --- what the official schema must decode to, read off the SDK's span objects ---

function nanos(t: HrTime): string {
  return (BigInt(t[0]) * 1_000_000_000n + BigInt(t[1])).toString();
}

// protobufjs reports what is on the wire: a field written as 0 or "" is present, one not written is
// absent; repeated fields come back as arrays, empty when absent.
function anyValue(v: unknown): DecodedAnyValue {
  if (typeof v === 'string') return { string_value: v };
  if (typeof v === 'boolean') return { bool_value: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { int_value: BigInt(v).toString() } : { double_value: v };
  if (Array.isArray(v)) return { array_value: { values: v.map(anyValue) } };
  if (v instanceof Uint8Array) return { bytes_value: Buffer.from(v).toString('hex') };
  if (v !== null && typeof v === 'object') return { kvlist_value: { values: keyValues(v as Attributes) } };
  return {}; // null, undefined: an empty AnyValue
}

function keyValues(attrs: Attributes | undefined): DecodedKeyValue[] {
  return Object.entries(attrs ?? {}).map(([key, value]) => ({ key, value: anyValue(value) }));
}

const flags = (traceFlags: number, remote: boolean | undefined) => (traceFlags & 0xff) | 0x100 | (remote ? 0x200 : 0);
const optional = <T>(v: T | undefined | null | '') => (v ? v : undefined);

function expected(spans: ReadableSpan[]): DecodedRequest {
  const byResource = new Map<unknown, Map<unknown, ReadableSpan[]>>();
  for (const s of spans) {
    if (!byResource.has(s.resource)) byResource.set(s.resource, new Map());
    const byScope = byResource.get(s.resource)!;
    if (!byScope.has(s.instrumentationScope)) byScope.set(s.instrumentationScope, []);
    byScope.get(s.instrumentationScope)!.push(s);
  }
  return {
    resource_spans: [...byResource].map(([, byScope]) => {
      const first = [...byScope.values()][0][0];
      return {
        resource: { attributes: keyValues(first.resource.attributes), dropped_attributes_count: 0, entity_refs: [] },
        schema_url: optional(first.resource.schemaUrl),
        scope_spans: [...byScope.values()].map((list) => {
          const scope = list[0].instrumentationScope;
          return {
            scope: { name: scope.name, version: optional(scope.version), attributes: [] },
            schema_url: optional(scope.schemaUrl),
            spans: list.map((s) => {
              const sc = s.spanContext();
              return {
                trace_id: sc.traceId,
                span_id: sc.spanId,
                trace_state: optional(sc.traceState?.serialize()),
                parent_span_id: optional(s.parentSpanContext?.spanId),
                flags: flags(sc.traceFlags, s.parentSpanContext?.isRemote),
                name: s.name,
                kind: s.kind + 1,
                start_time_unix_nano: nanos(s.startTime),
                end_time_unix_nano: nanos(s.endTime),
                attributes: keyValues(s.attributes),
                dropped_attributes_count: s.droppedAttributesCount,
                events: s.events.map((e) => ({
                  time_unix_nano: nanos(e.time),
                  name: e.name,
                  attributes: keyValues(e.attributes),
                  dropped_attributes_count: e.droppedAttributesCount ?? 0,
                })),
                dropped_events_count: s.droppedEventsCount,
                links: s.links.map((l) => ({
                  trace_id: l.context.traceId,
                  span_id: l.context.spanId,
                  trace_state: optional(l.context.traceState?.serialize()),
                  attributes: keyValues(l.attributes),
                  dropped_attributes_count: l.droppedAttributesCount ?? 0,
                  flags: flags(l.context.traceFlags, l.context.isRemote),
                })),
                dropped_links_count: s.droppedLinksCount,
                status: { code: s.status.code, message: optional(s.status.message) },
              };
            }),
          };
        }),
      };
    }),
  };
}

describe('OTLP protobuf span encoder', () => {
  it('writes the same bytes as the SDK serializer, for spans of every shape', () => {
    const spans = makeSpans();
    expect(spans.map((s) => s.name.slice(0, 16))).toEqual(['GET /items/:id', 'GET /items/:id', 'linked-target', 'rich ✓ span', 'child', 't', 'x'.repeat(16)]);
    const ours = Buffer.from(encodeTraceExportRequest(spans));
    const sdk = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
    expect(ours.length).toBe(sdk.length);
    expect(ours.equals(sdk)).toBe(true);
  });

  it('decodes with the official schema to every field of every span', () => {
    const spans = makeSpans();
    const decoded = decodeTraceRequest(encodeTraceExportRequest(spans));
    expect(decoded).toEqual(expected(spans));
    // Spot checks that the expectation itself reads what the test means.
    const all = decoded.resource_spans![0].scope_spans!.flatMap((s) => s.spans!);
    const server = all.find((s) => s.trace_id === '0af7651916cd43dd8448eb211c80319c')!;
    expect(server.parent_span_id).toBe('b7ad6b7169203331');
    expect(server.trace_state).toBe('vendor=abc,other=def');
    expect(server.flags).toBe(0x301); // sampled, parent known to be remote
    expect(server.name).toBe('GET /items/:id');
    expect(server.kind).toBe(2); // SPAN_KIND_SERVER
    expect(server.status).toEqual({ code: 2 });
    expect(server.events![0].name).toBe('exception');
    expect(server.attributes!.find((a) => a.key === 'http.response.status_code')!.value).toEqual({ int_value: '500' });
    expect(server.attributes!.find((a) => a.key === 'user_agent.original')!.value).toEqual({ string_value: 'tëst-agent/1.0' });
    const rich = all.find((s) => s.name === 'rich ✓ span')!;
    expect(rich.attributes!.find((a) => a.key === 'negBig')!.value).toEqual({ int_value: String(-(2 ** 40)) });
    expect(rich.attributes!.find((a) => a.key === 'big')!.value).toEqual({ int_value: (2n ** 60n).toString() });
    expect(Number(server.end_time_unix_nano) - Number(server.start_time_unix_nano)).toBeGreaterThanOrEqual(0);
  });

  it('encodes values the SDK never produces (bytes, maps) and several resources the same way too', () => {
    const spans = makeSpans();
    const base = spans.find((s) => s.name === 'rich ✓ span')!;
    const other = resources.resourceFromAttributes({ 'service.name': 'second' });
    const odd = Object.assign(Object.create(Object.getPrototypeOf(base)) as object, base, {
      attributes: { raw: new Uint8Array([0, 1, 254, 255]), map: { a: 'b', n: 2, inner: { deep: true } } },
      resource: other,
    }) as unknown as ReadableSpan;
    const batch = [spans[0], odd, spans[1]];
    const ours = encodeTraceExportRequest(batch);
    expect(Buffer.from(ours).equals(Buffer.from(ProtobufTraceSerializer.serializeRequest(batch)!))).toBe(true);
    const decoded = decodeTraceRequest(ours);
    expect(decoded.resource_spans!.length).toBe(2);
    expect(decoded).toEqual(expected(batch));
  });

  it('a batch of 600 server spans (buffer growth, three-byte lengths) round-trips', () => {
    const t = startTracing('encoder-test', { sdk: false }, '0.1.0');
    memory.reset();
    for (let i = 0; i < 600; i++) {
      const s = t.start(request(`/items/${i}`, { host: '127.0.0.1:8080' }), 'GET');
      t.end(s.span, { method: 'GET', route: '/items/:id', status: 200, errorType: '' });
    }
    const spans = memory.getFinishedSpans();
    const ours = encodeTraceExportRequest(spans);
    expect(ours.length).toBeGreaterThan(1 << 16);
    expect(Buffer.from(ours).equals(Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!))).toBe(true);
    expect(decodeTraceRequest(ours)).toEqual(expected(spans));
  });

  it('into a reused body: the same bytes, in the same memory', () => {
    const spans = makeSpans();
    const body = { buffer: Buffer.allocUnsafe(16) }; // too small: grows
    const first = encodeTraceExportRequestInto(spans, body);
    expect(Buffer.from(first).equals(Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!))).toBe(true);
    const second = encodeTraceExportRequestInto(spans.slice(0, 2), body);
    expect(second.buffer).toBe(first.buffer);
    expect(decodeTraceRequest(second)).toEqual(expected(spans.slice(0, 2)));
  });

  it('the exporter reuses a body only after its export finished (two exports in flight stay intact)', async () => {
    const bodies: Buffer[] = [];
    const held: Array<() => void> = [];
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks));
        // The first response waits for the second request: both bodies are in flight together.
        const reply = () => res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
        if (held.length >= 2) return reply();
        held.push(reply);
        if (held.length === 2) held.forEach((r) => r());
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`;
      const exporter = fastOtlpProtobufExporter({ url });
      const spans = makeSpans();
      const a = spans.slice(0, 3);
      const b = spans.slice(3);
      const run = (batch: ReadableSpan[]) => new Promise<number>((resolve) => exporter.export(batch, (r) => resolve(r.code)));
      const results = await Promise.all([run(a), run(b)]);
      // After the first two finished: this one may reuse their memory.
      results.push(await run(a));
      expect(results).toEqual([0, 0, 0]); // ExportResultCode.SUCCESS
      expect(bodies.length).toBe(3);
      const decoded = bodies.map((x) => decodeTraceRequest(x));
      expect(decoded.slice(0, 2)).toContainEqual(expected(a));
      expect(decoded.slice(0, 2)).toContainEqual(expected(b));
      expect(decoded[2]).toEqual(expected(a)); // the third request, sent after the first two finished
      await exporter.shutdown();
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });
});
