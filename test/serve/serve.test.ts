/// <reference lib="dom" />
// `solida serve` in real Chromium against a real Prometheus that scrapes live counters and evaluates
// the generated rules: a healthy SLO, one burning now (alerts firing), one without data. Assertions are on
// what a person sees: the figures, the states, the legend, no reload, no overflow on a phone.
import { mkdtempSync, rmSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { generatePrometheusRules } from '../../src/prometheus/rules.ts';
import { PrometheusBackend } from '../../src/serve/prometheus-backend.ts';
import { startView, type RunningView } from '../../src/serve/server.ts';
import { modelOf } from '../prometheus/harness.ts';
import { eventually, everyGroupEvery, startLivePrometheus, type LivePrometheus } from './live-prometheus.ts';
import { CONFIG, HISTORY_SECONDS, JOBS } from './scenario.ts';
import { launchChromium, screenshotPath } from './chromium.ts';

const model = modelOf(CONFIG);
const dir = mkdtempSync(join(tmpdir(), 'solida-serve-test-'));
let prom: LivePrometheus;
let view: RunningView;
let browser: Browser;
const external: string[] = [];

beforeAll(async () => {
  prom = await startLivePrometheus(JOBS, HISTORY_SECONDS, everyGroupEvery(generatePrometheusRules(model), '2s'));
  const gamedays = join(dir, 'gamedays');
  mkdirSync(gamedays);
  copyFileSync(join(import.meta.dirname, '../fixtures/gameday/az-failure.json'), join(gamedays, 'az-failure.json'));
  view = await startView(model, new PrometheusBackend(prom.url), { port: 0, refreshSeconds: 2, gamedayDir: gamedays });
  // The generated rules fire search's page alert on their first evaluations.
  await eventually('search alerts firing', 30_000, async () => {
    const s = await view.live.refresh();
    return s.rows.find((r) => r.id === 'search-availability')?.alerts?.some((a) => a.tier === 'page-1h' && a.state === 'firing') ? true : undefined;
  });
  browser = await launchChromium();
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await view?.close();
  await prom?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function open(path: string, width = 1280, height = 900): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('request', (r) => {
    if (!r.url().startsWith(view.url)) external.push(r.url());
  });
  await page.goto(`${view.url}${path}`);
  return page;
}

const cells = (page: Page, id: string) =>
  page.$eval(`tr[data-id="${id}"]`, (tr) => Object.fromEntries(Array.from(tr.querySelectorAll("td")).map((td) => [td.dataset.label ?? '', (td as HTMLElement).innerText.replace(/\s+/g, ' ').trim()])));

describe('solida serve: the list', () => {
  it('shows every SLO with its figures, state and alerts', async () => {
    const page = await open('/');
    const ids = await page.$$eval('table.slos tbody tr', (trs) => trs.map((t) => (t as HTMLElement).dataset.id));
    expect(ids).toHaveLength(4);
    // Worst first: search (feature freeze, firing) on top, the healthy ones last.
    expect(ids[0]).toBe('search-availability');

    const checkout = await cells(page, 'checkout-availability');
    // 0.01 of 50 req/s fail: SLI 99.98%, 0.2× burn, 20% of the budget used.
    expect(checkout.Service).toBe('checkout');
    expect(checkout.Objective).toBe('99.9%');
    expect(checkout.Window).toBe('30d rolling');
    expect(checkout['SLI now']).toBe('99.980%');
    expect(checkout['Budget left']).toBe('80.0%');
    expect(checkout['Burn 1h']).toBe('0.20×');
    expect(checkout.Alerts).toBe('none');
    expect(checkout.Policy).toBe('OK');
    expect((await cells(page, 'checkout-monthly')).Window).toBe('calendar month');

    const search = await cells(page, 'search-availability');
    // Last hour: 20 min at 0.1% and 40 min at 20% errors = 13.4% → about 26.7× a 0.5% budget.
    const burn = Number(search['Burn 1h'].replace('×', ''));
    expect(burn).toBeGreaterThan(25);
    expect(burn).toBeLessThan(29);
    expect(search.Policy).toBe('FEATURE FREEZE');
    expect(search.Alerts).toContain('page-1h firing');
    expect(search['Burn per tier']).toMatch(/page-1h: \d+\.\d\d× · \d+\.\d\d× ≥ 14\.4×/);

    const inventory = await cells(page, 'inventory-availability');
    expect(inventory['SLI now']).toBe('no data');
    expect(inventory['Budget left']).toBe('no data');
    expect(inventory.Policy).toBe('NO DATA');
    expect(inventory.Alerts).toBe('no-data pending');

    await page.screenshot({ path: screenshotPath(dir, 'serve-list.png'), fullPage: true });
    await page.close();
  });

  it('sorts and filters without reloading the page, and keeps the choice in the URL', async () => {
    const page = await open('/');
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await page.click('th a:text("Budget left")');
    await page.waitForURL(/sort=budget&dir=asc/);
    await page.waitForFunction(() => document.querySelector('table.slos tbody tr')?.getAttribute('data-id') === 'search-availability');
    // No data sorts last in either direction.
    expect(await page.$$eval('table.slos tbody tr', (t) => t.map((x) => (x as HTMLElement).dataset.id))).toEqual(['search-availability', 'checkout-availability', 'checkout-monthly', 'inventory-availability']);
    await page.selectOption('select[name="service"]', 'checkout');
    await page.waitForFunction(() => document.querySelectorAll('table.slos tbody tr').length === 2);
    expect(page.url()).toMatch(/service=checkout/);
    await page.selectOption('select[name="service"]', '');
    await page.selectOption('select[name="state"]', 'firing');
    await page.waitForFunction(() => document.querySelectorAll('table.slos tbody tr').length === 1);
    expect(await page.$eval('table.slos tbody tr', (t) => (t as HTMLElement).dataset.id)).toBe('search-availability');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    await page.close();
  });

  it('updates live: the status line moves on without a reload', async () => {
    const page = await open('/');
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
    const first = Number(await page.getAttribute('#status', 'data-version'));
    await page.waitForFunction((v) => Number(document.querySelector('#status')?.getAttribute('data-version')) > v, first, { timeout: 15_000 });
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
    await page.close();
  });

  it('updates live row by row: keeps each row whose figures did not change, replaces the others', async () => {
    const page = await open('/');
    type Row = HTMLElement & { kept?: boolean };
    const before = await page.$$eval('table.slos tbody tr', (trs) => Object.fromEntries(trs.map((t) => { (t as Row).kept = true; return [(t as Row).dataset.id, (t as Row).dataset.h]; })));
    const first = Number(await page.getAttribute('#status', 'data-version'));
    await page.waitForFunction((v) => Number(document.querySelector('#status')?.getAttribute('data-version')) > v, first, { timeout: 15_000 });
    const after = await page.$$eval('table.slos tbody tr', (trs) => trs.map((t) => ({ id: (t as Row).dataset.id!, h: (t as Row).dataset.h, kept: (t as Row).kept === true })));
    // The healthy SLOs' figures (99.980 %, 80.0 %, 0.20×) hold from one refresh to the next: their rows stay
    // the same elements (not re-parsed, not re-laid out); a row whose digest changed is a new element.
    expect(after.map((r) => r.id).sort()).toEqual(Object.keys(before).sort());
    for (const r of after) expect({ id: r.id, kept: r.kept }).toEqual({ id: r.id, kept: before[r.id] === r.h });
    expect(after.find((r) => r.id === 'checkout-availability')?.kept).toBe(true);
    await page.close();
  });

  it('fits a 375 px phone screen', async () => {
    const page = await open('/', 375, 812);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await page.isVisible('tr[data-id="search-availability"] td[data-label="Policy"]')).toBe(true);
    await page.screenshot({ path: screenshotPath(dir, 'serve-list-phone.png'), fullPage: true });
    await page.close();
  });
});

describe('solida serve: the detail page', () => {
  it('shows the burning SLO: figures, legends, tier charts against thresholds, explain figures and queries', async () => {
    const page = await open('/slo/search-availability');
    expect(await page.textContent('h1')).toContain('FEATURE FREEZE');
    const legends = await page.$$eval('ul.legend li', (l) => l.map((x) => (x as HTMLElement).innerText.trim()));
    expect(legends).toContain('budget remaining (measured)');
    expect(legends).toContain('even spend to 0 at the window close');
    expect(legends).toContain('requests');
    expect(legends).toContain('errors');
    // page-1h fires at 14.4 × 0.5% = 7.2% errors; page-6h at 6 × 0.5% = 3%.
    expect(legends).toContain('alert threshold (7.2%)');
    expect(legends).toContain('alert threshold (3%)');
    expect(legends).toContain('error ratio over 1h');
    // The burn-down is drawn from the first real sample (two days ago), not from the window's start: the
    // line spans the plot. Measured in one evaluation: the page swaps its main part in every refresh (2 s
    // here), and an element found in one round trip and measured in the next may be detached by then
    // (a detached element measures 0 × 0 — the 0 px this check once saw).
    const { plot, line } = await page.evaluate(() => {
      const svg = document.querySelector('.card:has(polyline.burn-down) svg.chart')!;
      const lines = Array.from(svg.querySelectorAll('polyline.burn-down')).map((l) => l.getBoundingClientRect());
      return { plot: svg.querySelector('rect')!.getBoundingClientRect().width, line: Math.max(...lines.map((r) => r.right)) - Math.min(...lines.map((r) => r.left)) };
    });
    expect(plot).toBeGreaterThan(200);
    expect(line / plot).toBeGreaterThan(0.9);
    // The 5m ratio line sits above the page-1h threshold at its right end (20% errors now).
    const tier = page.locator('figure', { hasText: 'Tier page-1h' });
    const [shortY, thresholdY] = await Promise.all([
      tier.locator('polyline.short').evaluate((l) => { const p = (l as SVGPolylineElement).points; return p.getItem(p.numberOfItems - 1).y; }),
      tier.locator('line.threshold').evaluate((l) => Number(l.getAttribute('y1'))),
    ]);
    expect(shortY).toBeLessThan(thresholdY);
    const tiers = await page.$eval('table.tiers', (t) => (t as HTMLElement).innerText);
    // page-1h: 7.2% of 1h = 259 s to detect a total outage (4.3 min); resets 5m × (1 − 0.072) = 4.6 min after.
    expect(tiers).toMatch(/page-1h\s*page\s*14\.4×/);
    expect(tiers).toContain('detects a total outage in 4.3 min; resets 4.6 min after recovery');
    const queries = await page.$$eval('pre', (p) => p.map((x) => x.textContent));
    expect(queries).toContain('slo:sli_error:ratio_rate5m{sloth_id="search-availability"}');
    expect(queries.some((q) => q?.includes('slo:sli_error:ratio_rate1h{sloth_id="search-availability"}') && q.includes('14.4'))).toBe(true);
    await page.screenshot({ path: screenshotPath(dir, 'serve-detail.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await page.close();
  });

  it('shows the latest game day of the service and the no-data state', async () => {
    const page = await open('/slo/inventory-availability');
    const text = await page.innerText('main');
    expect(text).toContain('NO DATA');
    expect(text).toContain('no data over the window');
    // The lab's az-failure report in the fixtures: RTO 15 s of 2 min, detected in 3.5 s.
    const row = await page.innerText('tr:has-text("az-failure")');
    expect(row).toMatch(/PASS/);
    expect(row).toContain('15 s of 2 min met');
    expect(row).toContain('3.5 s');
    await page.close();
  });

  it('fits a 375 px phone screen', async () => {
    const page = await open('/slo/search-availability', 375, 812);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: screenshotPath(dir, 'serve-detail-phone.png'), fullPage: true });
    await page.close();
  });
});

describe('solida serve: when Prometheus goes down', () => {
  it('says so on the open page and keeps the last figures', async () => {
    const page = await open('/');
    const before = await cells(page, 'checkout-availability');
    await prom.stopPrometheus();
    await page.waitForSelector('.banner', { timeout: 20_000 });
    expect(await page.innerText('.banner')).toMatch(/^Prometheus at http:\/\/127\.0\.0\.1:\d+ cannot be read since \d\d:\d\d:\d\d UTC: \S/);
    const after = await cells(page, 'checkout-availability');
    expect(after['SLI now']).toBe(before['SLI now']);
    expect(after.Policy).toMatch(/^OK \(as of \d\d:\d\d:\d\d UTC\)$/);
    await page.screenshot({ path: screenshotPath(dir, 'serve-prometheus-down.png') });
    await page.close();
    // Nothing was fetched from anywhere but the view itself.
    expect(external).toEqual([]);
  });
});
