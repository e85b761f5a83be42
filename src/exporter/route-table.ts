// Route templates for plain node:http handlers, matched with the same path syntax express 5 uses
// (path-to-regexp 8: `/items/:id`, `/files/*path`, `/a{/:optional}`).
import { match, type MatchFunction } from 'path-to-regexp';
import { SolidaError } from '../util/errors.ts';

export type RouteMatcher = (pathname: string) => string | undefined;

/** First declared template that matches wins, as in express. Throws SolidaError on a bad template. */
export function compileRouteTable(templates: readonly string[]): RouteMatcher {
  const compiled: Array<{ template: string; test: MatchFunction<object> }> = [];
  const problems = [];
  for (const [i, template] of templates.entries()) {
    try {
      compiled.push({ template, test: match(template, { decode: false }) });
    } catch (err) {
      problems.push({
        path: `routes[${i}]`,
        message: `route template ${JSON.stringify(template)} is not valid: ${(err as Error).message}`,
        fix: 'use express 5 path syntax, e.g. /items/:id or /files/*path',
      });
    }
  }
  if (problems.length > 0) throw new SolidaError('exporter: invalid route templates', 2, problems);
  return (pathname) => {
    for (const route of compiled) if (route.test(pathname) !== false) return route.template;
    return undefined;
  };
}

/** The path part of a request target (no query string, no fragment). */
export function pathnameOf(url: string | undefined): string {
  if (!url) return '/';
  const q = url.indexOf('?');
  const h = url.indexOf('#');
  const end = q === -1 ? (h === -1 ? url.length : h) : h === -1 ? q : Math.min(q, h);
  return end === url.length ? url : url.slice(0, end);
}
