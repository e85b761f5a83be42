// /metrics: content negotiation (OpenMetrics with exemplars when tracing is on, classic text for
// scrapers that do not ask for OpenMetrics), optional bearer token, and a standalone server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { Registry, type Metric } from 'prom-client';
import { newRegistry, type AnyRegistry } from './metrics.ts';

export type MetricsHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface ScrapeOptions {
  bearerToken?: string;
  onError: (err: unknown) => void;
}

export function createMetricsHandler(registry: AnyRegistry, opts: ScrapeOptions): MetricsHandler {
  const isOpenMetrics = (registry.contentType as string) === Registry.OPENMETRICS_CONTENT_TYPE;
  return (req, res) => {
    if (opts.bearerToken !== undefined && !bearerMatches(req.headers.authorization, opts.bearerToken)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="metrics"', 'Content-Type': 'text/plain' });
      res.end('unauthorized\n');
      return;
    }
    const wantsOpenMetrics = isOpenMetrics && acceptsOpenMetrics(req.headers.accept);
    const source = isOpenMetrics && !wantsOpenMetrics ? classicView(registry) : registry;
    source.metrics().then(
      (body) => {
        res.writeHead(200, { 'Content-Type': source.contentType });
        res.end(body);
      },
      (err: unknown) => {
        opts.onError(err);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('metrics collection failed\n');
      },
    );
  };
}

export function acceptsOpenMetrics(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes('application/openmetrics-text');
}

function bearerMatches(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const given = Buffer.from(header);
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The same metric objects in a classic-text registry. prom-client renames counters for
 * OpenMetrics (it strips `_total` from the metric's name and adds it to samples), so counters are
 * wrapped to print their classic `<name>_total` samples.
 */
function classicView(registry: AnyRegistry): AnyRegistry {
  const view = newRegistry(Registry.PROMETHEUS_CONTENT_TYPE);
  for (const metric of registry.getMetricsAsArray() as unknown as Metric[]) {
    const m = metric as Metric & { type?: string; name: string; get(): Promise<{ name: string }> };
    if (m.type !== 'counter') {
      view.registerMetric(metric);
      continue;
    }
    const name = m.name.endsWith('_total') ? m.name : `${m.name}_total`;
    view.registerMetric({
      name,
      type: 'counter',
      get: async () => ({ ...(await m.get()), name }),
    } as unknown as Metric);
  }
  return view;
}

export interface ServeOptions {
  port?: number;
  /**
   * Default 127.0.0.1: metrics are not exposed beyond the host unless asked. Pass '0.0.0.0' (or the
   * task's address) when the scraper runs elsewhere, ideally with `bearerToken`.
   */
  host?: string;
  path?: string;
}

export interface MetricsServer {
  port: number;
  server: Server;
  close(): Promise<void>;
}

export function serveMetrics(handler: MetricsHandler, opts: ServeOptions = {}): Promise<MetricsServer> {
  const path = opts.path ?? '/metrics';
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    if ((q === -1 ? url : url.slice(0, q)) === path && (req.method === 'GET' || req.method === 'HEAD')) {
      handler(req, res);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 9464, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const addr = server.address();
      resolve({
        port: typeof addr === 'object' && addr ? addr.port : (opts.port ?? 9464),
        server,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
