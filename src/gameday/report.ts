// The game-day report: the output contract of `solida gameday --json` and what the Markdown and HTML
// renderings show.
import type { ScenarioName } from '../chaos/scenarios.ts';
import type { JournalStep } from '../runbooks/types.ts';
import type { TimelineBucket } from './measure.ts';
import { formatTable } from '../util/table.ts';

export type Verdict = 'pass' | 'fail' | 'aborted';

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
  rto: { measuredSeconds: number | null; objectiveSeconds: number; met: boolean };
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
  };
  timeToDetectSeconds: number | null;
  detectedBy: string | null;
  timeToMitigateSeconds: number | null;
  sli: { slo: string; objectivePercent: number; windowSeconds: number; stepSeconds: number; sustainSeconds: number };
  load: { driver: 'builtin' | 'k6'; target: string; runId: string; ratePerSecond: number; writeEvery: number; sent: number; ok: number; failed: number; dropped: number };
  lab: { dir: string; regions: string[]; synchronousStandby: boolean; kept: boolean };
  runbook: { outcome: string; recoverySeconds: number | null; journalFile: string | null };
  /** The runbook journal: every step with its times, output and outcome. */
  steps: JournalStep[];
  /** Per-second requests, errors and latency, t relative to the fault. */
  timeline: TimelineBucket[];
  notes: string[];
}

const fmt = (s: number | null, unit = 's') => (s === null ? 'n/a' : `${s.toFixed(1)}${unit}`);
const mark = (met: boolean) => (met ? 'met' : 'MISSED');

/** The short table printed at the end of a run. */
export function formatSummary(r: GamedayReport): string {
  const rows = [
    ['METRIC', 'MEASURED', 'OBJECTIVE', 'RESULT'],
    ['RTO', fmt(r.rto.measuredSeconds), fmt(r.rto.objectiveSeconds), mark(r.rto.met)],
    ['RPO', fmt(r.rpo.measuredSeconds), fmt(r.rpo.objectiveSeconds), mark(r.rpo.met)],
    ['lost writes', r.rpo.lostWrites === null ? 'n/a' : `${r.rpo.lostWrites} of ${r.rpo.acknowledgedWrites} acknowledged`, '', ''],
    ['time to detect', fmt(r.timeToDetectSeconds), '', r.detectedBy ?? ''],
    ['time to mitigate', fmt(r.timeToMitigateSeconds), '', ''],
  ];
  const lines = formatTable(rows);
  const head = `game day ${r.scenario} (local lab): ${r.verdict.toUpperCase()}`;
  const why = r.reasons.length ? r.reasons.map((x) => `  - ${x}`) : [];
  return [head, ...lines, ...why].join('\n');
}
