// Mount templates worked out from express's router tree, on both express copies.
import http from 'node:http';
import { createRequire } from 'node:module';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { createExporter } from '../../src/exporter/index.ts';
import { mountChains, mountResolver } from '../../src/exporter/mount-templates.ts';
import { close, listen, parseExposition, pick, request, settledMetrics, total } from './helpers.ts';

const express4 = createRequire(import.meta.url)('express4') as typeof express;

/** The Route object a router holds for `path` (what express assigns to req.route). */
function routeOf(router: unknown, path: string): object {
  const layer = (router as { stack: Array<{ route?: { path: string } }> }).stack.find((l) => l.route?.path === path);
  if (!layer?.route) throw new Error(`no route ${path}`);
  return layer.route;
}

describe.each([
  ['express 5', express],
  ['express 4', express4],
])('%s', (_name, ex) => {
  it('turns parameter values in the base back into the nested mount template', () => {
    const app = ex();
    const tenants = ex.Router();
    const orders = ex.Router();
    orders.get('/lines/:n', () => {});
    tenants.use('/orders/:oid', orders);
    app.use('/t/:tenant', tenants);
    const resolve = mountResolver(app, routeOf(orders, '/lines/:n'))!;
    expect(resolve('/t/acme/orders/9')).toBe('/t/:tenant/orders/:oid');
    expect(resolve('/T/ACME/orders/9')).toBe('/t/:tenant/orders/:oid'); // case-insensitive, as express
    expect(resolve('/elsewhere/9')).toBeUndefined();
  });

  it('keeps static mounts as they are', () => {
    const app = ex();
    const items = ex.Router();
    items.get('/:id', () => {});
    app.use('/api/items', items);
    expect(mountResolver(app, routeOf(items, '/:id'))!('/api/items')).toBe('/api/items');
  });

  it('gives up when a router is reachable through two mount paths (the base is kept)', () => {
    const app = ex();
    const shared = ex.Router();
    shared.get('/x', () => {});
    app.use('/a/:id', shared);
    app.use('/b/:id', shared);
    expect(mountChains(app, routeOf(shared, '/x'))).toHaveLength(2);
    expect(mountResolver(app, routeOf(shared, '/x'))).toBeUndefined();
  });

  it('gives up on routes it cannot find and on things that are not apps', () => {
    const app = ex();
    const orphan = ex.Router();
    orphan.get('/y', () => {});
    expect(mountResolver(app, routeOf(orphan, '/y'))).toBeUndefined();
    expect(mountResolver(undefined, {})).toBeUndefined();
    expect(mountResolver({ router: { stack: 'not a stack' } }, {})).toBeUndefined();
  });
});

describe.each([
  ['express 5', express],
  ['express 4', express4],
])('sub-apps on %s, over real HTTP', (_name, ex) => {
  it('labels routes of a sub-app mounted at a path with parameters by the full template, errors included', async () => {
    const exporter = createExporter({ service: 'shops', processMetrics: false });
    const app = ex();
    app.use(exporter.middleware);
    const shop = ex();
    const carts = ex.Router();
    carts.get('/:cart', (req, res) => {
      if (req.params.cart === 'boom') throw new RangeError('cart exploded');
      res.send('cart');
    });
    shop.use('/carts', carts);
    shop.get('/info', (_req, res) => void res.send('info'));
    app.use('/shops/:shop', shop);
    app.use(exporter.errorHandler);
    const server = http.createServer(app);
    const port = await listen(server);
    try {
      // The failing request first: the route's template is worked out once, from whatever comes first.
      expect((await request(port, '/shops/s3/carts/boom')).status).toBe(500);
      for (const path of ['/shops/s1/info', '/shops/s2/info', '/shops/s2/carts/7', '/SHOPS/s9/carts/8']) expect((await request(port, path)).status).toBe(200);
      const samples = parseExposition(await settledMetrics(exporter.registry));
      const count = (labels: Record<string, string>) => total(samples, 'http_server_request_duration_seconds_count', labels);
      expect(count({ http_route: '/shops/:shop/info' })).toBe(2);
      expect(count({ http_route: '/shops/:shop/carts/:cart', http_response_status_code: '200' })).toBe(2);
      expect(count({ http_route: '/shops/:shop/carts/:cart', http_response_status_code: '500', error_type: 'RangeError' })).toBe(1);
      expect(pick(samples, 'http_server_request_duration_seconds_count').map((x) => x.labels.http_route).filter((r) => /s\d/.test(r))).toEqual([]);
    } finally {
      await close(server);
      await exporter.shutdown();
    }
  });
});
