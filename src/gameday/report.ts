// The game-day report: the output contract of `solida gameday --json` and what the Markdown and HTML
// renderings show.
import type { ScenarioName } from '../scenarios/index.ts';
import type { JournalStep } from '../runbooks/types.ts';
import type { Verdict } from './judge.ts';
import type { TimelineBucket } from './measure.ts';
import { formatTable } from '../util/table.ts';

export type { Verdict } from './judge.ts';

/** One named delay of the timing profile as it passed in this run. */
export interface ReportDelay {
  /** The runbook step it preceded. */
  step: string;
  name: string;
  seconds: number;
  /** Slept: part of the measured time. Modelled: not slept, added to the measured time. */
  slept: boolean;
  source: string;
}

export interface GamedayReport {
  scenario: ScenarioName;
  target: 'local';
  verdict: Verdict;
  /** Why the verdict is not pass (missed objectives, failed step, interruption). */
  reasons: string[];
  startedAt: string;
  endedAt: string;
  faultStartedAt: string | null;
  /** Start of the sustained recovery (the end of the RTO). */
  recoveredAt: string | null;
  /** Which timing profile ran, and each of its delays (measured and modelled time are kept apart). */
  profile: { name: string; description: string; delays: ReportDelay[] };
  /** measured: from the load (fault → sustained correct responses); modelled: delays not slept; total = both. */
  /** notMeasured: why there is no figure to judge (the runbook never recovered); the result reads n/a. */
  rto: { measuredSeconds: number | null; modelledSeconds: number; totalSeconds: number | null; objectiveSeconds: number; met: boolean; notMeasured?: string };
  rpo: {
    measuredSeconds: number | null;
    lostWrites: number | null;
    acknowledgedWrites: number;
    objectiveSeconds: number;
    met: boolean;
    /** Up to 1000 of the lost sequence ids, ascending. */
    lostSeqs: number[];
    /** Database the writes were read back from. */
    readFrom: string | null;
    lastSurvivingWriteAt: string | null;
    /** Acknowledged writes lost, from the last kept write to the last lost one, split at the fault. */
    lossWindow: { from: string; to: string; beforeFault: number; afterFault: number } | null;
    /** Writes kept being acknowledged (and lost) after the fault: the modelled delays until the cut-over add to the window. */
    modelledSeconds: number;
    totalSeconds: number | null;
    notMeasured?: string;
  };
  timeToDetectSeconds: number | null;
  detectedBy: string | null;
  /**
   * What `solida validate --explain` predicts for a total outage (the fastest enabled page tier of the
   * availability SLO), and the tolerance a measurement has: one rule evaluation plus one scrape.
   */
  detection: { predictedSeconds: number | null; predictedBy: string | null; toleranceSeconds: number };
  /** SLO alerts firing just before the fault (the steady-state precondition; any → refused). */
  steadyState: { checked: boolean; firing: string[] };
  timeToMitigateSeconds: number | null;
  sli: { slo: string; objectivePercent: number; windowSeconds: number; stepSeconds: number; sustainSeconds: number };
  load: {
    driver: 'builtin' | 'k6';
    target: string;
    runId: string;
    ratePerSecond: number;
    writeEvery: number;
    sent: number;
    ok: number;
    failed: number;
    dropped: number;
    /** 2xx reads with the wrong rows (corrupted or stale): counted in `failed`. */
    incorrect: number;
    /** The known rows every read was checked against. */
    readCheck: { prefix: string; rows: number } | null;
  };
  lab: { dir: string; regions: string[]; synchronousStandby: boolean; kept: boolean };
  runbook: { outcome: string; recoverySeconds: number | null; journalFile: string | null };
  /** The runbook journal: every step with its times, output and outcome. */
  steps: JournalStep[];
  /** Per-second requests, errors and latency, t relative to the fault. */
  timeline: TimelineBucket[];
  notes: string[];
}

const fmt = (s: number | null, unit = 's') => (s === null ? 'n/a' : `${s.toFixed(1)}${unit}`);
const mark = (o: { met: boolean; notMeasured?: string }) => (o.notMeasured ? 'n/a' : o.met ? 'met' : 'MISSED');

/** The short table printed at the end of a run. */
export function formatSummary(r: GamedayReport): string {
  const rows = [
    ['METRIC', 'MEASURED', 'MODELLED', 'TOTAL', 'OBJECTIVE', 'RESULT'],
    ['RTO', fmt(r.rto.measuredSeconds), fmt(r.rto.modelledSeconds), fmt(r.rto.totalSeconds), fmt(r.rto.objectiveSeconds), mark(r.rto)],
    ['RPO', fmt(r.rpo.measuredSeconds), fmt(r.rpo.modelledSeconds), fmt(r.rpo.totalSeconds), fmt(r.rpo.objectiveSeconds), mark(r.rpo)],
    ['lost writes', r.rpo.lostWrites === null ? 'n/a' : `${r.rpo.lostWrites} of ${r.rpo.acknowledgedWrites} acknowledged`, '', '', '', lossText(r)],
    ['time to detect', fmt(r.timeToDetectSeconds), '', '', r.detection.predictedSeconds === null ? '' : `${fmt(r.detection.predictedSeconds)} predicted`, r.detectedBy ?? ''],
    ['time to mitigate', fmt(r.timeToMitigateSeconds), '', '', '', ''],
  ];
  const lines = formatTable(rows);
  const head = `game day ${r.scenario} (local lab, profile ${r.profile.name}): ${r.verdict.toUpperCase()}`;
  const why = r.reasons.length ? r.reasons.map((x) => `  - ${x}`) : [];
  if (r.rto.notMeasured) why.push(`  - RTO and RPO ${r.rto.notMeasured}`);
  return [head, ...lines, ...why].join('\n');
}

/** "3 before the fault, 12 after (T-1.0s .. T+5.2s)" — where the lost writes are. */
export function lossText(r: GamedayReport): string {
  const w = r.rpo.lossWindow;
  if (!w || !r.faultStartedAt) return '';
  const t = (iso: string) => {
    const d = (Date.parse(iso) - Date.parse(r.faultStartedAt!)) / 1000;
    return `T${d < 0 ? '-' : '+'}${Math.abs(d).toFixed(1)}s`;
  };
  return `${w.beforeFault} before the fault, ${w.afterFault} after (${t(w.from)} .. ${t(w.to)})`;
}
