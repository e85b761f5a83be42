/// <reference lib="dom" />
// The budget report against a real Prometheus holding a hand-made history. Every expected figure is
// worked out in the comments from the traffic below, not taken from the code.
//
// History (UTC), samples every 60s from Mon 2026-11-02 00:00 for 9 days, 100 req/s throughout:
//   A: Tue 11-03 10:00–10:30 (1800 s): 10 of the 100 req/s fail → 18,000 errors
//   B: Mon 11-09 11:00–12:00 (3600 s):  2 of the 100 req/s fail →  7,200 errors
// Reports are taken at Mon 11-09 12:00 (the end of burst B).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { SolidaConfig, SloConfig } from '../../src/slo/config.ts';
import { collectReports, type CollectResult } from '../../src/budget/collect.ts';
import type { SloBudgetReport } from '../../src/budget/arithmetic.ts';
import { PrometheusSource } from '../../src/budget/sources/prometheus.ts';
import { registerReportCommands } from '../../src/cli/commands/report.ts';
import { modelOf } from '../prometheus/harness.ts';
import { openMetrics, startTestPrometheus, type TestPrometheus } from '../support/prometheus.ts';
import { binary } from '../support/binaries.ts';

const T0 = Date.UTC(2026, 10, 2) / 1000; // Monday
const H = 3600;
const D = 86_400;
const AT = new Date((T0 + 7 * D + 12 * H) * 1000); // 2026-11-09T12:00:00Z

const history = openMetrics(T0, 9 * D, 60, [
  { from: 0, to: D + 10 * H, okPerSecond: 100, errorsPerSecond: 0 },
  { from: D + 10 * H, to: D + 10 * H + 1800, okPerSecond: 90, errorsPerSecond: 10 },
  { from: D + 10 * H + 1800, to: 7 * D + 11 * H, okPerSecond: 100, errorsPerSecond: 0 },
  { from: 7 * D + 11 * H, to: 7 * D + 12 * H, okPerSecond: 98, errorsPerSecond: 2 },
  { from: 7 * D + 12 * H, to: 9 * D + 1, okPerSecond: 100, errorsPerSecond: 0 },
]);

const events = (job: string) => ({ events: { errors: `http_requests_total{job="${job}",code=~"5.."}`, total: `http_requests_total{job="${job}"}` } });
const tiers = {
  tiers: {
    'page-1h': { longWindow: '1h', shortWindow: '5m', burnRate: 14.4 },
    'page-6h': { longWindow: '6h', shortWindow: '30m', burnRate: 6 },
    'ticket-1d': { enabled: false },
    'ticket-3d': { enabled: false },
  },
  noData: { enabled: false },
};
const slo = (name: string, objective: number, window: SloConfig['window'], job = 'api'): SloConfig =>
  ({ service: job, name, objective, window, sli: events(job), alerting: tiers }) as SloConfig;
const config: SolidaConfig = {
  services: [{ name: 'api' }, { name: 'ghost' }],
  slos: [
    slo('avail', 99.9, '7d'),
    slo('monthly', 99.5, { calendar: 'month' }),
    slo('freeze', 99.95, '7d'),
    slo('fixes', 99.99, '7d'),
    slo('weekly', 99.9, { calendar: 'week' }),
    slo('missing', 99.9, '7d', 'ghost'),
  ],
} as SolidaConfig;

/** Relative closeness: Prometheus' rate() may round, the hand figures are exact. */
function near(actual: number | null | undefined, expected: number, rel = 2e-3): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(Math.abs(expected) * rel + 1e-9);
}

let prom: TestPrometheus;
let current: CollectResult;
const byId = (r: CollectResult, id: string): SloBudgetReport => {
  const e = r.entries.find((x) => x.report.id === id);
  if (!e) throw new Error(`no report for ${id}`);
  return e.report;
};

beforeAll(async () => {
  prom = await startTestPrometheus({ history });
  current = await collectReports(modelOf(config), new PrometheusSource(prom.url), { at: AT, burnDown: true });
}, 120_000);

afterAll(async () => {
  await prom?.stop();
});

describe('solida report on a real Prometheus', () => {
  it('7d rolling at 99.9%: SLI, budget, consumption, burn rates and time to exhaustion', () => {
    const r = byId(current, 'api-avail');
    // Window 11-02 12:00 → 11-09 12:00 holds both bursts: 25,200 errors of 604,800 s × 100 = 60,480,000.
    expect(r.window.start).toBe('2026-11-02T12:00:00.000Z');
    expect(r.window.end).toBe('2026-11-09T12:00:00.000Z');
    near(r.events.total, 60_480_000);
    near(r.events.errors, 25_200);
    near(r.sli, 1 - 25_200 / 60_480_000); // 0.99958333
    // Budget 0.1% of 60,480,000 = 60,480 errors; 25,200 / 60,480 = 41.667% consumed.
    near(r.budget.events, 60_480);
    near(r.consumed, 0.416667);
    near(r.budgetRemaining, 0.583333);
    // 0.1% of 7 days = 10.08 min of budget; 41.667% of it = 4.2 min.
    near(r.budget.minutes, 10.08);
    near(r.consumedMinutes, 4.2);
    // Last hour: 2% errors / 0.1% = burn 20. 6h: 7,200 / 2,160,000 = 0.333% → 3.33.
    near(r.currentBurnRate.burnRate, 20);
    const page1h = r.burnRates.find((t) => t.tier === 'page-1h')!;
    const page6h = r.burnRates.find((t) => t.tier === 'page-6h')!;
    near(page1h.long.burnRate, 20);
    near(page1h.short.burnRate, 20);
    expect(page1h.burning).toBe(true); // 20 ≥ 14.4 on both windows
    near(page6h.long.burnRate, 10 / 3);
    near(page6h.short.burnRate, 20);
    expect(page6h.burning).toBe(false); // 3.33 < 6 on the long window
    // Remaining 58.333% of a 7d budget at burn 20: 0.583333 × 604,800 / 20 = 17,640 s (4.9 h).
    near(r.timeToExhaustionSeconds, 17_640);
    // 41.7% burned in the last week (the window itself) is under the 50% freeze line.
    expect(r.policy.status).toBe('ok');
    near(r.policy.weekConsumed, 0.416667);
  });

  it('calendar month: measured from the 1st, scaled to a 30-day budget', () => {
    const r = byId(current, 'api-monthly');
    // 11-01 00:00 → 11-09 12:00, but data begins 11-02 00:00: 7.5 d × 86,400 × 100 = 64,800,000 events.
    expect(r.window.start).toBe('2026-11-01T00:00:00.000Z');
    expect(r.window.close).toBe('2026-12-01T00:00:00.000Z');
    near(r.events.total, 64_800_000);
    near(r.events.errors, 25_200);
    // 25,200 / 64,800,000 = 0.038889% errors over a 0.5% budget = 7.7778% consumed.
    near(r.consumed, 0.0777778);
    // November has 30 days: 0.5% × 43,200 min = 216 min of budget.
    near(r.budget.minutes, 216);
    // Last 7 days burn 0.041667% / 0.5% = 0.08333, times 7/30 of the period = 1.944% of the budget.
    near(r.policy.weekConsumed, 0.0194444);
    expect(r.policy.status).toBe('ok');
    // Burn 2% / 0.5% = 4: 92.222% × 2,592,000 s / 4 = 597,600 s.
    near(r.timeToExhaustionSeconds, 597_600);
  });

  it('policy: over half the budget in a week freezes features; the whole budget allows fixes only', () => {
    // 99.95%: 0.041667% errors / 0.05% = 83.3% burned, all within the last week → feature freeze.
    const freeze = byId(current, 'api-freeze');
    near(freeze.consumed, 0.833333);
    expect(freeze.policy.status).toBe('feature-freeze');
    expect(freeze.policy.reason).toMatch(/83\.3% .*last 7 days/);
    // 99.99%: 0.041667% / 0.01% = 416.7% burned → fixes only, budget gone (remaining -316.7%).
    const fixes = byId(current, 'api-fixes');
    near(fixes.consumed, 4.16667);
    near(fixes.budgetRemaining, -3.16667);
    expect(fixes.timeToExhaustionSeconds).toBe(0);
    expect(fixes.policy.status).toBe('fixes-only');
  });

  it('an SLI without series is missing data, never 100% good', () => {
    const r = byId(current, 'ghost-missing');
    expect(r.sli).toBeNull();
    expect(r.consumed).toBeNull();
    expect(r.budgetRemaining).toBeNull();
    expect(r.events.total).toBeNull();
    expect(r.currentBurnRate.burnRate).toBeNull();
    expect(r.policy.status).toBe('no-data');
    expect(current.entries.find((e) => e.report.id === 'ghost-missing')!.burnDown).toEqual([]);
  });

  it('calendar week: current week from Monday, and the previous week', async () => {
    // Current week: Mon 11-09 00:00 → 12:00 = 4,320,000 events, 7,200 errors (burst B) → 0.1667% / 0.1% = 166.7%.
    const week = byId(current, 'api-weekly');
    expect(week.window.start).toBe('2026-11-09T00:00:00.000Z');
    near(week.events.total, 4_320_000);
    near(week.consumed, 1.666667);
    expect(week.policy.status).toBe('fixes-only');
    // Previous week: 11-02 00:00 → 11-09 00:00, burst A only: 18,000 / 60,480,000 / 0.1% = 29.76%.
    const model = modelOf({ ...config, slos: [config.slos[4]] } as SolidaConfig);
    const previous = await collectReports(model, new PrometheusSource(prom.url), { at: AT, period: 'previous' });
    const r = previous.entries[0].report;
    expect(r.window.start).toBe('2026-11-02T00:00:00.000Z');
    expect(r.window.end).toBe('2026-11-09T00:00:00.000Z');
    near(r.events.errors, 18_000);
    near(r.consumed, 0.297619);
  });

  it('burn-down: untouched until burst A, 70.2% after it, 58.3% at the end', () => {
    const points = current.entries.find((e) => e.report.id === 'api-avail')!.burnDown!;
    // 120 steps of 5,040 s over 7 days, each a real sample: no point is made up at the window's start.
    expect(points).toHaveLength(120);
    expect(points[0].t).toBe(Date.parse('2026-11-02T12:00:00Z') + 5040 * 1000);
    const burstA = (T0 + D + 10 * H) * 1000;
    const before = points.filter((p) => p.t <= burstA);
    const after = points.filter((p) => p.t >= burstA + 1800 * 1000 + 5040 * 1000 && p.t < (T0 + 7 * D + 11 * H) * 1000);
    for (const p of before) near(p.remaining, 1);
    // 1 - 18,000 / 60,480 = 0.702381
    for (const p of after) near(p.remaining, 0.702381);
    near(points.at(-1)!.remaining, 0.583333);
  });

  it('burn-down of a window that began before the data: it starts at the first sample', () => {
    // The month began 11-01 00:00, the history on 11-02 00:00: the first 6-hour step with data ends 11-02 06:00.
    const points = current.entries.find((e) => e.report.id === 'api-monthly')!.burnDown!;
    expect(points[0].t).toBe(Date.parse('2026-11-02T06:00:00Z'));
    near(points[0].remaining, 1);
  });
});

describe('solida report CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'solida-report-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cfgFile = join(dir, 'solida.yaml');
  writeFileSync(cfgFile, stringify({ services: config.services, slos: [config.slos[0], config.slos[1], config.slos[5], config.slos[3]] }));

  async function cli(args: string[]): Promise<void> {
    const program = new Command('solida').exitOverride();
    registerReportCommands(program);
    await program.parseAsync(['report', '--url', prom.url, '--config', cfgFile, '--at', AT.toISOString(), ...args], { from: 'user' });
  }

  it('--format json writes the stable per-SLO fields', async () => {
    const out = join(dir, 'report.json');
    await cli(['--format', 'json', '--out', out]);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { schema: string; at: string; slos: Record<string, unknown>[] };
    expect(doc.schema).toBe('solida.report/v1');
    expect(doc.at).toBe('2026-11-09T12:00:00.000Z');
    expect(doc.slos.map((s) => s.id)).toEqual(['api-avail', 'api-monthly', 'ghost-missing', 'api-fixes']);
    for (const s of doc.slos) for (const k of ['id', 'objective', 'window', 'sli', 'budgetRemaining', 'consumed', 'burnRates', 'policy']) expect(s).toHaveProperty(k);
    expect(doc.slos[0].objective).toBe(99.9);
    near(doc.slos[0].budgetRemaining as number, 0.583333);
    expect(doc.slos[2].sli).toBeNull();
    expect((doc.slos[2].policy as { status: string }).status).toBe('no-data');
  });

  it('--format html is one self-contained page: summary table, a burn-down with a legend per SLO with data', async () => {
    const out = join(dir, 'report.html');
    await cli(['--format', 'html', '--out', out]);
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg [^>]*class="chart"/g)).toHaveLength(4);
    expect(html.match(/<polyline class="actual"/g)).toHaveLength(3);
    expect(html.match(/<line class="ideal"/g)).toHaveLength(4);
    expect(html).not.toMatch(/<script|<link|src=|href="http/);
    expect(html).toContain('NO DATA');
    await expectChartsRendered(out, join(dir, 'report.png'));
  });

  it('--format markdown names the policy and why', async () => {
    const out = join(dir, 'report.md');
    await cli(['--out', out]);
    const md = readFileSync(out, 'utf8');
    expect(md).toContain('| api-avail | 99.9% | 99.958% | 58.3% | 20.00× | OK |');
    expect(md).toContain('| ghost-missing | 99.9% | no data | no data | no data | NO DATA |');
  });
});

/**
 * Opens the page in real headless Chromium (Debian's, driven by playwright-core) and checks what a
 * reader sees: the summary table, each chart's legend, lines with on-screen size, y labels that do not
 * overlap (api-fixes goes to -317%), and no sideways scrolling on a 375 px phone.
 */
async function expectChartsRendered(file: string, screenshot: string) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: binary('chromium'),
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
    await page.goto(`file://${file}`);
    const summary = await page.$$eval('table.summary tbody tr', (rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent?.trim())));
    expect(summary.map((r) => [r[0], r[4], r[7]])).toEqual([['api-avail', '58.3%', 'OK'], ['api-monthly', '92.2%', 'OK'], ['ghost-missing', 'no data', 'NO DATA'], ['api-fixes', '-316.7%', 'FIXES ONLY']]);
    const legends = await page.$$eval('figure.chart-box', (figs) => figs.map((f) => Array.from(f.querySelectorAll('ul.legend li')).map((li) => li.textContent?.trim())));
    expect(legends).toHaveLength(4);
    for (const l of legends) expect(l).toEqual(['budget remaining (measured)', 'even spend to 0 at the window close', 'budget exhausted (0%)']);
    const boxes = await page.$$eval('polyline.actual', (els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ w: r.width, h: r.height })));
    expect(boxes).toHaveLength(3);
    for (const b of boxes) {
      expect(b.w).toBeGreaterThan(100);
      expect(b.h).toBeGreaterThan(5);
    }
    // Y labels of each chart, top to bottom, never overlap; the overspent chart labels below 0%.
    const ticks = await page.$$eval('figure.chart-box', (figs) => figs.map((f) => Array.from(f.querySelectorAll('text.y-tick')).map((t) => { const r = t.getBoundingClientRect(); return { text: t.textContent, top: r.top, bottom: r.bottom }; })));
    for (const chart of ticks) {
      const sorted = [...chart].sort((a, b) => a.top - b.top);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i].top).toBeGreaterThanOrEqual(sorted[i - 1].bottom);
    }
    expect(ticks[3].map((t) => t.text)).toContain('-300%');
    await page.screenshot({ path: screenshot, fullPage: true });
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  } finally {
    await browser.close();
  }
}
