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
import { seriesObserver, type Observe } from './fastObserve.ts';
import { kState, RequestState, stateOf, type RequestOwner, type RouteResolver, type WithState } from './requestState.ts';
import type { RequestTracing } from './tracing.ts';

export type { RouteResolver } from './requestState.ts';

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

/** One label set and its observer, cached up to a bound (the label guards keep the real count far below). */
interface Series {
  labels: SeriesLabels;
  observe: Observe;
}
const MAX_CACHED_SERIES = 10_000;

export class Recorder implements RequestOwner {
  active = 0;
  broken = false;
  private readonly series = new Map<string, Series>();

  constructor(private readonly cfg: RecorderConfig) {}

  /** Returns the OTel context the handler must run in (when tracing), or undefined. */
  begin(req: IncomingMessage, res: ServerResponse, resolveRoute: RouteResolver): Context | undefined {
    const r = req as WithState<IncomingMessage>;
    if (r[kState] !== undefined) return undefined; // middleware + wrap on the same request: count once
    let span: Span | undefined;
    let ctx: Context | undefined;
    if (this.cfg.tracing) {
      const started = this.cfg.tracing.start(req, this.cfg.methodLabel(req.method));
      span = started.span;
      ctx = started.ctx;
    }
    const state = new RequestState(this, req, performance.now(), resolveRoute, span);
    r[kState] = state;
    this.active++;
    // node sets res.req; one shared listener then suffices. A closure covers hand-made pairs.
    if ((res as { req?: IncomingMessage }).req === req) res.on('close', onResponseClose);
    else res.on('close', () => closeState(state, res));
    return ctx;
  }

  noteError(req: IncomingMessage, err: unknown): void {
    const state = stateOf(req);
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
    const series = this.seriesFor(method, route, status, errorType);
    const labels = series.labels;
    const hist = cfg.metrics.duration;
    if (cfg.metrics.exemplars) {
      const exemplarLabels = state.span ? cfg.tracing?.exemplar(state.span) : undefined;
      (hist.observe as unknown as (o: object) => void)(
        exemplarLabels ? { labels, value: seconds, exemplarLabels } : { labels, value: seconds },
      );
    } else {
      series.observe(seconds);
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

  private seriesFor(method: string, route: string, status: string, errorType: string): Series {
    const key = `${method}\u0000${route}\u0000${status}\u0000${errorType}`;
    let series = this.series.get(key);
    if (series === undefined) {
      const labels = { http_request_method: method, http_route: route, http_response_status_code: status, error_type: errorType };
      const hist = this.cfg.metrics.duration;
      if (this.series.size < MAX_CACHED_SERIES) {
        series = { labels, observe: seriesObserver(hist, labels) };
        this.series.set(key, series);
      } else {
        series = { labels, observe: (v) => hist.observe(labels, v) };
      }
    }
    return series;
  }
}

function onResponseClose(this: ServerResponse): void {
  const state = stateOf(this.req);
  if (state) closeState(state, this);
}

function closeState(state: RequestState, res: ServerResponse): void {
  if (state.done) return;
  state.done = true;
  try {
    state.owner.finish(state, res);
  } catch (err) {
    state.owner.fail(err);
  }
}
