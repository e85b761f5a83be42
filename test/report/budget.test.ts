// Pure pieces of the budget report: window boundaries, policy steps, exhaustion time, input parsing.
import { describe, expect, it } from 'vitest';
import { reportWindow } from '../../src/budget/window.ts';
import { decidePolicy } from '../../src/budget/policy.ts';
import { errorRatio, timeToExhaustion } from '../../src/budget/arithmetic.ts';
import { PrometheusSource } from '../../src/budget/sources/prometheus.ts';
import { parseAt } from '../../src/cli/commands/report.ts';
import { SolidaError } from '../../src/util/errors.ts';
import { modelOf } from '../prometheus/harness.ts';

const at = new Date('2026-03-01T05:30:00Z'); // a Sunday, first day of March

describe('report windows', () => {
  it('rolling windows end at --at', () => {
    const w = reportWindow({ kind: 'rolling', duration: { text: '30d', seconds: 30 * 86_400 } }, at);
    expect(w.start.toISOString()).toBe('2026-01-30T05:30:00.000Z');
    expect(w.end).toEqual(at);
    expect(w.periodSeconds).toBe(30 * 86_400);
  });

  it('calendar month: current from the 1st; previous is February (28 days in 2026)', () => {
    const cur = reportWindow({ kind: 'calendar', unit: 'month' }, at);
    expect(cur.start.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(cur.close.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(cur.elapsedSeconds).toBe(5.5 * 3600);
    const prev = reportWindow({ kind: 'calendar', unit: 'month' }, at, 'previous');
    expect(prev.start.toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(prev.end.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(prev.periodSeconds).toBe(28 * 86_400);
  });

  it('calendar week starts on Monday (ISO), so a Sunday belongs to the week begun 6 days before', () => {
    const cur = reportWindow({ kind: 'calendar', unit: 'week' }, at);
    expect(cur.start.toISOString()).toBe('2026-02-23T00:00:00.000Z');
    expect(cur.close.toISOString()).toBe('2026-03-02T00:00:00.000Z');
    const prev = reportWindow({ kind: 'calendar', unit: 'week' }, at, 'previous');
    expect(prev.start.toISOString()).toBe('2026-02-16T00:00:00.000Z');
  });
});

describe('error-budget policy', () => {
  it('steps: exactly 50% in a week is still ok, above it freezes, 100% over the window is fixes only', () => {
    expect(decidePolicy(0.5, 0.5).status).toBe('ok');
    expect(decidePolicy(0.51, 0.501).status).toBe('feature-freeze');
    expect(decidePolicy(1, 0.1).status).toBe('fixes-only');
    expect(decidePolicy(1.2, 0.9).status).toBe('fixes-only');
    expect(decidePolicy(null, null).status).toBe('no-data');
  });

  it('no events is missing data, not a perfect SLI', () => {
    expect(errorRatio({ errors: 0, total: 0 })).toBeNull();
    expect(errorRatio(null)).toBeNull();
    expect(errorRatio({ errors: 0, total: 10 })).toBe(0);
  });

  it('time to exhaustion: half a 30d budget at burn 10 lasts 1.5 days', () => {
    expect(timeToExhaustion(0.5, 10, 30 * 86_400)).toBe(1.5 * 86_400);
    expect(timeToExhaustion(1.1, 10, 30 * 86_400)).toBe(0);
    expect(timeToExhaustion(0.5, 0, 30 * 86_400)).toBeNull();
  });
});

describe('inputs', () => {
  it('--at takes RFC 3339, unix seconds and rejects the rest', () => {
    expect(parseAt('2026-11-09T12:00:00Z').toISOString()).toBe('2026-11-09T12:00:00.000Z');
    expect(parseAt('1790000000').getTime()).toBe(1_790_000_000_000);
    expect(() => parseAt('yesterday')).toThrow(SolidaError);
  });

  it('an unreachable Prometheus is a SolidaError naming the URL', async () => {
    const model = modelOf({ services: [{ name: 'api' }], slos: [{ service: 'api', name: 'a', objective: 99.9, sli: { events: { errors: 'x{code="500"}', total: 'x' } } }] });
    const source = new PrometheusSource('http://127.0.0.1:1');
    await expect(source.events(model.slos[0], 3600, at)).rejects.toThrow(/cannot reach Prometheus at http:\/\/127\.0\.0\.1:1/);
  });
});

describe('budget policy from the config', () => {
  it('reads a per-SLO policy over the config default, and the report decides with it', async () => {
    const { parseSpecText } = await import('../../src/slo/spec-text.ts');
    const { decidePolicy } = await import('../../src/budget/policy.ts');
    const { model } = parseSpecText(
      `budgetPolicy: { freezeWhenBurnedPercent: 25, within: 14d }
services: [{ name: api }]
slos:
  - { service: api, name: a, objective: 99, sli: { golden: { signal: availability } } }
  - { service: api, name: b, objective: 99, sli: { golden: { signal: availability } }, budgetPolicy: { fixesOnlyWhenBurnedPercent: 80 } }
`,
      'policy.yaml',
    );
    expect(model.slos[0].budgetPolicy).toEqual({ freezeWeeklyConsumed: 0.25, fixesOnlyConsumed: 1, weekSeconds: 14 * 86400 });
    expect(model.slos[1].budgetPolicy).toEqual({ freezeWeeklyConsumed: 0.25, fixesOnlyConsumed: 0.8, weekSeconds: 14 * 86400 });
    // 30% burned in the look-back: over a 25% freeze bar, under the default 50%.
    expect(decidePolicy(0.3, 0.3, model.slos[0].budgetPolicy).status).toBe('feature-freeze');
    expect(decidePolicy(0.3, 0.3).status).toBe('ok');
    // 85% over the window: fixes only for b (80%), not for a (100%).
    expect(decidePolicy(0.85, 0.1, model.slos[1].budgetPolicy).status).toBe('fixes-only');
    expect(decidePolicy(0.85, 0.1, model.slos[0].budgetPolicy).status).toBe('ok');
    expect(decidePolicy(0.3, 0.3, model.slos[0].budgetPolicy).reason).toContain('in the last 14 days');
  });
});
