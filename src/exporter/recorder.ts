// The request path: start a clock (and a span), and when the response closes turn the outcome into
// one histogram observation (+ span end, + EMF fold-in). Everything here is guarded: an internal
// failure disables instrumentation (one log line) and never reaches the request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Context, Span } from '@opentelemetry/api';
import { classifyOutcome } from './error-type.ts';
import type { BoundedLabel, BoundedStatus } from './labels.ts';
import type { EmfAggregator } from './emf.ts';
import type { ExporterMetrics, SeriesLabels } from './metrics.ts';
import { seriesWriter, slowObserver, type Observe } from './fast-observe.ts';
import { RequestState, stateOf, track, type RequestOwner, type RouteResolver } from './request-state.ts';
import type { RequestTracing } from './tracing.ts';

export type { RouteResolver } from './request-state.ts';

export interface RecorderConfig {
  metrics: ExporterMetrics;
  methodLabel: (method: string | undefined) => string;
  routes: BoundedLabel;
  statuses: BoundedStatus;
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

/**
 * route -> status -> method -> error_type -> series. Nested maps instead of one joined key: the
 * label strings are the same objects request after request (route templates are cached, status
 * texts precomputed, methods come from node's parser table), so each lookup reuses a cached string
 * hash, where a joined key is a new string to hash every time.
 */
type SeriesTree = Map<string, Map<string, Map<string, Map<string, Series>>>>;

function child<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let v = map.get(key);
  if (v === undefined) map.set(key, (v = new Map()));
  return v;
}

export class Recorder implements RequestOwner {
  active = 0;
  broken = false;
  private readonly series: SeriesTree = new Map();
  private seriesCount = 0;

  constructor(private readonly cfg: RecorderConfig) {}

  /** Returns the OTel context the handler must run in (when tracing), or undefined. */
  begin(req: IncomingMessage, res: ServerResponse, resolveRoute: RouteResolver): Context | undefined {
    const method = this.cfg.methodLabel(req.method);
    const state = new RequestState(this, req, res, method, performance.now(), resolveRoute, undefined);
    if (!track(state)) return undefined; // middleware + wrap on the same request: count once
    this.active++;
    let ctx: Context | undefined;
    if (this.cfg.tracing) {
      const started = this.cfg.tracing.start(req, method);
      state.span = started.span;
      ctx = started.ctx;
    }
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

  finish(state: RequestState, finishedKnown: boolean | undefined): void {
    this.active--;
    if (this.broken) return;
    const { cfg } = this;
    const elapsedMs = performance.now() - state.start;
    const seconds = elapsedMs / 1000;
    const { req, res } = state;
    // Each read of the response is costly (see request-state.ts): a finished response has sent its
    // headers, and the socket's timeout only matters for one that did not finish.
    const finished = finishedKnown ?? res.writableFinished;
    const headersSent = finished || res.headersSent;
    let timedOut = false;
    if (!finished) {
      const socketTimeout = (req.socket as { timeout?: number } | null)?.timeout ?? 0;
      timedOut = socketTimeout > 0 && elapsedMs + 1 >= socketTimeout;
    }
    const statusCode = headersSent ? res.statusCode : 0;
    const outcome = finished && statusCode < 500 ? '' : classifyOutcome({ finished, status: statusCode, error: state.error, timedOut });
    const errorType = outcome === '' ? '' : cfg.errorTypes.label(outcome);
    const template = state.resolveRoute(req, state);
    const route = template === undefined ? cfg.unmatchedRoute : cfg.routes.label(template);
    const method = state.method;
    const status = headersSent ? cfg.statuses.label(statusCode) : '';
    const series = this.seriesFor(method, route, status, errorType);
    series.observe(seconds, state.span ? cfg.tracing?.exemplar(state.span) : undefined);
    if (state.span && cfg.tracing) {
      cfg.tracing.end(state.span, {
        method,
        route: template === undefined ? undefined : route,
        status: headersSent ? statusCode : undefined,
        errorType,
        error: state.error,
      });
    }
    cfg.emf?.record(route, errorType !== '', seconds);
  }

  private seriesFor(method: string, route: string, status: string, errorType: string): Series {
    const byError = child(child(child(this.series, route), status), method);
    let series = byError.get(errorType);
    if (series === undefined) {
      const labels = { http_request_method: method, http_route: route, http_response_status_code: status, error_type: errorType };
      if (this.seriesCount < MAX_CACHED_SERIES) {
        series = this.newSeries(labels);
        byError.set(errorType, series);
        this.seriesCount++;
      } else {
        // Past the cap (the label guards keep real services far below it) nothing is cached, so a
        // new series here is not held: its first events count at once, unseen by rate().
        series = { labels, observe: slowObserver(this.cfg.metrics.duration, labels, this.cfg.metrics.exemplars) };
      }
    }
    return series;
  }

  /**
   * A label set seen for the first time: created at zero, its observations held until a scrape read
   * the zero (new-series.ts), then the fast observer. One prom-client already held (created by
   * someone else, maybe already exposed) gets the fast observer at once.
   */
  private newSeries(labels: SeriesLabels): Series {
    const { duration, exemplars, newSeries } = this.cfg.metrics;
    const writer = seriesWriter(duration, labels, exemplars);
    // This prom-client's internals are not the expected ones: its own observe().
    if (writer === undefined) return { labels, observe: slowObserver(duration, labels, exemplars) };
    const series: Series = { labels, observe: writer.observe };
    if (!writer.existed) series.observe = newSeries.hold(writer, () => (series.observe = writer.observe));
    return series;
  }
}
