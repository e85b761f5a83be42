// Per-request bookkeeping, reachable from the request through one symbol-keyed property.
//
// Why one property and nothing else: adding an own property to node's request/response objects costs
// about 1.5 µs each (measured with --cpu-prof under load; they are large objects whose shape changes
// per request), several times the whole histogram update. So the state lives on the request only,
// the response's 'close' listener reaches it through res.req, and the express route capture writes
// into it (replacing the own `route` property express would otherwise add).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '@opentelemetry/api';

export const kState = Symbol('solida.exporter.request');

export type RouteResolver = (req: IncomingMessage) => string | undefined;

/** The route object express assigns to req.route. */
export interface ExpressLikeRoute {
  path?: unknown;
}

export interface RequestOwner {
  finish(state: RequestState, res: ServerResponse): void;
  fail(err: unknown): void;
}

export class RequestState {
  error: unknown = undefined;
  done = false;
  /** Last route express matched, and req.baseUrl at that moment (see expressRoute.ts). */
  route: ExpressLikeRoute | undefined = undefined;
  routeBase = '';

  constructor(
    readonly owner: RequestOwner,
    readonly req: IncomingMessage,
    readonly start: number,
    readonly resolveRoute: RouteResolver,
    readonly span: Span | undefined,
  ) {}
}

export type WithState<T> = T & { [kState]?: RequestState };

export function stateOf(req: IncomingMessage | undefined): RequestState | undefined {
  return req === undefined ? undefined : (req as WithState<IncomingMessage>)[kState];
}
