// The route template of an express (4 or 5) request: mount path + route path, e.g. `/items` + `/:id`.
//
// Reading req.baseUrl when the response ends is wrong whenever an error bubbled out of a mounted
// router: the router restores baseUrl on the way out, while req.route still points at the inner
// route (so a 500 from `/items/:id` would be labelled `/:id`). We therefore capture baseUrl at the
// moment the router assigns req.route, through an accessor on express's shared request prototype.
// The accessor stores and returns exactly what was assigned, so express behaves the same. On an
// instrumented request it stores into the request state, adding no property to the request (cheaper
// than express's own `req.route = route`, see request-state.ts).
import { IncomingMessage } from 'node:http';
import { mountResolver, type MountResolver } from './mount-templates.ts';
import { stateOf, type ExpressLikeRoute, type RequestState } from './request-state.ts';

const kRoute = Symbol('solida.exporter.route');
const patched = new WeakSet<object>();

type RouteCarrier = IncomingMessage & {
  route?: ExpressLikeRoute;
  baseUrl?: string;
  [kRoute]?: { route: ExpressLikeRoute; base: string; app: unknown };
  app?: unknown;
};

/**
 * Installs the route-capturing accessor on the request prototype express put under IncomingMessage
 * (shared by every app of that express copy, sub-apps included), found from a request or from an
 * app's `app.request`. Returns whether capture is active.
 */
export function ensureRouteCapture(req: object): boolean {
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
      const state = stateOf(this);
      return state !== undefined && state.route !== undefined ? state.route : this[kRoute]?.route;
    },
    set(this: RouteCarrier, value: ExpressLikeRoute) {
      const state = stateOf(this);
      const base = this.baseUrl ?? '';
      // The app that matched it, read only under a mount point (where the mount template is needed):
      // by the time the response ends, an error bubbling out of a sub-app has reset req.app.
      const app = base === '' ? undefined : this.app;
      if (state !== undefined) {
        state.route = value;
        state.routeBase = base;
        state.routeApp = app;
      } else {
        // One property, as express's own `req.route = route` would add.
        this[kRoute] = { route: value, base, app };
      }
    },
  });
  patched.add(base);
  return true;
}

/** Route template of the last route express matched for this request, or undefined if none. */
export function expressRouteTemplate(req: IncomingMessage, state?: RequestState): string | undefined {
  const r = req as RouteCarrier;
  const s = state ?? stateOf(r);
  if (s !== undefined && s.route !== undefined) return templateOf(s.route, s.routeBase, s.routeApp);
  const captured = r[kRoute];
  if (captured !== undefined) return templateOf(captured.route, captured.base, captured.app);
  const route = r.route;
  return route ? templateOf(route, r.baseUrl ?? '', r.app) : undefined;
}

// Templates per (route, mount base), so a request reuses the same string (and its cached hash)
// instead of joining a new one. A base with parameter values (app.use('/t/:tenant', router) gives
// /t/acme, /t/zeta...) is turned back into its mount template (mount-templates.ts); bases are cached
// per route up to a bound, past which the template is worked out again per request.
const MAX_BASES_PER_ROUTE = 32;

interface RouteTemplates {
  byBase: Map<string, string>;
  /** Resolved on the first request with a non-empty base; null when the mount cannot be told. */
  mount: MountResolver | null | undefined;
}
const templates = new WeakMap<object, RouteTemplates>();

function templateOf(route: ExpressLikeRoute, base: string, app: unknown): string {
  let info = templates.get(route);
  if (info === undefined) templates.set(route, (info = { byBase: new Map(), mount: undefined }));
  let template = info.byBase.get(base);
  if (template === undefined) {
    let mountBase = base;
    if (base !== '') {
      if (info.mount === undefined) info.mount = mountResolver(app, route) ?? null;
      mountBase = info.mount?.(base) ?? base;
    }
    template = joinRoute(mountBase, routePathText(route.path));
    if (info.byBase.size < MAX_BASES_PER_ROUTE) info.byBase.set(base, template);
  }
  return template;
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
