// Mount templates worked out from express's router tree, on both express copies.
import { createRequire } from 'node:module';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { mountChains, mountResolver } from '../../src/exporter/mountTemplates.ts';

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
