// The request path: start a clock (and a span), and when the response closes turn the outcome into
// one histogram observation (+ span end, + EMF fold-in). Everything here is guarded: an internal
// failure disables instrumentation (one log line) and never reaches the request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Context, Span } from '@opentelemetry/api';
import { classifyOutcome } from './errorType.ts';
import { BoundedLabel, statusLabel } from './labels.ts';
import type { EmfAggregator } from './emf.ts';
import type { ExporterMetrics, SeriesLabels } from './metrics.ts';
import type { RequestTracing } from './tracing.ts';

export type RouteResolver = (req: IncomingMessage) => string | undefined;

export interface RecorderConfig {
  metrics: ExporterMetrics;
  methodLabel: (method: string | undefined) => string;
  routes: BoundedLabel;
  unmatchedRoute: string;
  errorTypes: BoundedLabel;
  tracing?: RequestTracing;
  emf?: EmfAggregator;
  log: (line: string) => void;
}

interface RequestState {
  rec: Recorder;
  req: IncomingMessage;
  start: number;
  resolveRoute: RouteResolver;
  span: Span | undefined;
  error: unknown;
}

const kState = Symbol('solida.exporter.request');
type Instrumented = ServerResponse & { [kState]?: RequestState };

/** Series label objects are reused: prom-client hashes them on every observe anyway. */
const MAX_CACHED_SERIES = 10_000;

export class Recorder {
  active = 0;
  broken = false;
  private readonly series = new Map<string, SeriesLabels>();

  constructor(private readonly cfg: RecorderConfig) {}

  /** Returns the OTel context the handler must run in (when tracing), or undefined. */
  begin(req: IncomingMessage, res: ServerResponse, resolveRoute: RouteResolver): Context | undefined {
    const r = res as Instrumented;
    if (r[kState] !== undefined) return undefined; // middleware + wrap on the same request: count once
    let span: Span | undefined;
    let ctx: Context | undefined;
    if (this.cfg.tracing) {
      const started = this.cfg.tracing.start(req, this.cfg.methodLabel(req.method));
      span = started.span;
      ctx = started.ctx;
    }
    r[kState] = { rec: this, req, start: performance.now(), resolveRoute, span, error: undefined };
    this.active++;
    res.on('close', onResponseClose);
    return ctx;
  }

  noteError(res: ServerResponse, err: unknown): void {
    const state = (res as Instrumented)[kState];
    if (state && state.error === undefined) state.error = err;
  }

  fail(err: unknown): void {
    if (this.broken) return;
    this.broken = true;
    try {
      this.cfg.log(`solida exporter: instrumentation disabled after an internal error: ${(err as Error)?.message ?? String(err)}`);
    } catch {
      // nothing left to report to
    }
  }

  finish(state: RequestState, res: ServerResponse): void {
    this.active--;
    if (this.broken) return;
    const { cfg } = this;
    const elapsedMs = performance.now() - state.start;
    const seconds = elapsedMs / 1000;
    const req = state.req;
    const finished = res.writableFinished;
    const socketTimeout = (req.socket as { timeout?: number } | null)?.timeout ?? 0;
    const outcome = classifyOutcome({
      finished,
      status: res.statusCode,
      error: state.error,
      timedOut: !finished && socketTimeout > 0 && elapsedMs + 1 >= socketTimeout,
    });
    const errorType = outcome === '' ? '' : cfg.errorTypes.label(outcome);
    const template = state.resolveRoute(req);
    const route = template === undefined ? cfg.unmatchedRoute : cfg.routes.label(template);
    const method = cfg.methodLabel(req.method);
    const status = res.headersSent ? statusLabel(res.statusCode) : '';
    const labels = this.labelsFor(method, route, status, errorType);
    const hist = cfg.metrics.duration;
    if (cfg.metrics.exemplars) {
      const exemplarLabels = state.span ? cfg.tracing?.exemplar(state.span) : undefined;
      (hist.observe as unknown as (o: object) => void)(
        exemplarLabels ? { labels, value: seconds, exemplarLabels } : { labels, value: seconds },
      );
    } else {
      hist.observe(labels, seconds);
    }
    if (state.span && cfg.tracing) {
      cfg.tracing.end(state.span, {
        method,
        route: template === undefined ? undefined : route,
        status: res.headersSent ? res.statusCode : undefined,
        errorType,
        error: state.error,
      });
    }
    cfg.emf?.record(route, errorType !== '', seconds);
  }

  private labelsFor(method: string, route: string, status: string, errorType: string): SeriesLabels {
    const key = `${method}\u0000${route}\u0000${status}\u0000${errorType}`;
    let labels = this.series.get(key);
    if (labels === undefined) {
      labels = { http_request_method: method, http_route: route, http_response_status_code: status, error_type: errorType };
      if (this.series.size < MAX_CACHED_SERIES) this.series.set(key, labels);
    }
    return labels;
  }
}

function onResponseClose(this: Instrumented): void {
  const state = this[kState];
  if (!state) return;
  this[kState] = undefined;
  try {
    state.rec.finish(state, this);
  } catch (err) {
    state.rec.fail(err);
  }
}
