// Child process for bench/exporter.ts: a local OpenTelemetry collector stand-in. It accepts OTLP/HTTP
// trace exports (JSON or protobuf) on POST /v1/traces and counts the spans in them, and how many of
// those are complete (the route template as name, http.route and the status code set), so a variant
// that drops or truncates spans cannot pass for a fast one. GET /stats returns the counts as JSON.
// Prints its port on stdout. Several apps can share it: an app whose endpoint is http://host:port/<tag>
// posts to /<tag>/v1/traces, and /stats also gives each tag's counts under `byTag`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const EXPECTED_NAME = process.argv[2] ?? 'GET /items/:id';

const stats = { exports: 0, spans: 0, complete: 0, bytes: 0, contentTypes: [] as string[], byTag: {} as Record<string, { spans: number; complete: number }> };

interface JsonSpan {
  name?: string;
  attributes?: Array<{ key: string; value: { stringValue?: string; intValue?: string | number } }>;
}

function countJson(body: Buffer): void {
  const doc = JSON.parse(body.toString('utf8')) as { resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: JsonSpan[] }> }> };
  for (const rs of doc.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        stats.spans++;
        const keys = new Set((s.attributes ?? []).map((a) => a.key));
        if (s.name === EXPECTED_NAME && keys.has('http.route') && keys.has('http.response.status_code')) stats.complete++;
      }
    }
  }
}

// Protobuf: walk just enough of ExportTraceServiceRequest (resource_spans = 1 → scope_spans = 2 →
// spans = 2 → name = 5, attributes = 9 → key = 1) to count spans and check the same fields.
function* fields(buf: Buffer, start: number, end: number): Generator<{ field: number; start: number; end: number }> {
  let i = start;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const b = buf[i++];
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
  };
  while (i < end) {
    const tag = varint();
    const wire = tag & 7;
    const field = tag >>> 3;
    if (wire === 0) varint();
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else if (wire === 2) {
      const len = varint();
      yield { field, start: i, end: i + len };
      i += len;
    } else throw new Error(`unexpected protobuf wire type ${wire}`);
  }
}

function countProtobuf(body: Buffer): void {
  for (const rs of fields(body, 0, body.length)) {
    if (rs.field !== 1) continue;
    for (const ss of fields(body, rs.start, rs.end)) {
      if (ss.field !== 2) continue;
      for (const span of fields(body, ss.start, ss.end)) {
        if (span.field !== 2) continue;
        stats.spans++;
        let name = '';
        const keys = new Set<string>();
        for (const f of fields(body, span.start, span.end)) {
          if (f.field === 5) name = body.toString('utf8', f.start, f.end);
          else if (f.field === 9) {
            for (const kv of fields(body, f.start, f.end)) if (kv.field === 1) keys.add(body.toString('utf8', kv.start, kv.end));
          }
        }
        if (name === EXPECTED_NAME && keys.has('http.route') && keys.has('http.response.status_code')) stats.complete++;
      }
    }
  }
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(stats));
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const type = String(req.headers['content-type'] ?? '');
    try {
      const path = /^(?:\/([\w.+-]+))?\/v1\/traces$/.exec(req.url ?? '');
      if (!path) throw new Error(`unexpected path ${req.url}`);
      const [spans0, complete0] = [stats.spans, stats.complete];
      if (type.includes('json')) countJson(body);
      else if (type.includes('protobuf')) countProtobuf(body);
      else throw new Error(`unexpected content type ${type}`);
      const tag = (stats.byTag[path[1] ?? ''] ??= { spans: 0, complete: 0 });
      tag.spans += stats.spans - spans0;
      tag.complete += stats.complete - complete0;
      stats.exports++;
      stats.bytes += body.length;
      if (!stats.contentTypes.includes(type)) stats.contentTypes.push(type);
      // An empty ExportTraceServiceResponse in the request's encoding.
      res.writeHead(200, { 'content-type': type.includes('json') ? 'application/json' : 'application/x-protobuf' });
      res.end(type.includes('json') ? '{}' : undefined);
    } catch (err) {
      res.writeHead(400);
      res.end((err as Error).message);
    }
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => process.exit(0));
