// The SDK's own OTLP/HTTP protobuf span exporter with one part swapped: the request body comes from
// solida's encoder (otlp-trace-encoder.ts: the same bytes, a fraction of the CPU). Everything else is
// the SDK's — endpoint, headers, compression, timeout and retries from the OTEL_EXPORTER_OTLP_*
// variables or the `otlp` option, the bounded queue of concurrent exports, the response parsing —
// so the exporter behaves exactly like the one it replaces.
import { createRequire } from 'node:module';
import type { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { tracing } from '@opentelemetry/sdk-node';
import { encodeTraceExportRequest } from './otlp-trace-encoder.ts';

export type OtlpExporterConfig = ConstructorParameters<typeof OTLPTraceExporter>[0];

// Loaded only when tracing is on, like the SDK itself (see tracing.ts).
const require = createRequire(import.meta.url);

// The component type the SDK's protobuf exporter reports in its self-observability metrics.
const COMPONENT_TYPE = 'otlp_http_span_exporter';

export function fastOtlpProtobufExporter(config: OtlpExporterConfig = {}): tracing.SpanExporter {
  const base = require('@opentelemetry/otlp-exporter-base') as typeof import('@opentelemetry/otlp-exporter-base');
  const http = require('@opentelemetry/otlp-exporter-base/node-http') as typeof import('@opentelemetry/otlp-exporter-base/node-http');
  const transformer = require('@opentelemetry/otlp-transformer') as typeof import('@opentelemetry/otlp-transformer');
  const serializer = {
    serializeRequest: encodeTraceExportRequest,
    deserializeResponse: transformer.ProtobufTraceSerializer.deserializeResponse,
  };
  const delegate = http.createOtlpHttpExportDelegate(
    http.convertLegacyHttpOptions(config ?? {}, 'TRACES', 'v1/traces', { 'Content-Type': 'application/x-protobuf' }),
    serializer as typeof transformer.ProtobufTraceSerializer,
    COMPONENT_TYPE,
    transformer.TraceExporterMetricsHelper,
    config?.selfObsMeterProvider,
  );
  return new base.OTLPExporterBase(delegate) as unknown as tracing.SpanExporter;
}
