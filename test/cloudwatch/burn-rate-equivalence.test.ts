// The generated burn-rate alarms, run through a CloudWatch simulator on a synthetic series, must fire
// exactly when the multiwindow multi-burn-rate rule says so: long-window ratio > burn × budget AND
// short-window ratio > burn × budget (the condition of the Prometheus rules).
import { describe, expect, it } from 'vitest';
import { generateCloudWatch } from '../../src/cloudwatch/generate.ts';
import { resolveCloudWatchOptions } from '../../src/cloudwatch/options.ts';
import { evaluateAlarmRule, parseAlarmRule, type AlarmState } from '../../src/cloudwatch/composite-rule.ts';
import { alarmState, evalExpression, metricKey, MinuteStore, type Series } from './cloudwatch-sim.ts';
import { inventoryModel, WORKBOOK_TIERS } from './fixtures.ts';

const MINUTES = 6 * 1440;
const BUDGET = 0.001;

/** Deterministic PRNG (mulberry32) so the series is the same on every run. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Synthetic {
  requests: number[];
  targetErrors: number[];
  elbErrors: number[];
}

function synthetic(): Synthetic {
  const rand = rng(42);
  const requests: number[] = [];
  const targetErrors: number[] = [];
  const elbErrors: number[] = [];
  for (let m = 0; m < MINUTES; m++) {
    const quiet = m >= 1500 && m < 1680; // three hours with no traffic at all
    const n = quiet ? 0 : 150 + Math.floor(rand() * 100);
    let p = 0.0002;
    if (m >= 700 && m < 715) p = 0.25; // sharp outage: page-1h
    if (m >= 2880 && m < 2880 + 8 * 60) p = 0.01; // 8 h at 1 %: page-6h
    if (m >= 5000 && m < 5000 + 30 * 60) p = 0.0045; // 30 h at 0.45 %: ticket-1d
    if (m >= 7600 && m < 7600 + 20 * 60) p = 0.0016; // slow leak: ticket-3d only
    let t = 0;
    let e = 0;
    for (let r = 0; r < n; r++) {
      const x = rand();
      if (x < p * 0.8) t++;
      else if (x < p) e++;
    }
    requests.push(n);
    targetErrors.push(t);
    elbErrors.push(e);
  }
  return { requests, targetErrors, elbErrors };
}

/** As CloudWatch publishes ALB metrics: no datapoint for a minute with nothing to count. */
function published(s: Synthetic): Record<string, Series> {
  const omitZero = (xs: number[]) => xs.map((x) => (x === 0 ? undefined : x));
  return {
    [metricKey('AWS/ApplicationELB', 'RequestCount', 'Sum')]: omitZero(s.requests),
    [metricKey('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', 'Sum')]: omitZero(s.targetErrors),
    [metricKey('AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', 'Sum')]: omitZero(s.elbErrors),
  };
}

/** The multiwindow rule written directly from its definition. */
function directFires(s: Synthetic, end: number, longMin: number, shortMin: number, burn: number): boolean {
  const ratio = (minutes: number) => {
    let err = 0;
    let tot = 0;
    for (let m = Math.max(0, end - minutes + 1); m <= end; m++) {
      err += s.targetErrors[m] + s.elbErrors[m];
      tot += s.requests[m];
    }
    return tot === 0 ? 0 : err / tot;
  };
  const threshold = burn * BUDGET;
  return ratio(longMin) > threshold && ratio(shortMin) > threshold;
}

function compare(maxEvaluationSeconds: number, longMinutesFor: (tier: (typeof WORKBOOK_TIERS)[number]) => number) {
  const model = inventoryModel();
  model.slos = model.slos.filter((x) => x.name === 'availability');
  const artifacts = generateCloudWatch(model, resolveCloudWatchOptions({ maxEvaluationSeconds, presets: {} }));
  const byName = new Map(artifacts.metricAlarms.map((a) => [a.AlarmName!, a]));
  const composites = new Map(artifacts.compositeAlarms.map((c) => [c.AlarmName!, parseAlarmRule(c.AlarmRule!)]));
  const s = synthetic();
  const store = new MinuteStore(published(s));
  const fired = new Map<string, number>();
  const mismatches: string[] = [];
  for (let end = 0; end < MINUTES; end += 5) {
    const states = new Map<string, AlarmState>();
    const stateOf = (name: string): AlarmState => {
      const known = states.get(name);
      if (known) return known;
      const metricAlarm = byName.get(name);
      const state: AlarmState = metricAlarm
        ? alarmState(metricAlarm, store, end)
        : evaluateAlarmRule(composites.get(name)!, stateOf) ? 'ALARM' : 'OK';
      states.set(name, state);
      return state;
    };
    const direct: Record<string, boolean> = {};
    for (const tier of WORKBOOK_TIERS) {
      direct[tier.name] = directFires(s, end, longMinutesFor(tier), tier.shortWindow.seconds / 60, tier.burnRate);
      const sim = stateOf(`solida-inventory-availability-${tier.name}`) === 'ALARM';
      if (sim !== direct[tier.name]) mismatches.push(`${tier.name} at minute ${end}: alarm ${sim}, rule ${direct[tier.name]}`);
      if (direct[tier.name]) fired.set(tier.name, (fired.get(tier.name) ?? 0) + 1);
    }
    for (const severity of ['page', 'ticket'] as const) {
      const expected = WORKBOOK_TIERS.filter((t) => t.severity === severity).some((t) => direct[t.name]);
      const sim = stateOf(`solida-inventory-availability-${severity}`) === 'ALARM';
      if (sim !== expected) mismatches.push(`${severity} at minute ${end}: alarm ${sim}, rule ${expected}`);
    }
  }
  return { mismatches, fired };
}

describe('burn-rate alarms vs the multiwindow rule', () => {
  it('the simulator evaluates the generated expression form', () => {
    expect(evalExpression('(FILL(e1,0)+FILL(e2,0))/(t1)', { e1: undefined, e2: 3, t1: 300 })).toBeCloseTo(0.01);
    expect(evalExpression('(FILL(e1,0)+FILL(e2,0))/(t1)', { e1: 1, e2: 2, t1: undefined })).toBeUndefined();
    expect(evalExpression('100*(1-e1/t1)', { e1: 1, t1: 4 })).toBe(75);
  });

  it('gives the same verdict at every evaluation when CloudWatch allows 3-day windows (7-day range)', () => {
    const { mismatches, fired } = compare(604800, (t) => t.longWindow.seconds / 60);
    expect(mismatches.slice(0, 5)).toEqual([]);
    // Every tier fires at some point in the series, so the comparison covers firing and quiet states.
    for (const tier of WORKBOOK_TIERS) expect(fired.get(tier.name) ?? 0, tier.name).toBeGreaterThan(0);
  });

  it('with the API model one-day range, the 3-day tier is exactly the rule over a 1-day long window', () => {
    const { mismatches } = compare(86400, (t) => Math.min(t.longWindow.seconds, 86400) / 60);
    expect(mismatches.slice(0, 5)).toEqual([]);
    // ...and that approximation is visible: against the true 3-day rule the verdicts differ somewhere.
    const strict = compare(86400, (t) => t.longWindow.seconds / 60);
    expect(strict.mismatches.some((m) => m.startsWith('ticket-3d'))).toBe(true);
  });
});
