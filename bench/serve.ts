// `solida serve` with 1,000 SLOs: how long one refresh of every SLO takes against a real Prometheus, and
// how long Chromium takes to show the list (navigation to a laid-out table of 1,000 rows) and to apply a
// live update. Ratios are against 10 SLOs in the same run; the goal is a list shown in under 1 s.
// Run: npm run bench:serve [-- --one-by-one]   (needs prometheus, promtool and chromium, as `npm test` sets up;
// --one-by-one adds the refresh as it was before batched reads, for the ratio)
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { configSchema, type SolidaConfig } from '../src/slo/config.ts';
import { normalizeConfig } from '../src/slo/normalize.ts';
import { findBinary } from '../src/util/binaries.ts';
import { freePort } from '../src/lab/ports.ts';
import { PrometheusBackend } from '../src/serve/prometheus-backend.ts';
import { startView } from '../src/serve/server.ts';

const JOBS = 20;
const need = (name: string) => findBinary(name) ?? (() => { throw new Error(`${name} not found: run npm test once (its set-up installs it)`); })();

async function startPrometheus(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const now = Math.floor(Date.now() / 1000);
  const start = now - 86_400;
  const lines = ['# TYPE http_requests counter'];
  for (let j = 0; j < JOBS; j++) {
    const errorRate = (j % 5) * 0.01; // 0%, 1%, 2%, 3%, 4% of 10 req/s
    for (const [code, rate] of [['200', 10 - errorRate * 10], ['500', errorRate * 10]] as const) {
      for (let t = start; t <= now - 60; t += 60) lines.push(`http_requests_total{job="job${j}",code="${code}"} ${(t - start) * rate} ${t}`);
    }
  }
  lines.push('# EOF');
  writeFileSync(join(dir, 'data.om'), `${lines.join('\n')}\n`);
  execFileSync(need('promtool'), ['tsdb', 'create-blocks-from', 'openmetrics', '-q', join(dir, 'data.om'), join(dir, 'tsdb')], { maxBuffer: 1 << 26 });
  writeFileSync(join(dir, 'prometheus.yml'), 'global: {}\nscrape_configs: []\n');
  const port = await freePort();
  const child = spawn(need('prometheus'), [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, '--storage.tsdb.retention.time=100y', `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    if ((await fetch(`${url}/-/ready`).catch(() => undefined))?.ok) return { url, child };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('prometheus did not start');
}

function model(n: number) {
  const config = {
    services: Array.from({ length: JOBS }, (_, j) => ({ name: `svc${j}` })),
    slos: Array.from({ length: n }, (_, i) => ({
      service: `svc${i % JOBS}`,
      name: `slo-${i}`,
      objective: [99, 99.5, 99.9, 99.95][i % 4],
      window: i % 3 === 0 ? { calendar: 'month' } : '30d',
      sli: { events: { errors: `http_requests_total{job="job${i % JOBS}",code=~"5.."}`, total: `http_requests_total{job="job${i % JOBS}"}` } },
    })),
  } as SolidaConfig;
  const { model, problems } = normalizeConfig(configSchema.parse(config) as SolidaConfig, 'bench');
  if (problems.length) throw new Error(JSON.stringify(problems));
  return model;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The same backend without batched reads: every SLO's counts one query pair at a time (before batching). */
function oneByOne(backend: PrometheusBackend): PrometheusBackend {
  const budget = backend.budget;
  return Object.assign(Object.create(backend) as PrometheusBackend, {
    budget: { supports: budget.supports.bind(budget), events: budget.events.bind(budget), steps: budget.steps.bind(budget) },
  });
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'solida-bench-serve-'));
  console.log(`load average at start: ${load()} (${cpus().length} cores)`);
  const prom = await startPrometheus(dir);
  const browser = await chromium.launch({ executablePath: need('chromium'), args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  const results: Record<number, { refresh: number; list: number; update: number; bytes: number }> = {};
  try {
    for (const n of [10, 1000]) {
      const backend = new PrometheusBackend(prom.url);
      const view = await startView(model(n), backend, { port: 0, refreshSeconds: 3600, concurrency: 8 });
      await view.ready;
      const refresh: number[] = [];
      for (let i = 0; i < 3; i++) refresh.push((await view.live.refresh()).tookMs!);
      if (view.live.current().rows.some((r) => r.sli === null)) throw new Error('some SLOs have no figures: the bench data is wrong');
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const list: number[] = [];
      const update: number[] = [];
      let bytes = 0;
      const phases: { response: number; parsed: number; shown: number }[] = [];
      const swap: number[] = [];
      const allLaidOut: number[] = [];
      let replaced = 0;
      for (let i = 0; i < 5; i++) {
        const t0 = Date.now();
        await page.goto(`${view.url}/`, { waitUntil: 'commit' });
        // Shown: every row is in the table and the last one has a size on screen (layout done).
        await page.waitForFunction((rows) => { const all = document.querySelectorAll('table.slos tbody tr'); return all.length === rows && all[rows - 1].getBoundingClientRect().height > 0; }, n, { polling: 'raf' });
        list.push(Date.now() - t0);
        // Where the time goes: the server's answer, the HTML parsed, then style and layout until the last row shows.
        phases.push(await page.evaluate(() => {
          const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
          return { response: nav.responseEnd, parsed: nav.domInteractive, shown: performance.now() };
        }));
        bytes = (await (await fetch(`${view.url}/`)).text()).length;
        // A live update after a refresh on the server, as the page's script does it every refresh (fetch the main
        // part, keep the rows whose digest did not change); then, for the ratio, the whole main part swapped as
        // the page did before.
        await view.live.refresh();
        const live = await page.evaluate(async () => {
          // (no named functions in here: the bench runner would wrap them in a helper the page lacks)
          for (const r of Array.from(document.querySelectorAll('table.slos tbody tr')) as (HTMLElement & { kept?: boolean })[]) r.kept = true;
          const t = performance.now();
          await (window as unknown as { solidaRefresh(): Promise<void> }).solidaRefresh();
          const after = Array.from(document.querySelectorAll('table.slos tbody tr')) as (HTMLElement & { kept?: boolean })[];
          after.at(-1)!.getBoundingClientRect();
          return { ms: performance.now() - t, replaced: after.filter((r) => !r.kept).length };
        });
        update.push(live.ms);
        replaced = live.replaced;
        swap.push(await page.evaluate(async () => {
          const t = performance.now();
          const r = await fetch(location.pathname, { headers: { 'x-solida-fragment': '1' } });
          document.querySelector('main')!.innerHTML = await r.text();
          document.querySelector('table.slos tbody tr:last-child')!.getBoundingClientRect();
          return performance.now() - t;
        }));
      }
      // Every row laid out, as without content-visibility (the page as it is, with that one rule turned off).
      await page.addInitScript(() => document.addEventListener('DOMContentLoaded', () => document.head.insertAdjacentHTML('beforeend', '<style>table.slos tbody tr{content-visibility:visible!important}</style>')));
      for (let i = 0; i < 3; i++) {
        const t0 = Date.now();
        await page.goto(`${view.url}/`, { waitUntil: 'commit' });
        await page.waitForFunction((rows) => { const all = document.querySelectorAll('table.slos tbody tr'); return all.length === rows && all[rows - 1].getBoundingClientRect().height > 0 && getComputedStyle(all[0]).contentVisibility === 'visible'; }, n, { polling: 'raf' });
        allLaidOut.push(Date.now() - t0);
      }
      await page.close();
      await view.close();
      results[n] = { refresh: median(refresh), list: median(list), update: Math.round(median(update)), bytes };
      const mid = (k: 'response' | 'parsed' | 'shown') => Math.round(median(phases.map((p) => p[k])));
      console.log(`${String(n).padStart(5)} SLOs: refresh of every SLO ${median(refresh)} ms · list shown in Chromium ${median(list)} ms (page ${Math.round(bytes / 1024)} KiB) · live update ${Math.round(median(update))} ms (${replaced} rows replaced)`);
      console.log(`       in Chromium (ms from navigation start, medians): response received ${mid('response')} · HTML parsed ${mid('parsed')} · last row laid out ${mid('shown')}`);
      console.log(`       for the ratio: every row laid out (content-visibility off) ${median(allLaidOut)} ms · live update swapping the whole main part ${Math.round(median(swap))} ms`);
    }
    const big = results[1000];
    const small = results[10];
    console.log(`ratios 1000/10: refresh ${(big.refresh / small.refresh).toFixed(1)}×, list ${(big.list / small.list).toFixed(1)}×, update ${(big.update / Math.max(1, small.update)).toFixed(1)}×`);
    if (process.argv.includes('--one-by-one')) {
      // Before batching: 1,000 SLOs read with two queries per SLO and window (slow: about a minute or more).
      const view = await startView(model(1000), oneByOne(new PrometheusBackend(prom.url)), { port: 0, refreshSeconds: 3600, concurrency: 8 });
      await view.ready;
      const before = (await view.live.refresh()).tookMs!;
      await view.close();
      console.log(`1000 SLOs, one query pair per SLO and window (before batching): refresh ${before} ms — batched is ${(big.refresh / before).toFixed(3)}× that`);
    }
    console.log(`goal: 1,000 SLOs listed in < 1 s — ${big.list < 1000 ? 'met' : 'MISSED'} (${big.list} ms, median of 5)`);
    console.log(`load average at end: ${load()}`);
  } finally {
    await browser.close();
    prom.child.kill('SIGTERM');
    await new Promise((r) => prom.child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
