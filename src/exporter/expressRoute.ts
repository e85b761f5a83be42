// The route template of an express (4 or 5) request: mount path + route path, e.g. `/items` + `/:id`.
//
// Reading req.baseUrl when the response ends is wrong whenever an error bubbled out of a mounted
// router: the router restores baseUrl on the way out, while req.route still points at the inner
// route (so a 500 from `/items/:id` would be labelled `/:id`). We therefore capture baseUrl at the
// moment the router assigns req.route, through an accessor on express's shared request prototype.
// The accessor stores and returns exactly what was assigned, so express behaves the same. On an
// instrumented request it stores into the request state, adding no property to the request (cheaper
// than express's own `req.route = route`, see requestState.ts).
import { IncomingMessage } from 'node:http';
import { kState, type ExpressLikeRoute, type RequestState } from './requestState.ts';

const kRoute = Symbol('solida.exporter.route');
const kRouteBase = Symbol('solida.exporter.routeBase');
const patched = new WeakSet<object>();

type RouteCarrier = IncomingMessage & {
  route?: ExpressLikeRoute;
  baseUrl?: string;
  [kState]?: RequestState;
  [kRoute]?: ExpressLikeRoute;
  [kRouteBase]?: string;
};

/**
 * Installs the route-capturing accessor on the request prototype express put under IncomingMessage
 * (shared by every app of that express copy, sub-apps included). Returns whether capture is active.
 */
export function ensureRouteCapture(req: IncomingMessage): boolean {
  let proto: object | null = Object.getPrototypeOf(req);
  let base: object | null = null;
  while (proto && proto !== IncomingMessage.prototype) {
    base = proto;
    proto = Object.getPrototypeOf(proto);
  }
  if (!base || !proto) return false;
  if (patched.has(base)) return true;
  if (Object.getOwnPropertyDescriptor(base, 'route')) return false;
  Object.defineProperty(base, 'route', {
    configurable: true,
    enumerable: false,
    get(this: RouteCarrier) {
      const state = this[kState];
      return state !== undefined && state.route !== undefined ? state.route : this[kRoute];
    },
    set(this: RouteCarrier, value: ExpressLikeRoute) {
      const state = this[kState];
      if (state !== undefined) {
        state.route = value;
        state.routeBase = this.baseUrl ?? '';
      } else {
        this[kRoute] = value;
        this[kRouteBase] = this.baseUrl ?? '';
      }
    },
  });
  patched.add(base);
  return true;
}

/** Route template of the last route express matched for this request, or undefined if none. */
export function expressRouteTemplate(req: IncomingMessage): string | undefined {
  const r = req as RouteCarrier;
  const state = r[kState];
  if (state !== undefined && state.route !== undefined) return joinRoute(state.routeBase, routePathText(state.route.path));
  const route = r[kRoute] ?? r.route;
  if (!route) return undefined;
  const base = r[kRoute] !== undefined ? (r[kRouteBase] ?? '') : (r.baseUrl ?? '');
  return joinRoute(base, routePathText(route.path));
}

function routePathText(path: unknown): string {
  if (typeof path === 'string') return path;
  if (Array.isArray(path)) return path.map(routePathText).join(',');
  return String(path);
}

export function joinRoute(base: string, path: string): string {
  if (!base) return path || '/';
  if (path === '/' || path === '') return base;
  return base.endsWith('/') && path.startsWith('/') ? base + path.slice(1) : base + path;
}
