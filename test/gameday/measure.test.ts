// RTO/RPO/time-to-mitigate/time-to-detect math on synthetic request records, with answers worked out by
// hand from the definitions (windows [F+i, F+i+W) every step; recovery = first window start from which
// every window up to `sustain` later is good).
import { describe, expect, it } from 'vitest';
import { computeRpo, computeRto, timeline, timeToMitigate, type RequestSample } from '../../src/gameday/measure.ts';
import { timeToDetect } from '../../src/gameday/detect.ts';
import { formatSummary, type GamedayReport } from '../../src/gameday/report.ts';
import { renderGamedayHtml } from '../../src/gameday/render-html.ts';
import { renderGamedayMarkdown } from '../../src/gameday/render-markdown.ts';

const F = 1_000_000; // fault time, epoch ms

/** One request every 100 ms for k in [fromK, toK): scheduled at F + k·100. */
function requests(fromK: number, toK: number, failing: (tMs: number) => boolean, kind: 'read' | 'write' = 'read'): RequestSample[] {
  const out: RequestSample[] = [];
  for (let k = fromK; k < toK; k++) {
    const at = F + k * 100;
    const ok = !failing(at - F);
    out.push({ kind, seq: k + 1000, scheduledAt: at, endedAt: at + 20, latencyMs: 20, status: ok ? 200 : 503, ok, dropped: false });
  }
  return out;
}

const base = { faultAt: F, objectivePercent: 99.9, windowSeconds: 5, stepSeconds: 1, sustainSeconds: 10, observedUntil: F + 30_000 };

describe('computeRto', () => {
  it('is the start of the first window after the last failure when the outage is one block', () => {
    // Failures scheduled at 0.0 .. 12.3 s: window [12,17) holds 12.0–12.3, window [13,18) is the first clean one.
    const samples = requests(-50, 300, (t) => t >= 0 && t <= 12_300);
    expect(computeRto(samples, base)).toMatchObject({ seconds: 13, recoveredAt: F + 13_000 });
  });

  it('does not count a recovery that flaps inside the sustain period', () => {
    // Out for [0,3 s), then one failure at 9.5 s: starts 3 and 4 reach window [5,10) which holds it; 10 is the first that holds.
    const samples = requests(0, 300, (t) => t < 3000 || t === 9500);
    expect(computeRto(samples, base).seconds).toBe(10);
  });

  it('judges each window against the objective exactly (49/50 = 98 %)', () => {
    // One failure at 1.5 s among 50 requests per 5 s window: windows 0 and 1 hold it.
    const samples = requests(0, 300, (t) => t === 1500);
    expect(computeRto(samples, { ...base, objectivePercent: 98 }).seconds).toBe(0);
    expect(computeRto(samples, { ...base, objectivePercent: 98.1 }).seconds).toBe(2);
  });

  it('treats a window without requests as not recovered', () => {
    // Requests at 0–2.9 s and from 8 s on: window [3,8) is empty, so the first candidate is 4 ([4,9) holds 8.0–8.9).
    const samples = [...requests(0, 30, () => false), ...requests(80, 300, () => false)];
    expect(computeRto(samples, base).seconds).toBe(4);
  });

  it('is null while the sustain period has not been observed yet', () => {
    const samples = requests(0, 300, (t) => t < 25_000);
    expect(computeRto(samples, base)).toMatchObject({ seconds: null, recoveredAt: null });
    // Observed until 40 s: windows 25..30 (the last ends at 35 s) are all clean.
    expect(computeRto(requests(0, 400, (t) => t < 25_000), { ...base, observedUntil: F + 40_000 }).seconds).toBe(25);
  });

  it('starts no earlier than notBefore (a fault that fails no request, like data corruption)', () => {
    const samples = requests(0, 300, () => false);
    expect(computeRto(samples, base).seconds).toBe(0);
    expect(computeRto(samples, { ...base, notBefore: F + 2500 }).seconds).toBe(3);
  });

  it('ignores requests scheduled before the fault', () => {
    const samples = requests(-100, 300, (t) => t < 0);
    expect(computeRto(samples, base).seconds).toBe(0);
  });
});

describe('computeRpo', () => {
  const acked = [
    { seq: 1, ackedAt: F - 1000 },
    { seq: 2, ackedAt: F - 500 },
    { seq: 3, ackedAt: F - 100 },
    { seq: 4, ackedAt: F + 200 },
  ];

  it('is the fault time minus the last write kept, when only writes before the fault are lost (in flight)', () => {
    const r = computeRpo(acked, [1, 2, 4], F);
    expect(r).toMatchObject({ lostWrites: 1, lostSeqs: [3], lastSurvivingAckAt: F - 500, seconds: 0.5 });
    expect(r.lossWindow).toEqual({ from: F - 500, to: F - 100, beforeFault: 1, afterFault: 0 });
  });

  it('counts writes acknowledged after the fault and lost (a restore drops them): the window runs to the last lost one', () => {
    const r = computeRpo(acked, [1, 2], F);
    expect(r).toMatchObject({ acknowledgedWrites: 4, lostWrites: 2, lostSeqs: [3, 4], lastSurvivingAckAt: F - 500, seconds: 0.7 });
    expect(r.lossWindow).toEqual({ from: F - 500, to: F + 200, beforeFault: 1, afterFault: 1 });
  });

  it('is 0 when no acknowledged write is missing (extra unacknowledged rows do not matter)', () => {
    expect(computeRpo(acked, [1, 2, 3, 4, 99], F)).toMatchObject({ lostWrites: 0, seconds: 0 });
  });

  it('is unbounded (null) when every write acknowledged before the fault is gone', () => {
    expect(computeRpo(acked, [4], F)).toMatchObject({ lostWrites: 3, seconds: null });
  });
});

describe('timeToMitigate', () => {
  const samples: RequestSample[] = [
    { kind: 'write', seq: 10, scheduledAt: F + 2900, endedAt: F + 3000, latencyMs: 100, status: 201, ok: true, dropped: false },
    { kind: 'write', seq: 12, scheduledAt: F + 4000, endedAt: F + 4200, latencyMs: 200, status: 201, ok: true, dropped: false },
    { kind: 'read', seq: 11, scheduledAt: F + 50, endedAt: F + 100, latencyMs: 50, status: 200, ok: true, dropped: false },
    { kind: 'write', seq: 8, scheduledAt: F - 100, endedAt: F + 50, latencyMs: 150, status: 201, ok: true, dropped: false },
  ];
  it('is the first acknowledged write sent after the fault', () => {
    expect(timeToMitigate(samples, F)).toBe(3);
  });
  it('skips writes the database no longer has (taken by the corrupted or abandoned primary)', () => {
    expect(timeToMitigate(samples, F, [8, 12])).toBe(4.2);
    expect(timeToMitigate(samples, F, [8])).toBeNull();
  });
});

describe('timeline', () => {
  it('buckets requests per second relative to the fault with errors and latency quantiles', () => {
    const samples = requests(-10, 20, (t) => t >= 0 && t < 500);
    const tl = timeline(samples, F);
    expect(tl.map((b) => b.t)).toEqual([-1, 0, 1]);
    expect(tl.map((b) => [b.requests, b.errors])).toEqual([[10, 0], [10, 5], [10, 0]]);
    expect(tl[0]).toMatchObject({ p50Ms: 20, p95Ms: 20 });
  });
});

describe('timeToDetect', () => {
  it('takes the first page alert made active at or after the fault', () => {
    const alerts = [
      { name: 'Old', labels: {}, activeAt: F - 5000 },
      { name: 'Late', labels: {}, activeAt: F + 9000 },
      { name: 'First', labels: {}, activeAt: F + 2500 },
    ];
    expect(timeToDetect(alerts, F)).toEqual({ seconds: 2.5, alert: 'First', note: null });
  });
  it('is null with a note when nothing new fired', () => {
    expect(timeToDetect([{ name: 'Old', labels: {}, activeAt: F - 1 }], F)).toMatchObject({ seconds: null, note: expect.stringMatching(/already firing before the fault/) });
    expect(timeToDetect([], F)).toMatchObject({ seconds: null, note: 'no page alert fired during the run' });
  });
});

describe('report renderings', () => {
  const report: GamedayReport = {
    scenario: 'az-failure',
    target: 'local',
    verdict: 'fail',
    reasons: ['RTO 130s over the objective 120s'],
    startedAt: new Date(F - 10_000).toISOString(),
    endedAt: new Date(F + 30_000).toISOString(),
    faultStartedAt: new Date(F).toISOString(),
    recoveredAt: new Date(F + 13_000).toISOString(),
    profile: { name: 'reference', description: 'reference timings', delays: [{ step: 'rds-failover', name: 'rdsFailoverDetection', seconds: 120, slept: false, source: 'ref' }] },
    rto: { measuredSeconds: 10, modelledSeconds: 120, totalSeconds: 130, objectiveSeconds: 120, met: false },
    rpo: { measuredSeconds: 0, lostWrites: 0, acknowledgedWrites: 42, objectiveSeconds: 300, met: true, lostSeqs: [], readFrom: 'db-r1-b', lastSurvivingWriteAt: null, lossWindow: null, modelledSeconds: 0, totalSeconds: 0 },
    timeToDetectSeconds: 2.5,
    detectedBy: 'InventoryAvailabilityBudgetBurn',
    detection: { predictedSeconds: 51.8, predictedBy: 'page-1h', toleranceSeconds: 2 },
    steadyState: { checked: true, firing: [] },
    timeToMitigateSeconds: 5.1,
    sli: { slo: 'inventory-availability', objectivePercent: 99.9, windowSeconds: 5, stepSeconds: 1, sustainSeconds: 10 },
    load: { driver: 'builtin', target: 'http://x', runId: 'r', ratePerSecond: 10, writeEvery: 2, sent: 300, ok: 200, failed: 100, dropped: 0, incorrect: 0, readCheck: null },
    lab: { dir: '/tmp/lab', regions: ['r1'], synchronousStandby: true, kept: false },
    runbook: { outcome: 'succeeded', recoverySeconds: 7, journalFile: null },
    steps: [
      { name: 'kill-az', kind: 'auto', startedAt: '', endedAt: '', atSeconds: 0, expectedBySeconds: null, output: null, outcome: 'ok' },
      { name: 'rds-failover', kind: 'auto', startedAt: '', endedAt: '', atSeconds: 5.2, expectedBySeconds: 120, output: null, outcome: 'ok' },
    ],
    timeline: timeline(requests(-10, 300, (t) => t >= 0 && t < 12_000), F),
    notes: ['a <note> & more'],
  };

  it('summarises the figures against objectives', () => {
    const s = formatSummary(report);
    expect(s).toMatch(/game day az-failure \(local lab, profile reference\): FAIL/);
    // Measured, modelled (not slept), total, objective: the modelled part is never hidden in the measured one.
    expect(s).toMatch(/RTO\s+10\.0s\s+120\.0s\s+130\.0s\s+120\.0s\s+MISSED/);
    expect(s).toMatch(/lost writes\s+0 of 42 acknowledged/);
  });

  it('renders Markdown with the objectives table and the runbook steps', () => {
    const md = renderGamedayMarkdown(report);
    expect(md).toMatch(/\| RTO \| 10\.0 s \| 120\.0 s \| 130\.0 s \| 120\.0 s \| \*\*missed\*\* \|/);
    expect(md).toMatch(/Timing profile: \*\*reference\*\*/);
    expect(md).toMatch(/rdsFailoverDetection.*120 s.*modelled/);
    expect(md).toMatch(/\| rds-failover \| auto \| ok \| 5\.2 \| 120 \|/);
  });

  it('renders a self-contained HTML page with an SVG timeline and escaped text', () => {
    const html = renderGamedayHtml(report);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(html).toMatch(/<svg [^>]*viewBox/);
    expect(html).toMatch(/<\/tspan> fault</);
    expect(html).toMatch(/recovered \(RTO 10 s\)/);
    expect(html).toMatch(/>rds-failover</);
    expect(html).toContain('a &lt;note&gt; &amp; more');
    // 31 one-second buckets (T-1 .. T+29), each with a green bar; errors only in the first 12 s after the fault.
    expect(html.match(/fill="#86efac"/g)).toHaveLength(31);
    expect(html.match(/fill="#ef4444"/g)).toHaveLength(12);
  });
});
