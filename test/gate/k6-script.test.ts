// Generated k6 scripts: valid JavaScript (node --check), and — run against stub k6 modules — the
// options and requests they claim (constant arrival rate, SLO thresholds, sequence-marked writes).
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateK6Scripts, renderGamedayK6Script, GAMEDAY_SCENARIOS, type GamedayScenario } from '../../src/k6/script.ts';
import { availability, latency, model, slo } from './model.ts';
import { runCli, tmp } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '../..');

function nodeCheck(content: string): { ok: boolean; stderr: string } {
  const file = join(tmp(), 'script.mjs');
  writeFileSync(file, content);
  const r = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
  return { ok: r.status === 0, stderr: r.stderr };
}

interface Sent { method: string; url: string; body?: string; params: { tags?: Record<string, string>; headers?: Record<string, string>; timeout?: string }; metadata: Record<string, string> }

/** Runs a generated script's init code and iterations with stub k6 modules. */
function loadScript(content: string, env: Record<string, string> = {}) {
  const sent: Sent[] = [];
  const counters: { name: string; value: number; tags?: Record<string, string>; metadata: Record<string, string> }[] = [];
  const exec = { scenario: { iterationInTest: 0 }, vu: { metrics: { metadata: {} as Record<string, string> } } };
  let status = 200;
  let items: { name: string; quantity: number }[] = [];
  const respond = () => ({ status, json: (path?: string) => (path === 'items' ? items : { items }) });
  const http = {
    get: (url: string, params: Sent['params']) => (sent.push({ method: 'GET', url, params, metadata: { ...exec.vu.metrics.metadata } }), respond()),
    post: (url: string, body: string, params: Sent['params']) => (sent.push({ method: 'POST', url, body, params, metadata: { ...exec.vu.metrics.metadata } }), respond()),
  };
  const check = (res: { status: number }, checks: Record<string, (r: { status: number }) => boolean>) => Object.values(checks).every((f) => f(res));
  class Counter {
    constructor(readonly name: string) {}
    add(value: number, tags?: Record<string, string>) { counters.push({ name: this.name, value, tags, metadata: { ...exec.vu.metrics.metadata } }); }
  }
  const body = content
    .replace(/^import .*$/gm, '')
    .replace(/^export const options/m, 'const options')
    .replace(/^export function setup/m, 'function setup')
    .replace(/^export default function/m, 'function __default');
  const factory = new Function('http', 'exec', 'check', 'Counter', '__ENV',
    `${body}\nreturn { options, run: __default, setup: typeof setup === 'function' ? setup : undefined };`);
  const mod = factory(http, exec, check, Counter, env) as { options: Record<string, any>; run: (data?: unknown) => void; setup?: () => unknown };
  return {
    ...mod,
    sent,
    counters,
    exec,
    setStatus: (s: number) => void (status = s),
    setItems: (rows: { name: string; quantity: number }[]) => void (items = rows),
    iterate(n: number, data?: unknown) {
      for (let i = 0; i < n; i++) {
        exec.scenario.iterationInTest = i;
        mod.run(data);
      }
    },
  };
}

const shop = model([
  slo('shop', 'availability', 99.9, availability('shop'), 40),
  slo('shop', 'checkout-latency', 99.9, latency('shop', 0.25, '/checkout/:cart')),
  slo('shop', 'items', 99, availability('shop', '/items')),
  slo('search', 'availability', 99.5, availability('search')),
], 'solida.config.ts');

describe('solida generate k6 (rendering)', () => {
  const files = generateK6Scripts(shop);

  it('writes one script per service and the three game-day scripts, all valid JavaScript', () => {
    expect(files.map((f) => f.path)).toEqual(['shop.k6.js', 'search.k6.js', 'gameday/az-failure.js', 'gameday/region-failover.js', 'gameday/pitr.js']);
    for (const f of files) {
      const r = nodeCheck(f.content);
      expect(r.ok, `${f.path}: ${r.stderr}`).toBe(true);
    }
  });

  it('service script: constant arrival rate, SLO thresholds, the percentile in summaryTrendStats', () => {
    const s = loadScript(files[0].content, { TARGET: 'http://staging.test/' });
    expect(s.options.thresholds).toEqual({
      http_req_failed: ['rate<0.001'],
      'http_req_duration{name:/checkout/:cart}': ['p(99.9)<250'],
      'http_req_failed{name:/items}': ['rate<0.01'],
      dropped_iterations: ['count<1'],
    });
    // p(99.9) must be in the summary or the gate cannot read it back.
    expect(s.options.summaryTrendStats).toEqual(['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)']);
    expect(s.options.tags).toEqual({ service: 'shop' });
    expect(s.options.scenarios.steady).toMatchObject({ executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s', duration: '1m' });
    s.iterate(4);
    // Route templates are requested with a concrete id and tagged with the template.
    expect(s.sent.map((r) => [r.url, r.params.tags?.name])).toEqual([
      ['http://staging.test/checkout/1', '/checkout/:cart'],
      ['http://staging.test/items', '/items'],
      ['http://staging.test/checkout/1', '/checkout/:cart'],
      ['http://staging.test/items', '/items'],
    ]);
    const tuned = loadScript(files[1].content, { RATE: '7', DURATION: '5m' });
    expect(tuned.options.scenarios.steady).toMatchObject({ rate: 7, duration: '5m' });
    expect(tuned.options.thresholds).toEqual({ http_req_failed: ['rate<0.005'], dropped_iterations: ['count<1'] });
  });

  it('game-day script: reads and writes, writes carry the client sequence id', () => {
    const g = loadScript(generateK6Scripts(shop, { service: 'shop' }).find((f) => f.path === 'gameday/az-failure.js')!.content, { TARGET: 'http://lab:8080', RUN_ID: 'run-1' });
    expect(g.options.scenarios.gameday).toMatchObject({ executor: 'constant-arrival-rate', rate: 50, duration: '20m' });
    // Only route-less SLO thresholds apply: game-day requests are not the SLO routes.
    expect(g.options.thresholds).toEqual({ http_req_failed: ['rate<0.001'], dropped_iterations: ['count<1'] });
    const data = g.setup!();
    expect(data).toEqual({ runId: 'run-1' });
    g.iterate(10, data);
    const writes = g.sent.filter((r) => r.method === 'POST');
    expect(writes.map((w) => JSON.parse(w.body!).seq)).toEqual([0, 5]);
    expect(writes.map((w) => w.params.headers?.['X-Client-Seq'])).toEqual(['0', '5']);
    expect(writes.every((w) => JSON.parse(w.body!).runId === 'run-1' && w.params.tags?.op === 'write')).toBe(true);
    // The sequence id rides on the samples' metadata during the request (reads too, to tie a failed read
    // check to its request), and is removed after it.
    expect(writes.map((w) => w.metadata.seq)).toEqual(['0', '5']);
    expect(g.sent.filter((r) => r.method === 'GET').map((r) => r.metadata.seq)).toEqual(['1', '2', '3', '4', '6', '7', '8', '9']);
    expect(g.sent.filter((r) => r.method === 'GET').every((r) => r.params.tags?.op === 'read' && r.url === 'http://lab:8080/items?limit=1000')).toBe(true);
    // The lab's API: sequence-marked writes go to POST /writes.
    expect(writes.every((w) => w.url === 'http://lab:8080/writes')).toBe(true);
    // Every request may hang for the whole timeout (5 s) in an outage: VUs for rate × timeout, with margin.
    expect(g.options.scenarios.gameday.preAllocatedVUs).toBeGreaterThanOrEqual(50 * 5);
    expect(g.counters.map((c) => [c.name, c.metadata.seq])).toEqual([['solida_write_acked', '0'], ['solida_write_acked', '5']]);
    expect(g.exec.vu.metrics.metadata).toEqual({});
    // A write that is not acknowledged is not counted.
    g.setStatus(503);
    g.iterate(1, data);
    expect(g.counters).toHaveLength(2);
  });

  it('game-day script: a read that answers 200 with the wrong rows is counted as incorrect (corruption, stale data)', () => {
    const g = loadScript(renderGamedayK6Script('pitr'), { TARGET: 'http://lab:8080', CHECK_PREFIX: 'run-item-', CHECK_ROWS: '3', WRITE_EVERY: '100', REQUEST_TIMEOUT: '2000ms' });
    expect(g.options.scenarios.gameday.preAllocatedVUs).toBeGreaterThanOrEqual(50 * 2);
    const known = [1, 2, 3].map((i) => ({ name: `run-item-${i}`, quantity: i }));
    g.setItems(known);
    g.iterate(3, { runId: 'r' });
    expect(g.sent.at(-1)!.url).toBe('http://lab:8080/items?limit=1000&prefix=run-item-');
    expect(g.counters.filter((c) => c.name === 'solida_read_incorrect')).toEqual([]);
    g.setItems(known.slice(0, 2)); // a bad bulk delete
    g.iterate(3, { runId: 'r' });
    g.setItems([known[0], known[1], { name: 'run-item-3', quantity: 7 }]); // a bad update
    g.iterate(2, { runId: 'r' });
    // Iterations 1 and 2 are reads (0 is a write): 3 reads saw wrong rows, each tied to its request's seq.
    expect(g.counters.filter((c) => c.name === 'solida_read_incorrect').map((c) => c.metadata.seq)).toEqual(['1', '2', '1']);
  });

  it('a multi-service model without --service gives game days no SLO thresholds', () => {
    const g = loadScript(files.find((f) => f.path === 'gameday/pitr.js')!.content);
    expect(g.options.thresholds).toEqual({ dropped_iterations: ['count<1'] });
    expect(g.options.scenarios.gameday.duration).toBe('30m');
  });
});

describe('checked-in loadtests/', () => {
  it('are exactly what the renderer produces, and valid JavaScript', () => {
    const names = readdirSync(join(ROOT, 'loadtests')).filter((f) => f.endsWith('.js')).sort();
    expect(names).toEqual(Object.keys(GAMEDAY_SCENARIOS).map((s) => `${s}.js`).sort());
    for (const s of Object.keys(GAMEDAY_SCENARIOS) as GamedayScenario[]) {
      const content = readFileSync(join(ROOT, 'loadtests', `${s}.js`), 'utf8');
      expect(content, `loadtests/${s}.js drifted: regenerate it`).toBe(renderGamedayK6Script(s));
      const file = join(tmp(), `${s}.mjs`);
      copyFileSync(join(ROOT, 'loadtests', `${s}.js`), file);
      expect(spawnSync(process.execPath, ['--check', file]).status).toBe(0);
      expect(loadScript(content).options.scenarios.gameday.executor).toBe('constant-arrival-rate');
    }
  });
});

describe('solida generate k6 (command)', () => {
  it('writes the scripts for a YAML config', async () => {
    const dir = tmp();
    const config = join(dir, 'slo.yaml');
    writeFileSync(config, `services: [{ name: items }]
slos:
  - service: items
    name: availability
    objective: 99.5
    sli: { golden: { signal: availability } }
`);
    const out = join(dir, 'k6');
    const r = await runCli(['generate', 'k6', '--config', config, '--out', out]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['gameday', 'items.k6.js']);
    expect(readdirSync(join(out, 'gameday')).sort()).toEqual(['az-failure.js', 'pitr.js', 'region-failover.js']);
    const s = loadScript(readFileSync(join(out, 'items.k6.js'), 'utf8'));
    expect(s.options.thresholds.http_req_failed).toEqual(['rate<0.005']);
    const bad = await runCli(['generate', 'k6', '--config', config, '--out', join(dir, 'none'), '--service', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no SLOs for service nope/);
    expect(bad.stderr).toMatch(/--service: no SLO names this service\n\s+fix: pass --service with one of: items\n/);
  });
});
