// Per-request bookkeeping, and how the end of a response reaches it, without touching the request
// or response objects more than a few reads.
//
// Why: express gives every request and response a hidden class (V8 map) of its own — its
// Object.setPrototypeOf per request defeats V8's transition cache (%DebugPrint shows a new map
// address on every request, where plain node:http reuses one). On such objects every write and
// every method call is slow: measured under load on express 5 / Node 20, adding a property costs
// 1.4 µs, `res.on('close', fn)` 0.8 µs, a WeakMap.set 0.7 µs, reading `res.writableFinished` or
// `res.headersSent` 0.4 µs, where a plain field read costs 0.1 µs. Together that was most of the
// exporter's cost per request (bench/exporter: 0.93x bare express before, 0.97x after).
//
// So for requests served by node's http.Server the state hangs off the *socket* (a plain object
// whose map is stable: one write per request, one 'close' listener per connection), and the end of
// the response arrives through node's own diagnostics channel `http.server.response.finish`,
// published once per completed response whether or not anyone listens to the response. A response
// that never finishes is ended by its socket's close (aborted, or timed out). Anything else (HTTP/2
// compatibility objects, hand-made request/response pairs) uses a property and a 'close' listener.
import dc from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '@opentelemetry/api';

export type RouteResolver = (req: IncomingMessage, state: RequestState) => string | undefined;

/** The route object express assigns to req.route. */
export interface ExpressLikeRoute {
  path?: unknown;
}

export interface RequestOwner {
  /** `finished`: the whole response was written (node's 'finish'), known without asking the response. */
  finish(state: RequestState, finished: boolean | undefined): void;
  fail(err: unknown): void;
}

export class RequestState {
  error: unknown = undefined;
  done = false;
  /** Last route express matched, and req.baseUrl at that moment (see express-route.ts). */
  route: ExpressLikeRoute | undefined = undefined;
  routeBase = '';
  /** req.app when the route was matched under a mount point (a sub-app's routes: that sub-app). */
  routeApp: unknown = undefined;
  /** Other requests in flight on the same socket (HTTP/1.1 pipelining); usually undefined. */
  nextOnSocket: RequestState | undefined = undefined;

  constructor(
    readonly owner: RequestOwner,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly method: string,
    readonly start: number,
    readonly resolveRoute: RouteResolver,
    public span: Span | undefined,
  ) {}
}

const kServedByHttp = Symbol('solida.exporter.httpServerSocket');
const kInFlight = Symbol('solida.exporter.inFlight');
const kWatched = Symbol('solida.exporter.watched');

interface TrackedSocket {
  [kServedByHttp]?: boolean;
  [kInFlight]?: RequestState;
  [kWatched]?: boolean;
  on(event: 'close', listener: () => void): unknown;
}

/**
 * Requests not served by node's http.Server (or that arrived before the channels were subscribed)
 * carry their state in a property: those objects keep stable maps, so the write is cheap there,
 * and unlike a WeakMap it leaves nothing behind to collect.
 */
const kFallback = Symbol('solida.exporter.request');
let fallbackUsed = false;
type WithFallback = { [kFallback]?: RequestState };

function end(state: RequestState, finished: boolean | undefined): void {
  if (state.done) return;
  state.done = true;
  try {
    state.owner.finish(state, finished);
  } catch (err) {
    state.owner.fail(err);
  }
}

// node's http.Server announces every request before emitting 'request'; marking its socket tells
// begin() that the finish channel will report this request's response.
function onRequestStart(message: unknown): void {
  const socket = (message as { socket?: TrackedSocket }).socket;
  if (socket && socket[kServedByHttp] !== true) socket[kServedByHttp] = true;
}

function onResponseFinish(message: unknown): void {
  const { socket, request } = message as { socket?: TrackedSocket; request?: IncomingMessage };
  if (!socket) return;
  const state = unlink(socket, request);
  if (state) end(state, true);
}

function onSocketClose(this: TrackedSocket): void {
  let state = this[kInFlight];
  this[kInFlight] = undefined;
  while (state !== undefined) {
    const next = state.nextOnSocket;
    state.nextOnSocket = undefined;
    end(state, false);
    state = next;
  }
}

function unlink(socket: TrackedSocket, req: unknown): RequestState | undefined {
  let prev: RequestState | undefined;
  for (let s = socket[kInFlight]; s !== undefined; prev = s, s = s.nextOnSocket) {
    if (s.req !== req) continue;
    if (prev === undefined) socket[kInFlight] = s.nextOnSocket;
    else prev.nextOnSocket = s.nextOnSocket;
    s.nextOnSocket = undefined;
    return s;
  }
  return undefined;
}

// A throwing subscriber would surface as an uncaught exception in node's http internals: every
// path above is total (no property of unknown shape is called), and end() catches the recorder.
let subscribed = false;
/** Subscribes (once per process) to node's http.Server channels; createExporter calls it early. */
export function subscribeToHttpServer(): void {
  if (subscribed) return;
  subscribed = true;
  dc.subscribe('http.server.request.start', onRequestStart);
  dc.subscribe('http.server.response.finish', onResponseFinish);
}

/**
 * Starts tracking unless the request is tracked already (middleware and wrap() both on it): the
 * owner's finish() is then called exactly once, when the response ends. Returns whether it started.
 */
export function track(state: RequestState): boolean {
  const req = state.req;
  const socket = req.socket as unknown as TrackedSocket | null | undefined;
  if (socket && socket[kServedByHttp] === true) {
    const first = socket[kInFlight];
    for (let s = first; s !== undefined; s = s.nextOnSocket) if (s.req === req) return false;
    if (fallbackUsed && (req as WithFallback)[kFallback] !== undefined) return false;
    state.nextOnSocket = first;
    socket[kInFlight] = state;
    if (socket[kWatched] !== true) {
      socket[kWatched] = true;
      socket.on('close', onSocketClose);
    }
    return true;
  }
  if ((req as WithFallback)[kFallback] !== undefined) return false;
  fallbackUsed = true;
  (req as WithFallback)[kFallback] = state;
  state.res.on('close', () => end(state, undefined));
  return true;
}

/** The state of a request being tracked, or undefined. */
export function stateOf(req: IncomingMessage | undefined): RequestState | undefined {
  if (req === undefined) return undefined;
  const socket = req.socket as unknown as TrackedSocket | null | undefined;
  if (socket && socket[kServedByHttp] === true) {
    for (let s = socket[kInFlight]; s !== undefined; s = s.nextOnSocket) if (s.req === req) return s;
  }
  return fallbackUsed ? (req as WithFallback)[kFallback] : undefined;
}
