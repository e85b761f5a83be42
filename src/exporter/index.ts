// solida/exporter: the four golden signals of a Node HTTP service, named exactly as solida's
// golden-signal SLO presets query them.
//
//   const exporter = createExporter({ service: 'inventory', slos });
//   app.use(exporter.middleware);            // express 4/5, first middleware
//   ... routes ...
//   app.get('/metrics', exporter.metricsHandler);   // after the routes, or exporter.serve({ port })
//   app.use(exporter.errorHandler);          // optional, after routes: exception class as error_type
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context } from '@opentelemetry/api';
import type { Slo } from '../slo/model.ts';
import { SolidaError } from '../util/errors.ts';
import { histogramBuckets, sloLatencyThresholds } from './buckets.ts';
import { EmfAggregator } from './emf.ts';
import { cloudWatchLogsSink, stdoutSink, type CloudWatchLogsSinkOptions, type EmfSink } from './emf-sink.ts';
import { ensureRouteCapture, expressRouteTemplate } from './express-route.ts';
import { BoundedLabel, BoundedStatus, KNOWN_METHODS, methodLabeler } from './labels.ts';
import { createMetrics, type AnyRegistry } from './metrics.ts';
import { Recorder, type RouteResolver } from './recorder.ts';
import { compileRouteTable, pathnameOf } from './route-table.ts';
import { subscribeToHttpServer } from './request-state.ts';
import { createMetricsHandler, serveMetrics, type MetricsHandler, type MetricsServer, type ServeOptions } from './scrape.ts';
import { startTracing, tracingWanted, type RequestTracing, type TracingOptions } from './tracing.ts';

export interface EmfOptions {
  /** CloudWatch namespace. Default "Solida/Services". */
  namespace?: string;
  /** 'stdout' (default), CloudWatch Logs, or any sink. */
  sink?: 'stdout' | { cloudWatchLogs: CloudWatchLogsSinkOptions } | EmfSink;
  /** Aggregation period. Default 60 s (CloudWatch standard resolution). */
  flushIntervalSeconds?: number;
  /** Extra dimensions on every document, e.g. { Environment: 'prod' }. */
  dimensions?: Record<string, string>;
}

export interface ExporterOptions {
  /** Service name; Prometheus' job label should carry the same name (SLO presets select {job="<service>"}). */
  service: string;
  /** The service's SLOs: latency thresholds become histogram bucket boundaries. */
  slos?: readonly Slo[];
  /** More bucket boundaries (seconds). */
  extraBuckets?: readonly number[];
  /** Route templates for wrap() (express reports its own), express 5 syntax: /items/:id. */
  routes?: readonly string[];
  /** Custom route resolver; takes precedence over express and `routes`. Return undefined when unmatched. */
  routeOf?: (req: IncomingMessage) => string | undefined;
  /** http_route value for requests no route matched. Default "UNMATCHED". */
  unmatchedRoute?: string;
  /** Cap on distinct http_route values. Default 200. */
  maxRoutes?: number;
  /** http_route value past the cap. Default "OTHER". */
  overflowRoute?: string;
  /** Cap on distinct status codes; later new codes are labelled by class (5XX). Default 50. */
  maxStatusCodes?: number;
  /** Methods kept as-is; others become "_OTHER". Default: the OTel semconv list. */
  knownMethods?: readonly string[];
  /** Require `Authorization: Bearer <token>` on /metrics. */
  bearerToken?: string;
  /** prom-client default process metrics (CPU, memory, GC, event-loop delay...). Default true. */
  processMetrics?: boolean;
  /** OpenTelemetry traces. Default: on when OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is set. */
  tracing?: boolean | TracingOptions;
  /** CloudWatch Embedded Metric Format output. Default off. */
  emf?: false | EmfOptions;
  /** Where the exporter's single degradation line goes. Default stderr. */
  log?: (line: string) => void;
}

type Next = (err?: unknown) => void;

export interface Exporter {
  /** Express (4 or 5) middleware; mount it first. */
  middleware: (req: IncomingMessage, res: ServerResponse, next: Next) => void;
  /** Express error middleware (mount after routes) recording the exception class as error_type. */
  errorHandler: (err: unknown, req: IncomingMessage, res: ServerResponse, next: Next) => void;
  /** Instruments a plain node:http request listener. */
  wrap<H extends (req: IncomingMessage, res: ServerResponse) => unknown>(handler: H): H;
  /** Serves the registry (node:http or express handler). */
  metricsHandler: MetricsHandler;
  /** Serves /metrics on its own port. */
  serve(opts?: ServeOptions): Promise<MetricsServer>;
  registry: AnyRegistry;
  /** Flushes EMF and traces, stops timers and servers started by serve(). */
  shutdown(): Promise<void>;
}

const MAX_ERROR_TYPES = 20;

export function createExporter(options: ExporterOptions): Exporter {
  if (!options || typeof options.service !== 'string' || options.service.trim() === '') {
    throw new SolidaError('exporter: a service name is required', 2, [
      { path: 'service', message: 'missing service name', fix: "createExporter({ service: 'inventory' }) with the Prometheus job name" },
    ]);
  }
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const service = options.service;
  const routeTable = options.routes && options.routes.length > 0 ? compileRouteTable(options.routes) : undefined;
  let tracing: RequestTracing | undefined;
  if (tracingWanted(options.tracing)) {
    try {
      tracing = startTracing(service, typeof options.tracing === 'object' ? options.tracing : {}, '0.1.0');
    } catch (err) {
      log(`solida exporter: tracing disabled: ${(err as Error).message}`);
    }
  }
  let recorder: Recorder | undefined;
  const metrics = createMetrics({
    buckets: histogramBuckets(service, options.slos ?? [], options.extraBuckets ?? []),
    exemplars: tracing !== undefined,
    processMetrics: options.processMetrics !== false,
    activeRequests: () => recorder?.active ?? 0,
  });

  const emfOpts = options.emf || undefined;
  const emf = emfOpts
    ? new EmfAggregator({
        namespace: emfOpts.namespace ?? 'Solida/Services',
        service,
        thresholds: [...new Set(sloLatencyThresholds(service, options.slos ?? []))].sort((a, b) => a - b),
        dimensions: emfOpts.dimensions,
      })
    : undefined;
  const emfSink = emfOpts ? resolveSink(emfOpts.sink) : undefined;

  // Before the first request arrives, so even the first request of a connection takes the fast path.
  subscribeToHttpServer();
  const rec = new Recorder({
    metrics,
    methodLabel: methodLabeler(options.knownMethods ?? KNOWN_METHODS),
    routes: new BoundedLabel(options.maxRoutes ?? 200, options.overflowRoute ?? 'OTHER'),
    statuses: new BoundedStatus(options.maxStatusCodes ?? 50),
    unmatchedRoute: options.unmatchedRoute ?? 'UNMATCHED',
    errorTypes: new BoundedLabel(MAX_ERROR_TYPES, '_OTHER'),
    tracing,
    emf,
    log,
  });
  recorder = rec;

  let emfFailed = false;
  const flushEmf = async () => {
    if (!emf || !emfSink) return;
    try {
      await emfSink.write(emf.drain());
    } catch (err) {
      if (!emfFailed) log(`solida exporter: EMF output failed (further failures are not logged): ${(err as Error).message}`);
      emfFailed = true;
    }
  };
  const timer = emfOpts ? setInterval(() => void flushEmf(), (emfOpts.flushIntervalSeconds ?? 60) * 1000) : undefined;
  timer?.unref();

  const userRouteOf = options.routeOf;
  let lastProto: object | null = null;
  const expressRoute: RouteResolver = userRouteOf ?? expressRouteTemplate;
  // wrap() around an express app that also has the middleware: express's matched route wins.
  const httpRoute: RouteResolver =
    userRouteOf ??
    ((req, state) =>
      state.route !== undefined ? expressRouteTemplate(req, state) : routeTable ? routeTable(pathnameOf(req.url)) : undefined);

  const middleware: Exporter['middleware'] = (req, res, next) => {
    if (rec.broken) return next();
    let ctx;
    try {
      const proto = Object.getPrototypeOf(req);
      if (proto !== lastProto) {
        ensureRouteCapture(req);
        lastProto = proto;
      }
      ctx = rec.begin(req, res, expressRoute);
    } catch (err) {
      rec.fail(err);
    }
    if (ctx) context.with(ctx, next);
    else next();
  };

  const errorHandler: Exporter['errorHandler'] = (err, req, _res, next) => {
    try {
      rec.noteError(req, err);
    } catch (e) {
      rec.fail(e);
    }
    next(err);
  };

  const wrap = <H extends (req: IncomingMessage, res: ServerResponse) => unknown>(handler: H): H => {
    // An express app (app.request is its request prototype): capture its matched routes, so
    // http.createServer(exporter.wrap(app)) labels by route template with no middleware at all.
    const appRequest = (handler as { request?: unknown }).request;
    if (appRequest !== null && typeof appRequest === 'object') {
      try {
        ensureRouteCapture(appRequest);
      } catch (err) {
        rec.fail(err);
      }
    }
    const wrapped = function (this: unknown, req: IncomingMessage, res: ServerResponse): unknown {
      let ctx;
      if (!rec.broken) {
        try {
          ctx = rec.begin(req, res, httpRoute);
        } catch (err) {
          rec.fail(err);
        }
      }
      const run = () => {
        try {
          const out = handler.call(this, req, res);
          if (out && typeof (out as PromiseLike<unknown>).then === 'function') {
            // Hand back the derived promise: it rejects exactly when the handler's does, so a caller
            // that handled the rejection still does, and an unhandled one stays unhandled.
            return (out as PromiseLike<unknown>).then(undefined, (err: unknown) => {
              rec.noteError(req, err);
              throw err;
            });
          }
          return out;
        } catch (err) {
          rec.noteError(req, err);
          throw err;
        }
      };
      return ctx ? context.with(ctx, run) : run();
    };
    return wrapped as unknown as H;
  };

  const metricsHandler = createMetricsHandler(metrics.registry, {
    bearerToken: options.bearerToken,
    onError: (err) => log(`solida exporter: metrics collection failed: ${(err as Error)?.message ?? String(err)}`),
  });
  const servers: MetricsServer[] = [];

  return {
    middleware,
    errorHandler,
    wrap,
    metricsHandler,
    registry: metrics.registry,
    async serve(opts) {
      const s = await serveMetrics(metricsHandler, opts);
      servers.push(s);
      return s;
    },
    async shutdown() {
      if (timer) clearInterval(timer);
      metrics.newSeries.releaseAll();
      await flushEmf();
      await Promise.all(servers.splice(0).map((s) => s.close()));
      await tracing?.shutdown();
    },
  };
}

function resolveSink(sink: EmfOptions['sink']): EmfSink {
  if (sink === undefined || sink === 'stdout') return stdoutSink();
  if ('cloudWatchLogs' in sink) return cloudWatchLogsSink(sink.cloudWatchLogs);
  return sink;
}

export { SEMCONV_HTTP_SERVER_BUCKETS, histogramBuckets, leLabel, sloLatencyThresholds } from './buckets.ts';
export { ACTIVE_REQUESTS_METRIC, DURATION_METRIC, EVENT_LOOP_UTILIZATION_METRIC, LABEL_NAMES } from './metrics.ts';
export { EMF_METRICS, EmfAggregator, representativeLatencies, type EmfConfig, type EmfDocument } from './emf.ts';
export { PUT_LOG_EVENTS_LIMITS, batchLogEvents, cloudWatchLogsSink, stdoutSink, type CloudWatchLogsSinkOptions, type EmfSink } from './emf-sink.ts';
export { KNOWN_METHODS, OTHER_METHOD } from './labels.ts';
export { classifyOutcome, exceptionType } from './error-type.ts';
export type { MetricsHandler, MetricsServer, ServeOptions } from './scrape.ts';
export type { TracingOptions } from './tracing.ts';
