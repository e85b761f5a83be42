// `solida serve`: an HTTP server (node:http, GET only) on loopback by default. Pages are rendered from
// the background snapshot, so a slow or down backend never hangs a page; the detail of one SLO is read
// on demand and kept for half a refresh so many open tabs do not multiply the queries.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { SolidaModel } from '../slo/model.ts';
import type { ViewBackend } from './backend.ts';
import { readDetail } from './detail.ts';
import { renderDetail } from './detail-page.ts';
import { page } from './layout.ts';
import { parseListQuery, renderFilters, renderList } from './list.ts';
import { LiveSnapshot, messageOf } from './live.ts';
import type { SloDetail } from './model.ts';
import { esc } from './html.ts';

export interface ServeOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  refreshSeconds?: number;
  gamedayDir?: string;
  concurrency?: number;
  /** Clock for reads (tests pin it to their data). */
  now?: () => Date;
  log?: (line: string) => void;
}

export interface RunningView {
  url: string;
  live: LiveSnapshot;
  /** Resolves when the first refresh has ended. */
  ready: Promise<void>;
  close(): Promise<void>;
}

// Nothing but this server may be loaded: the CSP makes "no external asset" a property the browser enforces.
const HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export async function startView(model: SolidaModel, backend: ViewBackend, opts: ServeOptions = {}): Promise<RunningView> {
  const refreshSeconds = opts.refreshSeconds ?? 15;
  const now = opts.now ?? (() => new Date());
  const live = new LiveSnapshot(model, backend, { concurrency: opts.concurrency, now });
  const details = new Map<string, { until: number; value: Promise<SloDetail> }>();
  const log = opts.log ?? (() => {});

  const detailOf = (id: string): Promise<SloDetail> | undefined => {
    const slo = live.slo(id);
    const row = live.current().rows.find((r) => r.id === id);
    if (!slo || !row) return undefined;
    const cached = details.get(id);
    if (cached && cached.until > Date.now()) return cached.value;
    const value = readDetail(model, slo, row, backend, { at: now(), gamedayDir: opts.gamedayDir });
    details.set(id, { until: Date.now() + (refreshSeconds * 1000) / 2, value });
    return value;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'only GET\n');
    const url = new URL(req.url ?? '/', 'http://view');
    const fragment = req.headers['x-solida-fragment'] === '1';
    const snap = live.current();
    if (url.pathname === '/') {
      const q = parseListQuery(url.searchParams);
      const main = renderList(snap, q);
      return send(res, 200, 'text/html; charset=utf-8', fragment ? main : page({ title: 'SLOs — solida', source: snap.source, refreshSeconds, controls: renderFilters(snap, q), main }));
    }
    if (url.pathname === '/api/slos') return send(res, 200, 'application/json', JSON.stringify(snap, numbers));
    const slo = /^\/(api\/)?slo\/([^/]+)$/.exec(url.pathname);
    if (slo) {
      const id = decodeURIComponent(slo[2]);
      const pending = detailOf(id);
      if (!pending) return send(res, 404, 'text/html; charset=utf-8', page({ title: 'not found', source: snap.source, refreshSeconds, main: `<h1>No SLO ${esc(id)}</h1><p><a href="/">all SLOs</a></p>` }));
      const d = await pending;
      if (slo[1]) return send(res, 200, 'application/json', JSON.stringify(d, numbers));
      const main = renderDetail(d, now().getTime());
      return send(res, 200, 'text/html; charset=utf-8', fragment ? main : page({ title: `${id} — solida`, source: snap.source, refreshSeconds, main }));
    }
    const gameday = /^\/gameday\/([^/]+\.html)$/.exec(url.pathname);
    if (gameday && opts.gamedayDir) {
      // Only files listed in the directory, by exact name: no path from the URL reaches the file system.
      const name = decodeURIComponent(gameday[1]);
      const files = await readdir(opts.gamedayDir).catch(() => [] as string[]);
      if (files.includes(name)) return send(res, 200, 'text/html; charset=utf-8', await readFile(join(opts.gamedayDir, name), 'utf8'));
    }
    if (url.pathname === '/healthz') return send(res, 200, 'text/plain', snap.error ? `degraded: ${snap.error.message}\n` : 'ok\n');
    return send(res, 404, 'text/plain', 'not found\n');
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      log(`serve: ${messageOf(err)}`);
      if (!res.headersSent) send(res, 500, 'text/plain', `${messageOf(err)}\n`);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 9099, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const refresh = () =>
    live.refresh().then(
      (s) => { if (s.error) log(`serve: ${s.error.message}`); },
      (err) => log(`serve: refresh failed: ${messageOf(err)}`),
    );
  const ready = refresh();
  const timer = setInterval(refresh, refreshSeconds * 1000);
  return {
    url: `http://${host}:${address.port}`,
    live,
    ready,
    close: async () => {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { ...HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function numbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
