// The SDK's own OTLP/HTTP protobuf span exporter with one part swapped: the request body comes from
// solida's encoder (otlp-trace-encoder.ts: the same bytes, a fraction of the CPU). Everything else is
// the SDK's — endpoint, headers, compression, timeout and retries from the OTEL_EXPORTER_OTLP_*
// variables or the `otlp` option, the bounded queue of concurrent exports, the response parsing —
// so the exporter behaves exactly like the one it replaces.
import { createRequire } from 'node:module';
import type { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { tracing } from '@opentelemetry/sdk-node';
import { encodeTraceExportRequestInto, type BodyBuffer } from './otlp-trace-encoder.ts';

export type OtlpExporterConfig = ConstructorParameters<typeof OTLPTraceExporter>[0];

// Loaded only when tracing is on, like the SDK itself (see tracing.ts).
const require = createRequire(import.meta.url);

// The component type the SDK's protobuf exporter reports in its self-observability metrics.
const COMPONENT_TYPE = 'otlp_http_span_exporter';

// Request bodies kept for reuse: one per export in flight (the SDK's batch processor runs one at a
// time; forceFlush may add another), and no more than this many kept.
const MAX_FREE_BODIES = 4;

export function fastOtlpProtobufExporter(config: OtlpExporterConfig = {}): tracing.SpanExporter {
  const base = require('@opentelemetry/otlp-exporter-base') as typeof import('@opentelemetry/otlp-exporter-base');
  const http = require('@opentelemetry/otlp-exporter-base/node-http') as typeof import('@opentelemetry/otlp-exporter-base/node-http');
  const transformer = require('@opentelemetry/otlp-transformer') as typeof import('@opentelemetry/otlp-transformer');
  const free: BodyBuffer[] = [];
  // The body for the export under way: the delegate serializes synchronously inside export().
  let lease: BodyBuffer | undefined;
  const serializer = {
    serializeRequest: (spans: tracing.ReadableSpan[]) => encodeTraceExportRequestInto(spans, lease!),
    deserializeResponse: transformer.ProtobufTraceSerializer.deserializeResponse,
  };
  const delegate = http.createOtlpHttpExportDelegate(
    http.convertLegacyHttpOptions(config ?? {}, 'TRACES', 'v1/traces', { 'Content-Type': 'application/x-protobuf' }),
    serializer as typeof transformer.ProtobufTraceSerializer,
    COMPONENT_TYPE,
    transformer.TraceExporterMetricsHelper,
    config?.selfObsMeterProvider,
  );
  const exporter = new base.OTLPExporterBase(delegate);
  return {
    // The result callback comes once the request is over (sent, failed, or given up after retries):
    // only then may its body's memory hold another request.
    export(spans, resultCallback) {
      const body = free.pop() ?? { buffer: Buffer.allocUnsafe(1 << 16) };
      lease = body;
      try {
        exporter.export(spans, (result) => {
          if (free.length < MAX_FREE_BODIES) free.push(body);
          resultCallback(result);
        });
      } finally {
        lease = undefined;
      }
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush(),
  };
}
