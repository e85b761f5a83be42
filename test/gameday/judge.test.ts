// The game day's verdict rules and report arithmetic as pure functions: a table per rule, no lab.
import { describe, expect, it } from 'vitest';
import { buildGamedayReport, modelledUntilRecovery, type ReportInput } from '../../src/gameday/build-report.ts';
import { judgeGameday, type JudgeInput } from '../../src/gameday/judge.ts';
import { formatSummary } from '../../src/gameday/report.ts';
import { renderGamedayMarkdown } from '../../src/gameday/render-markdown.ts';
import type { RequestSample } from '../../src/gameday/measure.ts';
import { getRunbook } from '../../src/runbooks/catalog.ts';
import type { Journal, JournalStep } from '../../src/runbooks/types.ts';
import { TIMING_PROFILES } from '../../src/scenarios/index.ts';

const base: JudgeInput = {
  objectives: { rtoSeconds: 120, rpoSeconds: 300 },
  aborted: false,
  refusedBecause: null,
  faultInjected: true,
  runbook: { outcome: 'succeeded' },
  rtoSeconds: 30,
  rpoSeconds: 0,
  maxRecoverySeconds: 150,
};

describe('judgeGameday', () => {
  it.each<[string, Partial<JudgeInput>, string, RegExp | null]>([
    ['objectives met', {}, 'pass', null],
    ['RTO exactly at the objective', { rtoSeconds: 120 }, 'pass', null],
    ['RTO over (measured + modelled)', { rtoSeconds: 130 }, 'fail', /RTO 130s over the objective 120s/],
    ['no sustained recovery', { rtoSeconds: null }, 'fail', /no sustained recovery within 150s/],
    ['RPO over', { rpoSeconds: 301.5 }, 'fail', /RPO 301.5s over the objective 300s/],
    ['writes not read back', { rpoSeconds: null }, 'fail', /RPO not measured/],
    ['runbook failed', { runbook: { outcome: 'failed', failedStep: { name: 'restore-pitr', error: 'boom' } } }, 'fail', /runbook failed at restore-pitr: boom/],
    ['runbook failed (figures from the unrecovered service are no RTO/RPO)', { runbook: { outcome: 'failed', failedStep: { name: 'restore-pitr', error: 'boom' } }, rtoSeconds: 1, rpoSeconds: 0 }, 'fail', /^runbook failed at restore-pitr: boom$/],
    ['interrupted after the fault', { aborted: true }, 'aborted', /faults in effect were undone/],
    ['interrupted before the fault', { aborted: true, faultInjected: false }, 'aborted', /interrupted before the fault/],
    ['alert firing in the steady state', { refusedBecause: 'SLO alert(s) firing before the fault: X', faultInjected: false, runbook: null, rtoSeconds: null, rpoSeconds: null }, 'refused', /no fault injected: SLO alert\(s\) firing before the fault: X/],
  ])('%s → %s', (_, patch, verdict, reason) => {
    const j = judgeGameday({ ...base, ...patch });
    expect(j.verdict).toBe(verdict);
    if (verdict === 'fail') expect(j.rtoMet && j.rpoMet).toBe(false);
    if (reason) expect(j.reasons.join('\n')).toMatch(reason);
    else expect(j.reasons).toEqual([]);
  });
});

const F = 1_000_000_000;
const step = (name: string, startS: number, endS: number, extra: Partial<JournalStep> = {}): JournalStep => ({
  name,
  kind: 'auto',
  startedAt: new Date(F + startS * 1000).toISOString(),
  endedAt: new Date(F + endS * 1000).toISOString(),
  atSeconds: endS,
  expectedBySeconds: null,
  output: null,
  outcome: 'ok',
  ...extra,
});

/** pitr with the reference profile: corruption at F, reads wrong until the cut-over at F+6 s. */
function pitrInput(): ReportInput {
  const runbook = getRunbook('pitr');
  const delay = (name: 'corruptionIdentification' | 'pitrRestoreDuration' | 'restoreValidation', seconds: number) => ({ delay: { name, seconds, slept: false } });
  const steps = [
    step('corrupt-data', 0, 0.1, { output: { corruptedAt: new Date(F).toISOString(), rows: 20 } }),
    step('identify-time', 0.1, 0.1, delay('corruptionIdentification', 120)),
    step('restore-pitr', 0.1, 3),
    step('validate-restore', 3, 3.2, delay('pitrRestoreDuration', 780)),
    step('approve-cutover', 3.2, 3.2, delay('restoreValidation', 300)),
    step('cut-over', 3.2, 6),
    step('service-recovered', 6, 6.5),
  ];
  const journal: Journal = {
    runbook: 'pitr', title: '', target: 'lab', dryRun: false, params: {} as Journal['params'], objectives: runbook.objectives,
    startedAt: new Date(F - 5000).toISOString(), endedAt: new Date(F + 7000).toISOString(), outcome: 'succeeded',
    faultStartedAt: new Date(F + 100).toISOString(), recoveredAt: new Date(F + 6500).toISOString(), recoverySeconds: 6.4, steps,
  };
  const samples: RequestSample[] = [];
  const ledger: { seq: number; ackedAt: number }[] = [];
  for (let k = -100; k < 300; k++) {
    const at = F + k * 100;
    const write = k % 2 === 0;
    const wrong = !write && at >= F && at < F + 5200; // corrupted rows until the second instance is cut over
    samples.push({ kind: write ? 'write' : 'read', seq: k + 1000, scheduledAt: at, endedAt: at + 10, latencyMs: 10, status: 200, ok: !wrong, dropped: false, ...(wrong ? { incorrect: true } : {}) });
    if (write) ledger.push({ seq: k + 1000, ackedAt: at + 10 });
  }
  // The restore went back 1 s before the corruption; writes to the corrupted database until F+5 s are gone.
  const surviving = ledger.filter((w) => w.ackedAt < F - 1000 || w.ackedAt > F + 5000).map((w) => w.seq);
  return {
    scenario: 'pitr', objectives: runbook.objectives, profile: TIMING_PROFILES.reference, startedAt: new Date(F - 10_000), endedAt: new Date(F + 30_000),
    journal, journalFile: null, steps: runbook.steps, samples, ledger, surviving, readFrom: 'db-restored-1',
    sli: { slo: 'inventory-availability', objectivePercent: 99.9, windowSeconds: 5, stepSeconds: 1, sustainSeconds: 10 }, maxRecoverySeconds: 100,
    alerts: [], prediction: { seconds: 51.84, tier: 'page-1h' }, toleranceSeconds: 2, steadyState: { checked: true, firing: [] }, aborted: false,
    load: { driver: 'builtin', target: 'http://x', runId: 'r', ratePerSecond: 10, writeEvery: 2, sent: 400, ok: 0, failed: 0, dropped: 0, readCheck: { prefix: 'p', rows: 40 } },
    lab: { dir: '/tmp/lab', regions: ['r1'], synchronousStandby: true, kept: false }, notes: [],
  };
}

describe('buildGamedayReport', () => {
  it('pitr: RTO runs to the first sustained correct read, modelled delays are added apart, post-fault writes lost extend the RPO', () => {
    const r = buildGamedayReport(pitrInput());
    // Wrong reads until F+5.2 s: the first window starting after them is F+6 s (1 s steps).
    expect(r.rto).toMatchObject({ measuredSeconds: 6, modelledSeconds: 1200, totalSeconds: 1206, met: false });
    expect(r.load.incorrect).toBe(26);
    expect(r.rpo.lossWindow).toMatchObject({ beforeFault: 5, afterFault: 25 });
    // From the last kept write (F−1.19 s) to the last lost one (F+4.81 s), plus the 1200 s until the modelled cut-over.
    expect(r.rpo.measuredSeconds).toBeCloseTo(6, 3);
    expect(r.rpo.totalSeconds).toBeCloseTo(1206, 3);
    expect(r.verdict).toBe('fail');
    expect(r.reasons.join(' ')).toMatch(/RTO 1206s over the objective 1200s.*RPO 1206s over the objective 300s/);
    expect(r.profile.delays.map((d) => [d.name, d.seconds, d.slept])).toEqual([['corruptionIdentification', 120, false], ['pitrRestoreDuration', 780, false], ['restoreValidation', 300, false]]);
  });

  it('pitr whose restore failed: no RTO or RPO is claimed (n/a, with the reason), though writes were read back', () => {
    const i = pitrInput();
    const restore = i.journal!.steps.find((s) => s.name === 'restore-pitr')!;
    restore.outcome = 'failed';
    restore.error = 'no base backup older than 2026-12-01T14:00:00Z';
    i.journal!.steps = i.journal!.steps.slice(0, i.journal!.steps.indexOf(restore) + 1);
    i.journal!.outcome = 'failed';
    i.surviving = i.ledger.map((w) => w.seq); // everything "survived" on the corrupted database
    const r = buildGamedayReport(i);
    expect(r.verdict).toBe('fail');
    expect(r.rpo).toMatchObject({ measuredSeconds: null, totalSeconds: null, met: false });
    expect(r.rto.met).toBe(false);
    expect(r.rpo.notMeasured).toMatch(/runbook failed at restore-pitr/);
    const summary = formatSummary(r);
    const rpoRow = summary.split('\n').find((l) => l.startsWith('RPO'))!;
    expect(rpoRow).not.toMatch(/\bmet\b/);
    expect(rpoRow).toMatch(/^RPO\s+n\/a\s/); // measured
    expect(rpoRow).toMatch(/n\/a\s*$/);
    expect(summary).toMatch(/RTO and RPO not measured: the runbook failed at restore-pitr/);
    expect(renderGamedayMarkdown(r)).toMatch(/\| RPO \|.*n\/a \(not measured/);
  });

  it('counts only the modelled delays up to the recovery step', () => {
    const i = pitrInput();
    i.journal!.steps.push(step('late', 7, 8, { delay: { name: 'dnsPropagation', seconds: 999, slept: false } }));
    expect(modelledUntilRecovery(i.journal, i.steps)).toBe(1200);
  });
});
