// The game-day report as Markdown (for a PR comment, a wiki page, the post-incident review).
import type { JournalStep } from '../runbooks/types.ts';
import { lossText, type GamedayReport } from './report.ts';

const s = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(1)} s`);
const cell = (x: string) => x.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A step's error, a check's detail, or an action's output, kept short. */
export function stepDetail(st: JournalStep): string {
  if (st.error) return st.error;
  const o = st.output as Record<string, unknown> | null;
  if (o && typeof o === 'object' && 'detail' in o) return String(o.detail);
  if (st.kind === 'manual' || o === null || o === undefined) return '';
  const text = JSON.stringify(o);
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}

export function renderGamedayMarkdown(r: GamedayReport): string {
  const out: string[] = [];
  out.push(`# Game day: ${r.scenario} (local lab) — ${r.verdict.toUpperCase()}`);
  out.push('');
  out.push(`Run ${r.startedAt} → ${r.endedAt}. Fault at ${r.faultStartedAt ?? 'n/a'}, sustained recovery at ${r.recoveredAt ?? 'n/a'}.`);
  if (r.reasons.length) {
    out.push('');
    for (const why of r.reasons) out.push(`- **${cell(why)}**`);
  }
  out.push('');
  out.push('| Metric | Measured | Modelled | Total | Objective | Result |');
  out.push('|---|---|---|---|---|---|');
  out.push(`| RTO | ${s(r.rto.measuredSeconds)} | ${s(r.rto.modelledSeconds)} | ${s(r.rto.totalSeconds)} | ${s(r.rto.objectiveSeconds)} | ${r.rto.notMeasured ? `n/a (${cell(r.rto.notMeasured)})` : r.rto.met ? 'met' : '**missed**'} |`);
  out.push(`| RPO | ${s(r.rpo.measuredSeconds)} | ${s(r.rpo.modelledSeconds)} | ${s(r.rpo.totalSeconds)} | ${s(r.rpo.objectiveSeconds)} | ${r.rpo.notMeasured ? `n/a (${cell(r.rpo.notMeasured)})` : r.rpo.met ? 'met' : '**missed**'} |`);
  out.push(`| Lost writes | ${r.rpo.lostWrites ?? 'n/a'} of ${r.rpo.acknowledgedWrites} acknowledged | | | | ${cell(lossText(r))} |`);
  out.push(`| Time to detect | ${s(r.timeToDetectSeconds)} | | | ${r.detection.predictedSeconds === null ? '' : `${s(r.detection.predictedSeconds)} predicted (${r.detection.predictedBy}) ± ${r.detection.toleranceSeconds} s`} | ${r.detectedBy ?? ''} |`);
  out.push(`| Time to mitigate | ${s(r.timeToMitigateSeconds)} | | | | first write after the fault acknowledged and kept |`);
  out.push('');
  out.push(
    `RTO: the fault start to the first moment after which the ratio of *correct* responses (reads return the ${r.load.readCheck?.rows ?? 'known'} known rows) over every ${r.sli.windowSeconds} s window stays at or above ` +
      `${r.sli.objectivePercent} % (SLO ${r.sli.slo}) for ${r.sli.sustainSeconds} s. RPO: every acknowledged write missing from ${r.rpo.readFrom ?? 'the database'} after recovery counts, ` +
      'before and after the fault; it spans from the last write kept before the first loss to the fault or the last lost write, whichever is later.',
  );
  out.push('');
  out.push(`Timing profile: **${r.profile.name}** — ${r.profile.description}. Measured time comes from the load; modelled delays are not slept and are added to it.`);
  if (r.profile.delays.length) {
    out.push('');
    out.push('| Before step | Delay | Seconds | How | Source |');
    out.push('|---|---|---|---|---|');
    for (const d of r.profile.delays) out.push(`| ${d.step} | ${d.name} | ${d.seconds} s | ${d.slept ? 'slept (measured)' : 'modelled (added)'} | ${cell(d.source)} |`);
  }
  if (r.steadyState.firing.length) {
    out.push('');
    out.push(`Steady state not reached, no fault injected: ${cell(r.steadyState.firing.join(', '))}.`);
  }
  out.push('');
  out.push(`Load (${r.load.driver}): ${r.load.ratePerSecond} req/s open model on ${r.load.target}, 1 in ${r.load.writeEvery} a marked write; ${r.load.sent} sent, ${r.load.ok} ok, ${r.load.failed} failed, ${r.load.dropped} dropped.`);
  out.push('');
  out.push('## Runbook steps');
  out.push('');
  out.push('| Step | Kind | Outcome | T+ (s) | Expected by (s) | Detail |');
  out.push('|---|---|---|---|---|---|');
  for (const st of r.steps) {
    out.push(`| ${st.name} | ${st.kind} | ${st.outcome} | ${st.atSeconds === null ? '' : st.atSeconds.toFixed(1)} | ${st.expectedBySeconds ?? ''} | ${cell(stepDetail(st))} |`);
  }
  if (r.rpo.lostSeqs.length) {
    out.push('');
    out.push(`Lost sequence ids (first ${Math.min(50, r.rpo.lostSeqs.length)}): ${r.rpo.lostSeqs.slice(0, 50).join(', ')}`);
  }
  if (r.notes.length) {
    out.push('');
    out.push('## Notes');
    out.push('');
    for (const n of r.notes) out.push(`- ${n}`);
  }
  out.push('');
  return out.join('\n');
}
