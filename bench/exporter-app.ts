// Child process for bench/exporter.ts: the same trivial express app under one instrumentation
// variant. Writes the listening port to file descriptor 3 (stdout is the EMF variant's output).
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const variant = process.argv[2] ?? 'bare';
const require = createRequire(import.meta.url);

async function otelFirst(): Promise<void> {
  // Auto-instrumentation must patch http/express before they are loaded; spans go to a no-op
  // exporter through the usual batch processor, so the network is out of the measurement.
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const { getNodeAutoInstrumentations } = await import('@opentelemetry/auto-instrumentations-node');
  const sdk = new NodeSDK({
    serviceName: 'bench',
    traceExporter: { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} },
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [getNodeAutoInstrumentations({ '@opentelemetry/instrumentation-fs': { enabled: false } })],
  });
  sdk.start();
}

if (variant === 'otel') await otelFirst();
// BENCH_EXPRESS=express4 measures express 4 instead.
const express = require(process.env.BENCH_EXPRESS ?? 'express') as typeof import('express');
const app = express();
let metricsRoute: import('express').RequestHandler | undefined;
let wrapApp: (<H extends (req: IncomingMessage, res: ServerResponse) => unknown>(h: H) => H) | undefined;

if (variant.startsWith('solida')) {
  // solida-noproc: without prom-client's default process metrics (diagnosis variant).
  // solida-before: another copy of the exporter (BENCH_BEFORE_MODULE, e.g. an older revision) for before/after runs.
  const module = variant.startsWith('solida-before') ? process.env.BENCH_BEFORE_MODULE! : '../src/exporter/index.ts';
  const { createExporter } = (await import(module)) as typeof import('../src/exporter/index.ts');
  // solida+emf: CloudWatch EMF to stdout (the bench points stdout at a file and checks it), flushed
  // every second instead of every 60 s so that a run of a few seconds writes documents too.
  // solida-emf: EMF aggregation only (documents dropped by a no-op sink).
  const emf = variant === 'solida+emf' ? { flushIntervalSeconds: 1 } : variant === 'solida-emf' ? { sink: { write: async () => {} } } : false;
  // solida+tracing*: spans over OTLP/HTTP to the endpoint in OTEL_EXPORTER_OTLP_ENDPOINT (the bench's
  // collector stand-in); the protocol comes from OTEL_EXPORTER_OTLP_PROTOCOL (protobuf unless set), as
  // for any user.
  const tracing = variant.startsWith('solida+tracing') || variant === 'solida-before+tracing';
  // Diagnosis variants (where tracing's cost goes; not for the goal lines):
  // solida+tracing-noctx: the span is not made the active one (no AsyncLocalStorage entered per request).
  if (variant === 'solida+tracing-noctx') {
    const { context } = await import('@opentelemetry/api');
    context.with = ((_ctx: unknown, fn: (...a: unknown[]) => unknown, thisArg?: unknown, ...args: unknown[]) => fn.call(thisArg, ...args)) as typeof context.with;
  }
  // solida+tracing-nosdk: OTEL_TRACES_EXPORTER=none, so the SDK is not started: the API's non-recording
  // spans, propagation and the active context, without span objects or export.
  if (variant === 'solida+tracing-nosdk') process.env.OTEL_TRACES_EXPORTER = 'none';
  // solida+tracing-b64: batches of at most 64 spans and 50 ms (span objects die young).
  if (variant === 'solida+tracing-b64') Object.assign(process.env, { OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '64', OTEL_BSP_SCHEDULE_DELAY: '50' });
  const exporter = createExporter({ service: 'bench', tracing, processMetrics: variant !== 'solida-noproc', emf });
  // On SIGTERM, flush spans and EMF before exiting: the bench then counts what arrived.
  process.on('SIGTERM', () => {
    void exporter.shutdown().finally(() => process.exit(0));
  });
  // solida-wrap: no middleware; the server handler is exporter.wrap(app).
  if (variant === 'solida-wrap') wrapApp = exporter.wrap;
  else app.use(exporter.middleware);
  // /metrics is mounted after the business routes (below): ahead of them its path match would be
  // paid by every request, and that is routing cost, not instrumentation.
  metricsRoute = exporter.metricsHandler;
} else if (variant === 'als') {
  // What keeping the active OpenTelemetry context across a request costs: the SDK's context manager
  // is an AsyncLocalStorage, entered once per request.
  const { AsyncLocalStorage } = await import('node:async_hooks');
  // A store per request, as OpenTelemetry's contexts are: node 20's run() returns early when the
  // store is the one already active, so one shared object measured almost nothing.
  const als = new AsyncLocalStorage<object>();
  app.use((_req, _res, next) => als.run({}, next));
} else if (variant === 'dc') {
  // Diagnosis: what subscribing to node's http.server diagnostics channels costs by itself.
  const dc = await import('node:diagnostics_channel');
  dc.subscribe('http.server.request.start', () => {});
  dc.subscribe('http.server.response.finish', () => {});
} else if (variant === 'capture') {
  // Diagnosis: express with only solida's route-capturing accessor on its request prototype
  // (src/exporter/express-route.ts), installed on the first request as the middleware does.
  const { ensureRouteCapture } = await import('../src/exporter/express-route.ts');
  let done = false;
  app.use((req, _res, next) => {
    if (!done) done = ensureRouteCapture(req) || true;
    next();
  });
} else if (variant === 'noop') {
  // The noise floor: an empty middleware costs (almost) nothing.
  app.use((_req, _res, next) => next());
} else if (variant === 'floor') {
  // What a conventional middleware pays before doing any work: a clock read, a 'close' listener and
  // one property on the request. On express's per-request hidden classes the last two are the
  // expensive part; solida avoids both (see src/exporter/request-state.ts).
  const kStart = Symbol('start');
  const onClose = () => {};
  app.use((req, res, next) => {
    (req as unknown as Record<symbol, number>)[kStart] = performance.now();
    res.on('close', onClose);
    next();
  });
} else if (variant === 'prom-bundle') {
  const promBundle = require('express-prom-bundle') as typeof import('express-prom-bundle');
  app.use(promBundle({ includeMethod: true, includePath: true, includeStatusCode: true }));
}

app.get('/items/:id', (req, res) => {
  res.json({ id: req.params.id });
});

if (metricsRoute) app.get('/metrics', metricsRoute);
// --cpu-prof writes its profile on a normal exit only.
process.on('SIGINT', () => process.exit(0));
const server = http.createServer(wrapApp ? wrapApp(app) : app).listen(0, '127.0.0.1', () => {
  writeSync(3, `${(server.address() as AddressInfo).port}\n`);
});
