// OpenTelemetry traces: one SERVER span per request, parented on the incoming W3C traceparent.
// The SDK (sdk-node) is configured by the standard OTEL_* variables; solida only fills in what the
// environment leaves unset (service name, no metrics/logs pipelines).
//
// Export is OTLP/HTTP protobuf unless OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL says otherwise: the
// specification's default, and the cheap one. For it solida swaps the SDK exporter's serializer for
// its own encoder (otlp-trace-encoder.ts: the same bytes, ~2-4x less CPU than the SDK's, ~10x less
// than its JSON) and gives the SDK pooled crypto-random span ids (span-ids.ts); everything else —
// sampling, the batch span processor, endpoint, headers, retries — is the SDK's, configured by the
// standard variables. bench/exporter.ts measures the whole (variants solida+tracing, solida+tracing-json).
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import {
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type { NodeSDK, tracing } from '@opentelemetry/sdk-node';
import type { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { fastOtlpProtobufExporter } from './otlp-protobuf-exporter.ts';
import { pooledRandomIds } from './span-ids.ts';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_QUERY,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';

export interface TracingOptions {
  /** Start an OpenTelemetry NodeSDK (default true). false: use the tracer provider the app registered. */
  sdk?: boolean;
  /**
   * OTLP/HTTP exporter settings (url, headers, ...); the OTEL_EXPORTER_OTLP_* variables apply otherwise.
   * Protobuf unless OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL is http/json.
   */
  otlp?: ConstructorParameters<typeof OTLPTraceExporter>[0];
}

export interface SpanEnd {
  method: string;
  route: string | undefined;
  status: number | undefined;
  errorType: string;
  error?: unknown;
}

export interface RequestTracing {
  start(req: IncomingMessage, method: string): { span: Span; ctx: Context };
  end(span: Span, info: SpanEnd): void;
  /** Exemplar labels for a sampled span, undefined otherwise. */
  exemplar(span: Span): Record<string, string> | undefined;
  shutdown(): Promise<void>;
}

/** Tracing is on when asked for, or (when unspecified) when an OTLP endpoint is configured. */
export function tracingWanted(option: boolean | TracingOptions | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (option === undefined) {
    if (env.OTEL_SDK_DISABLED === 'true') return false;
    return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  }
  return option !== false;
}

// The SDK and the OTLP exporter are hundreds of modules (~22 MiB of heap, ~0.45 s to load): loaded
// only when tracing is on. Merely loading them slowed an untraced express app by ~5% in
// bench/exporter.ts (and raised its p99), so an untraced service must not pay for them.
const require = createRequire(import.meta.url);
const loadSdk = () => require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
const loadOtlpJson = () =>
  require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
const loadOtlpProtobuf = () =>
  require('@opentelemetry/exporter-trace-otlp-proto') as typeof import('@opentelemetry/exporter-trace-otlp-proto');

/** The OTLP protocol the environment asks for, the specification's http/protobuf by default. */
export function otlpProtocol(env: NodeJS.ProcessEnv = process.env): string {
  return (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL || 'http/protobuf').trim();
}

export function startTracing(service: string, opts: TracingOptions, version: string): RequestTracing {
  let sdk: NodeSDK | undefined;
  if (opts.sdk !== false) {
    const { NodeSDK } = loadSdk();
    sdk = new NodeSDK(sdkConfiguration(service, opts));
    sdk.start();
  }
  const tracer = trace.getTracer('solida-exporter', version);
  return {
    start: (req, method) => startServerSpan(tracer, req, method),
    end: endServerSpan,
    exemplar(span) {
      const sc = span.spanContext();
      return sc.traceFlags & TraceFlags.SAMPLED ? { trace_id: sc.traceId, span_id: sc.spanId } : undefined;
    },
    shutdown: async () => {
      await sdk?.shutdown();
    },
  };
}

function sdkConfiguration(service: string, opts: TracingOptions): ConstructorParameters<typeof NodeSDK>[0] {
  const env = process.env;
  // Without `otlp` settings the SDK builds the exporter from the environment (OTEL_TRACES_EXPORTER,
  // the protocol, endpoint and headers): OTLP/HTTP protobuf unless told otherwise.
  // The SDK's own re-export: sdk-trace-base is not a direct dependency (one version set, see README).
  // For OTLP/HTTP protobuf (the default) the exporter is the SDK's with solida's span encoder
  // (otlp-protobuf-exporter.ts); any other choice is left to the SDK as configured.
  const protocol = otlpProtocol(env);
  const traceExporter: tracing.SpanExporter | undefined =
    protocol === 'http/protobuf' && (opts.otlp || otlpIsTheOnlyExporter(env))
      ? fastOtlpProtobufExporter(opts.otlp)
      : opts.otlp
        ? protocol === 'http/json'
          ? new (loadOtlpJson().OTLPTraceExporter)(opts.otlp)
          : new (loadOtlpProtobuf().OTLPTraceExporter)(opts.otlp)
        : undefined;
  return {
    serviceName: env.OTEL_SERVICE_NAME ? undefined : service,
    instrumentations: [],
    idGenerator: pooledRandomIds,
    ...(traceExporter ? { traceExporter } : {}),
    // sdk-node defaults metrics and logs to OTLP too; the exporter's metrics are Prometheus ones.
    ...(env.OTEL_METRICS_EXPORTER ? {} : { metricReaders: [] }),
    ...(env.OTEL_LOGS_EXPORTER ? {} : { logRecordProcessors: [] }),
  };
}

/** OTEL_TRACES_EXPORTER unset or `otlp` alone: what the SDK would answer with one OTLP exporter. */
export function otlpIsTheOnlyExporter(env: NodeJS.ProcessEnv = process.env): boolean {
  const names = [...new Set((env.OTEL_TRACES_EXPORTER ?? '').split(',').map((s) => s.trim()))].filter((s) => s !== '' && s !== 'null');
  return names.length === 0 || (names.length === 1 && names[0] === 'otlp');
}

function startServerSpan(tracer: Tracer, req: IncomingMessage, method: string): { span: Span; ctx: Context } {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const hostHeader = req.headers.host ?? '';
  const portSep = hostHeader.lastIndexOf(':');
  const hasPort = portSep > -1 && !hostHeader.endsWith(']');
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  // Literal keys (the semconv names, as in the ATTR_* constants used below): V8 builds such an object
  // from a boilerplate, where computed keys cost a runtime call each.
  const attributes: Record<string, string | number> = {
    'http.request.method': method,
    'url.path': q === -1 ? url : url.slice(0, q),
    'url.scheme': encrypted ? 'https' : 'http',
    'network.protocol.version': req.httpVersion,
  };
  if (method !== req.method && req.method) attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = req.method;
  if (q !== -1) attributes[ATTR_URL_QUERY] = url.slice(q + 1);
  if (hostHeader) {
    attributes[ATTR_SERVER_ADDRESS] = hasPort ? hostHeader.slice(0, portSep) : hostHeader;
    if (hasPort) attributes[ATTR_SERVER_PORT] = Number(hostHeader.slice(portSep + 1));
  }
  const ua = req.headers['user-agent'];
  if (ua) attributes[ATTR_USER_AGENT_ORIGINAL] = ua;
  if (req.socket.remoteAddress) attributes[ATTR_CLIENT_ADDRESS] = req.socket.remoteAddress;
  const span = tracer.startSpan(method, { kind: SpanKind.SERVER, attributes }, parent);
  return { span, ctx: trace.setSpan(parent, span) };
}

function endServerSpan(span: Span, info: SpanEnd): void {
  if (info.route !== undefined) {
    span.setAttribute(ATTR_HTTP_ROUTE, info.route);
    span.updateName(`${info.method} ${info.route}`);
  }
  if (info.status !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, info.status);
  if (info.errorType) {
    span.setAttribute(ATTR_ERROR_TYPE, info.errorType);
    // Server spans: 4xx is the client's problem (unset); 5xx and failures are errors.
    span.setStatus({ code: SpanStatusCode.ERROR });
    if (info.error instanceof Error) span.recordException(info.error);
  }
  span.end();
}

