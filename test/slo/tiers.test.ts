// Default tiers for any SLO period: every tier at 1x or more, the workbook's table at 30 days, fewer
// tiers for short periods, explain's warning for a tier that fires while the SLO is met, and the
// documented tables equal to what the code does.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultTiersFor, tierTable } from '../../src/slo/tiers.ts';
import { parseSpecText } from '../../src/slo/spec-text.ts';
import { explainModel, formatExplanation } from '../../src/slo/explain.ts';

const DAY = 86400;
const rates = (days: number) => Object.fromEntries(defaultTiersFor(days * DAY).map((t) => [t.name, t.offBecause ? 'off' : t.burnRate]));

const spec = (window: string, tiers = '') => `
services: [{ name: api }]
slos:
  - service: api
    name: availability
    objective: 99.9
    window: ${window}
    expectedEventsPerSecond: 100
    sli: { events: { errors: 'http_requests_total{code=~"5.."}', total: http_requests_total } }
${tiers}`;

describe('default tiers for any period', () => {
  it('keep the workbook burn rates up to 30 days and its budget shares beyond', () => {
    expect(rates(30)).toEqual({ 'page-1h': 14.4, 'page-6h': 6, 'ticket-1d': 3, 'ticket-3d': 1 });
    expect(rates(28)).toEqual(rates(30));
    expect(rates(7)).toEqual(rates(30));
    expect(rates(90)).toEqual({ 'page-1h': 43.2, 'page-6h': 18, 'ticket-1d': 9, 'ticket-3d': 3 });
  });

  it('never go under 1x, for any whole number of days', () => {
    for (let days = 1; days <= 400; days++) for (const t of defaultTiersFor(days * DAY)) expect(t.burnRate, `${days}d ${t.name}`).toBeGreaterThanOrEqual(1);
  });

  it('drop tiers a short period cannot hold', () => {
    expect(rates(5)).toEqual({ 'page-1h': 14.4, 'page-6h': 6, 'ticket-1d': 3, 'ticket-3d': 'off' });
    expect(rates(3)).toEqual({ 'page-1h': 14.4, 'page-6h': 6, 'ticket-1d': 'off', 'ticket-3d': 'off' });
    expect(rates(1)).toEqual({ 'page-1h': 14.4, 'page-6h': 'off', 'ticket-1d': 'off', 'ticket-3d': 'off' });
  });

  it('docs/slo-tiers.md holds the table of every common period as the code computes it', () => {
    const doc = readFileSync(new URL('../../docs/slo-tiers.md', import.meta.url), 'utf8');
    for (const days of [7, 14, 28, 30, 90, 5, 3, 1]) expect(doc, `${days}d table`).toContain(tierTable(days * DAY));
  });
});

describe('explain and tiers', () => {
  it('warns about no default tier at 7d, 14d, 28d, 30d or a calendar month', () => {
    for (const w of ['7d', '14d', '28d', '30d', '{ calendar: month }', '{ calendar: week }']) {
      const warnings = explainModel(parseSpecText(spec(w), 'spec.yaml').model)[0].warnings;
      expect(warnings.filter((x) => x.includes('fires while the SLO is met')), w).toEqual([]);
    }
  });

  it('warns about a tier under 1x written as a budget share, naming the share that would be 1x', () => {
    const tiers = '    alerting: { tiers: { ticket-3d: { budgetConsumed: 10 } } }';
    const { model } = parseSpecText(spec('28d', tiers), 'spec.yaml');
    const [e] = explainModel(model);
    expect(e.warnings).toContain('tier ticket-3d fires while the SLO is met: 0.9333x the budget rate (0.09333% errors) ends the 28d period with 6.667% of the budget left; raise its burnRate to 1 or more (budgetConsumed ≥ 10.71% for a 3d window)');
  });

  it('shows why a default tier is off for a short period, and a tier turned back on stays on', () => {
    const off = explainModel(parseSpecText(spec('3d'), 'spec.yaml').model)[0];
    expect(formatExplanation(off)).toContain('ticket-3d  disabled (off for a 3d period: its 3d window is over half the period)');
    const on = parseSpecText(spec('3d', '    alerting: { tiers: { ticket-1d: { enabled: true } } }'), 'spec.yaml').model.slos[0];
    expect(on.alerting.tiers.find((t) => t.name === 'ticket-1d')).toMatchObject({ enabled: true, burnRate: 3 });
  });
});
