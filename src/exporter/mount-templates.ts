// The mount template of a route in a router mounted at a path with parameters:
// app.use('/t/:tenant', router) + router.get('/items/:id') is `/t/:tenant/items/:id`, where
// req.baseUrl only has the values (`/t/acme`). Express keeps no link from a route to where its router
// is mounted, so the app's router tree is searched once per route (off the request path, cached by
// the caller) for the chains of mount layers leading to it:
// - express 5 (router 2.x) layers keep the path they were declared with (`rawPath`);
// - express 4 layers keep only a RegExp and its parameter names: the template is rebuilt from the
//   request's base by replacing each captured value with `:name` (RegExp match indices), literal
//   segments in lower case when the mount is case-insensitive (express's default).
// - a sub-app (app.use(path, subApp)) hides behind express's mounted_app closure, but keeps its
//   declared `mountpath` and its `parent`: its mount template is prefixed to the chain inside it.
// Anything else (a route reachable through two chains, regexp or array mount paths) gives undefined,
// and the caller keeps the base it saw.

import { match, type MatchFunction } from 'path-to-regexp';

interface LayerLike {
  route?: unknown;
  handle?: unknown;
  rawPath?: unknown;
  regexp?: RegExp & { fast_slash?: boolean; fast_star?: boolean };
  keys?: Array<{ name?: unknown }>;
}

type Chain = LayerLike[];

const MAX_DEPTH = 16;

function stackOf(x: unknown): LayerLike[] | undefined {
  const stack = (x as { stack?: unknown } | null | undefined)?.stack;
  return Array.isArray(stack) ? (stack as LayerLike[]) : undefined;
}

/** The app's router: express 5 `app.router`, express 4 `app._router`. */
function appRouter(app: unknown): unknown {
  if (!app || (typeof app !== 'function' && typeof app !== 'object')) return undefined;
  const a = app as { _router?: unknown; router?: unknown; lazyrouter?: unknown };
  // express 4's app.router is a getter that throws ("deprecated"): never touch it there.
  if (typeof a.lazyrouter === 'function') return a._router;
  return a.router;
}

/** Every chain of mount layers from the app's router to the layer holding `route`. */
export function mountChains(app: unknown, route: object): Chain[] {
  const found: Chain[] = [];
  const seen = new Set<unknown>();
  const walk = (router: unknown, chain: Chain): void => {
    const stack = stackOf(router);
    if (!stack || seen.has(router) || chain.length > MAX_DEPTH) return;
    seen.add(router);
    for (const layer of stack) {
      if (layer.route === route) found.push(chain);
      else if (layer.route === undefined && stackOf(layer.handle)) walk(layer.handle, [...chain, layer]);
    }
    seen.delete(router);
  };
  walk(appRouter(app), []);
  return found;
}

export type MountResolver = (base: string) => string | undefined;

/**
 * For a route reachable through exactly one chain of mount layers: a function from the request's
 * base (req.baseUrl) to its mount template, undefined when the base did not come through that chain.
 */
export function mountResolver(app: unknown, route: object): MountResolver | undefined {
  try {
    return resolverFor(app, route);
  } catch {
    return undefined; // a router tree of an unexpected shape: keep the base
  }
}

function resolverFor(app: unknown, route: object): MountResolver | undefined {
  const chains = mountChains(app, route);
  if (chains.length !== 1) return undefined;
  const inner = innerResolver(chains[0]);
  const prefix = appMountTemplate(app);
  if (!inner || prefix === undefined) return undefined;
  if (prefix === '') return inner;
  // A sub-app (app.use('/t/:tenant', subApp)): its own mount path, then the chain inside it.
  let head: MatchFunction<object>;
  try {
    head = match(prefix, { decode: false, end: false });
  } catch {
    return undefined;
  }
  return (base) => {
    const m = head(base);
    if (m === false) return undefined;
    const rest = inner(base.slice(m.path.length));
    return rest === undefined ? undefined : prefix + rest;
  };
}

/** The chain's template for the part of the base below the app's own mount point. */
function innerResolver(chain: Chain): MountResolver | undefined {
  if (chain.length === 0) return (rest) => (rest === '' ? '' : undefined);
  if (chain.every((l) => typeof l.rawPath === 'string')) {
    const template = chain.map((l) => trimSlash(l.rawPath as string)).join('');
    if (template === '') return (rest) => (rest === '' ? '' : undefined);
    let test: MatchFunction<object>;
    try {
      test = match(template, { decode: false, end: true });
    } catch {
      return undefined;
    }
    return (rest) => (test(rest) !== false ? template : undefined);
  }
  if (chain.every((l) => l.regexp instanceof RegExp)) return (rest) => rebuildChain(chain, rest);
  return undefined;
}

/**
 * Where an app is mounted, as declared (express sets `mountpath` and `parent` on sub-apps): the
 * ancestors' mount paths joined, '' for the top app, undefined for array or RegExp mount paths.
 */
function appMountTemplate(app: unknown): string | undefined {
  let template = '';
  let a = app as { mountpath?: unknown; parent?: unknown } | undefined;
  for (let depth = 0; a && a.parent; depth++, a = a.parent as typeof a) {
    if (typeof a.mountpath !== 'string' || depth > MAX_DEPTH) return undefined;
    template = trimSlash(a.mountpath) + template;
  }
  return template;
}

const trimSlash = (path: string) => path.replace(/\/+$/, '');

function rebuildChain(chain: Chain, base: string): string | undefined {
  let template = '';
  let rest = base;
  for (const layer of chain) {
    const part = rebuild(layer, rest);
    if (part === undefined) return undefined;
    template += part.template;
    rest = rest.slice(part.consumed);
  }
  return rest === '' ? template : undefined;
}

const withIndices = new WeakMap<RegExp, RegExp | null>();

function indexed(re: RegExp): RegExp | null {
  let r = withIndices.get(re);
  if (r === undefined) {
    try {
      r = new RegExp(re.source, re.flags.includes('d') ? re.flags : `${re.flags}d`);
    } catch {
      r = null;
    }
    withIndices.set(re, r);
  }
  return r;
}

function rebuild(layer: LayerLike, path: string): { template: string; consumed: number } | undefined {
  const re = layer.regexp!;
  if (re.fast_slash) return { template: '', consumed: 0 };
  if (re.fast_star) return undefined;
  const compiled = indexed(re);
  if (!compiled) return undefined;
  compiled.lastIndex = 0;
  const m = compiled.exec(path) as (RegExpExecArray & { indices?: Array<[number, number] | undefined> }) | null;
  if (!m || m.index !== 0 || !m.indices) return undefined;
  let matched = m[0];
  // Mount layers match up to, not including, the next slash; a trailing slash is not part of the base.
  if (matched.endsWith('/')) matched = matched.slice(0, -1);
  let template = '';
  let at = 0;
  const keys = layer.keys ?? [];
  for (let i = 1; i < m.length; i++) {
    const span = m.indices[i];
    const name = keys[i - 1]?.name;
    if (!span || name === undefined) continue;
    if (span[0] < at || span[1] > matched.length) return undefined;
    template += `${matched.slice(at, span[0])}:${String(name)}`;
    at = span[1];
  }
  template += matched.slice(at);
  // The literal text is the request's spelling; a case-insensitive mount (express's default) gets
  // one spelling, lower case, so /T/acme and /t/acme are one series.
  if (re.flags.includes('i')) template = template.replace(/(:\w+)|[^:]+/g, (text: string, param?: string) => param ?? text.toLowerCase());
  return { template, consumed: matched.length };
}
