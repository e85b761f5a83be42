// The game day's verdict as a pure function of what was measured, so every rule can be tested with a
// table instead of a real lab: interrupted → aborted; steady state not reached → refused (nothing was
// injected); otherwise pass only when the runbook succeeded and both objectives were met, with the
// modelled delays of the timing profile counted in.
import type { Objectives } from '../scenarios/index.ts';

export type Verdict = 'pass' | 'fail' | 'aborted' | 'refused';

export interface JudgeInput {
  objectives: Objectives;
  /** Interrupted (Ctrl-C) or the runbook aborted. */
  aborted: boolean;
  /** Why the game day stopped before the fault (an SLO alert firing in the steady state), or null. */
  refusedBecause: string | null;
  faultInjected: boolean;
  runbook: { outcome: string; failedStep?: { name: string; error?: string } } | null;
  /** Measured + modelled seconds, null when no sustained recovery was seen. */
  rtoSeconds: number | null;
  /** Measured + modelled seconds of lost acknowledged writes, null when the writes were not read back. */
  rpoSeconds: number | null;
  /** How long the run waited for a sustained recovery after the fault. */
  maxRecoverySeconds: number;
}

export interface Judgement {
  verdict: Verdict;
  reasons: string[];
  rtoMet: boolean;
  rpoMet: boolean;
}

const s1 = (x: number) => `${Number(x.toFixed(1))}s`;

export function judgeGameday(i: JudgeInput): Judgement {
  const rtoMet = i.rtoSeconds !== null && i.rtoSeconds <= i.objectives.rtoSeconds;
  const rpoMet = i.rpoSeconds !== null && i.rpoSeconds <= i.objectives.rpoSeconds;
  if (i.refusedBecause !== null && !i.faultInjected) {
    return { verdict: 'refused', reasons: [`steady state not reached, no fault injected: ${i.refusedBecause}`], rtoMet: false, rpoMet: false };
  }
  if (i.aborted) {
    const why = i.faultInjected ? 'interrupted: faults in effect were undone (see the undo steps)' : 'interrupted before the fault';
    return { verdict: 'aborted', reasons: [why], rtoMet, rpoMet };
  }
  const reasons: string[] = [];
  if (!i.runbook || i.runbook.outcome !== 'succeeded') {
    const f = i.runbook?.failedStep;
    reasons.push(`runbook ${i.runbook?.outcome ?? 'did not run'}${f ? ` at ${f.name}: ${f.error ?? ''}` : ''}`);
    // Nothing was recovered: no figure may read "met", whatever was read back from the unrecovered service.
    return { verdict: 'fail', reasons, rtoMet: false, rpoMet: false };
  }
  if (!rtoMet) {
    reasons.push(i.rtoSeconds === null ? `no sustained recovery within ${i.maxRecoverySeconds}s of the fault` : `RTO ${s1(i.rtoSeconds)} over the objective ${s1(i.objectives.rtoSeconds)}`);
  }
  if (!rpoMet) {
    reasons.push(i.rpoSeconds === null ? 'RPO not measured (writes not read back)' : `RPO ${s1(i.rpoSeconds)} over the objective ${s1(i.objectives.rpoSeconds)}`);
  }
  return { verdict: reasons.length ? 'fail' : 'pass', reasons, rtoMet, rpoMet };
}
