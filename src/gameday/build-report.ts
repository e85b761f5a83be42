// The game-day report built from what the run gathered — the runbook journal, the request records, the
// ledger and the writes read back, the alerts seen — by pure functions, so the figures and the verdict
// can be checked without a lab. The orchestrator only gathers; this decides.
import { SCENARIO_TABLE, type Objectives, type ScenarioName, type TimingProfile } from '../scenarios/index.ts';
import type { Journal, Step } from '../runbooks/types.ts';
import { timeToDetect, type PageAlert } from './detect.ts';
import { judgeGameday } from './judge.ts';
import { computeRpo, computeRto, timeline, timeToMitigate, type AckedWrite, type RequestSample } from './measure.ts';
import type { GamedayReport, ReportDelay } from './report.ts';

export interface SliSettings {
  slo: string;
  objectivePercent: number;
  windowSeconds: number;
  stepSeconds: number;
  sustainSeconds: number;
}

/**
 * When the fault started: when its step started (the runner stamps the end; requests in between already
 * fail), or the moment the step recorded the damage, which is more precise: pitr's corruptedAt, or the
 * faultAt of a region loss (when its last process stopped).
 */
export function faultTimeOf(journal: Journal | null, steps: Step[]): number | null {
  if (!journal?.faultStartedAt) return null;
  const name = steps.find((s) => s.marksFault)?.name;
  const entry = journal.steps.find((s) => s.name === name && s.outcome === 'ok');
  if (!entry) return null;
  const output = entry.output as { corruptedAt?: unknown; faultAt?: unknown } | null;
  const recorded = output?.faultAt ?? output?.corruptedAt;
  return typeof recorded === 'string' && Number.isFinite(Date.parse(recorded)) ? Date.parse(recorded) : Date.parse(entry.startedAt);
}

/** The profile's delays as they passed, in step order, with their sources. */
export function appliedDelays(journal: Journal | null, profile: TimingProfile): ReportDelay[] {
  return (journal?.steps ?? [])
    .filter((s) => s.delay)
    .map((s) => ({ step: s.name, name: s.delay!.name, seconds: s.delay!.seconds, slept: s.delay!.slept, source: profile.delays[s.delay!.name].source }));
}

/** Modelled (not slept) seconds that passed before the recovery step ended. */
export function modelledUntilRecovery(journal: Journal | null, steps: Step[]): number {
  if (!journal) return 0;
  const recovery = steps.find((s) => s.marksRecovery)?.name;
  let total = 0;
  for (const s of journal.steps) {
    if (s.delay && !s.delay.slept) total += s.delay.seconds;
    if (s.name === recovery) break;
  }
  return total;
}

export interface ReportInput {
  scenario: ScenarioName;
  objectives: Objectives;
  profile: TimingProfile;
  startedAt: Date;
  endedAt: Date;
  journal: Journal | null;
  journalFile: string | null;
  steps: Step[];
  samples: RequestSample[];
  ledger: AckedWrite[];
  /** Sequence ids found in the database after recovery (null: not read back). */
  surviving: number[] | null;
  readFrom: string | null;
  sli: SliSettings;
  maxRecoverySeconds: number;
  alerts: PageAlert[];
  prediction: { seconds: number; tier: string } | null;
  toleranceSeconds: number;
  steadyState: { checked: boolean; firing: string[] };
  aborted: boolean;
  load: Omit<GamedayReport['load'], 'incorrect'>;
  lab: GamedayReport['lab'];
  notes: string[];
}

const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());

export function buildGamedayReport(i: ReportInput): GamedayReport {
  const notes = [...i.notes];
  const faultAt = faultTimeOf(i.journal, i.steps);
  const recoveredRunbook = i.journal?.outcome === 'succeeded';
  const lastScheduled = i.samples.reduce((m, s) => Math.max(m, s.scheduledAt), 0);
  // A run whose runbook did not finish its recovery has not recovered, whatever the requests say.
  const rto =
    faultAt !== null && recoveredRunbook
      ? computeRto(i.samples, { faultAt, objectivePercent: i.sli.objectivePercent, windowSeconds: i.sli.windowSeconds, stepSeconds: i.sli.stepSeconds, sustainSeconds: i.sli.sustainSeconds, observedUntil: lastScheduled + 1 })
      : null;
  // Likewise no RPO: writes read back from a database the runbook never recovered (the corrupted one a
  // failed restore left serving) would claim a loss the recovery was never shown to achieve. An aborted run
  // is different: its undo put the lab back, and what that lost is still counted.
  const rpo = faultAt !== null && (recoveredRunbook || i.aborted) && i.surviving ? computeRpo(i.ledger, i.surviving, faultAt) : null;
  const failedStep = i.journal?.steps.find((s) => s.outcome === 'failed');
  const notMeasured =
    faultAt !== null && !recoveredRunbook && !i.aborted
      ? `not measured: the runbook ${i.journal?.outcome ?? 'did not run'}${failedStep ? ` at ${failedStep.name}` : ''}, so there was no recovery to time`
      : undefined;
  const modelled = modelledUntilRecovery(i.journal, i.steps);
  const rtoTotal = rto?.seconds != null ? rto.seconds + modelled : null;
  // Writes the abandoned database kept acknowledging after the fault were lost up to the cut-over; in
  // the modelled timeline the cut-over comes that much later, and so many more writes would be lost.
  // (A region loss stops writes at once: a write lost just after the fault start was in flight.)
  const rpoModelled = SCENARIO_TABLE[i.scenario].faultKeepsWrites && rpo?.lossWindow && rpo.lossWindow.afterFault > 0 ? modelled : 0;
  const rpoTotal = rpo?.seconds != null ? rpo.seconds + rpoModelled : null;

  const detection = faultAt !== null ? timeToDetect(i.alerts, faultAt) : null;
  if (detection?.note) notes.push(`time to detect: ${detection.note}`);
  const failedAfterFault = faultAt !== null ? i.samples.filter((s) => s.scheduledAt >= faultAt && !s.ok).length : 0;
  if (detection?.seconds === null && failedAfterFault > 0) {
    notes.push(`${failedAfterFault} requests failed after the fault but no page alert fired while the run watched (the fastest page tier needs ${i.prediction ? `${i.prediction.seconds.toFixed(1)} s of total outage` : 'more outage'})`);
  }
  const incorrect = i.samples.filter((s) => s.incorrect).length;
  if (incorrect > 0) notes.push(`${incorrect} reads answered 2xx with the wrong rows (corrupted or stale data): counted as failures`);

  const failed = i.journal?.steps.find((s) => s.outcome === 'failed');
  const judgement = judgeGameday({
    objectives: i.objectives,
    aborted: i.aborted,
    refusedBecause: i.steadyState.firing.length ? `SLO alert(s) firing before the fault: ${i.steadyState.firing.join(', ')}` : null,
    faultInjected: faultAt !== null,
    runbook: i.journal ? { outcome: i.journal.outcome, failedStep: failed ? { name: failed.name, error: failed.error } : undefined } : null,
    rtoSeconds: rtoTotal,
    rpoSeconds: rpoTotal,
    maxRecoverySeconds: i.maxRecoverySeconds,
  });
  const w = rpo?.lossWindow;
  return {
    scenario: i.scenario,
    target: 'local',
    verdict: judgement.verdict,
    reasons: judgement.reasons,
    startedAt: i.startedAt.toISOString(),
    endedAt: i.endedAt.toISOString(),
    faultStartedAt: iso(faultAt),
    recoveredAt: iso(rto?.recoveredAt),
    profile: { name: i.profile.name, description: i.profile.description, delays: appliedDelays(i.journal, i.profile) },
    rto: { measuredSeconds: rto?.seconds ?? null, modelledSeconds: modelled, totalSeconds: rtoTotal, objectiveSeconds: i.objectives.rtoSeconds, met: judgement.rtoMet, ...(notMeasured ? { notMeasured } : {}) },
    rpo: {
      measuredSeconds: rpo?.seconds ?? null,
      lostWrites: rpo?.lostWrites ?? null,
      acknowledgedWrites: i.ledger.length,
      objectiveSeconds: i.objectives.rpoSeconds,
      met: judgement.rpoMet,
      lostSeqs: rpo?.lostSeqs.slice(0, 1000) ?? [],
      readFrom: i.readFrom,
      lastSurvivingWriteAt: iso(rpo?.lastSurvivingAckAt),
      lossWindow: w ? { from: iso(w.from)!, to: iso(w.to)!, beforeFault: w.beforeFault, afterFault: w.afterFault } : null,
      modelledSeconds: rpoModelled,
      totalSeconds: rpoTotal,
      ...(notMeasured ? { notMeasured } : {}),
    },
    timeToDetectSeconds: detection?.seconds ?? null,
    detectedBy: detection?.alert ?? null,
    detection: { predictedSeconds: i.prediction?.seconds ?? null, predictedBy: i.prediction?.tier ?? null, toleranceSeconds: i.toleranceSeconds },
    steadyState: i.steadyState,
    timeToMitigateSeconds: faultAt !== null ? timeToMitigate(i.samples, faultAt, i.surviving ?? undefined) : null,
    sli: i.sli,
    load: { ...i.load, incorrect },
    lab: i.lab,
    runbook: { outcome: i.journal?.outcome ?? 'not run', recoverySeconds: i.journal?.recoverySeconds ?? null, journalFile: i.journalFile },
    steps: i.journal?.steps ?? [],
    timeline: timeline(i.samples, faultAt ?? i.startedAt.getTime()),
    notes,
  };
}
