// Human output for `solida runbook list|show|run`.
import { humanSeconds } from '../slo/duration.ts';
import type { Journal, JournalStep, Runbook } from './types.ts';
import { formatTable } from '../util/table.ts';

function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return s ? `T+${m}m${String(s).padStart(2, '0')}s` : `T+${m}min`;
}

export function formatList(runbooks: Runbook[]): string {
  const rows = runbooks.map((r) => [r.name, humanSeconds(r.objectives.rtoSeconds), humanSeconds(r.objectives.rpoSeconds), String(r.steps.length), r.summary]);
  const head = ['NAME', 'RTO', 'RPO', 'STEPS', 'SUMMARY'];
  return formatTable([head, ...rows]).join('\n');
}

const KIND_LABEL = { auto: 'auto  ', check: 'check ', manual: 'manual' } as const;

export function formatRunbook(r: Runbook): string {
  const out: string[] = [];
  out.push(`${r.name} — ${r.title}`);
  out.push(`  ${r.summary}`);
  out.push('');
  out.push(`Objectives: RTO ${humanSeconds(r.objectives.rtoSeconds)}, RPO ${humanSeconds(r.objectives.rpoSeconds)}`);
  out.push('');
  out.push('Expected timeline:');
  for (const t of r.timeline) out.push(`  ${clock(t.atSeconds).padEnd(9)} ${t.event}`);
  out.push('');
  out.push('Steps:');
  r.steps.forEach((s, i) => {
    const when = s.expectedBySeconds !== undefined ? ` (by ${clock(s.expectedBySeconds)})` : '';
    const marks = [s.marksFault ? 'fault' : '', s.marksRecovery ? 'recovery' : '', s.kind === 'auto' && s.undo ? 'undo on abort' : ''].filter(Boolean);
    out.push(`  ${String(i + 1).padStart(2)}. [${KIND_LABEL[s.kind]}] ${s.name}: ${s.description}${when}${marks.length ? `  {${marks.join(', ')}}` : ''}`);
    if (s.kind === 'manual') out.push(`      → ${s.prompt}`);
    if (s.kind === 'check' && s.waitUpToSeconds) out.push(`      waits up to ${humanSeconds(s.waitUpToSeconds)} for it to hold`);
  });
  return out.join('\n');
}

export function formatJournalStep(e: JournalStep, dryRun: boolean): string {
  const mark = { ok: 'ok  ', failed: 'FAIL', declined: 'NO  ', aborted: 'ABRT', skipped: 'skip' }[e.outcome];
  const at = e.atSeconds !== null ? ` ${clock(Math.max(0, e.atSeconds))}` : '';
  const late = e.atSeconds !== null && e.expectedBySeconds !== null && e.atSeconds > e.expectedBySeconds ? ` (late: expected by ${clock(e.expectedBySeconds)})` : '';
  const detail = e.error ?? summarize(e.output);
  return `${dryRun ? '[dry-run] ' : ''}${mark} ${e.kind.padEnd(6)} ${e.name}${at}${late}${detail ? ` — ${detail}` : ''}`;
}

function summarize(output: unknown): string {
  if (output === null || output === undefined) return '';
  if (typeof output === 'string') return output;
  if (typeof output === 'object' && 'detail' in output) return String((output as { detail: unknown }).detail);
  if (typeof output === 'object' && 'confirmed' in output) return `confirmed: ${(output as { confirmed: string }).confirmed}`;
  const s = JSON.stringify(output);
  return s.length > 100 ? `${s.slice(0, 97)}...` : s;
}

export function formatJournalSummary(j: Journal): string {
  const lines = [`${j.dryRun ? '[dry-run] ' : ''}runbook ${j.runbook} ${j.outcome} on ${j.target}`];
  if (j.dryRun) {
    // A simulation takes milliseconds: claiming the objectives were met would be a measurement it never made.
    const objectives = `RTO objective ${humanSeconds(j.objectives.rtoSeconds)}, RPO objective ${humanSeconds(j.objectives.rpoSeconds)}`;
    lines.push(`recovery not measured: a dry run only simulates the steps (${objectives}: not judged)`);
  } else if (j.recoverySeconds !== null) {
    const met = j.recoverySeconds <= j.objectives.rtoSeconds;
    lines.push(`recovery in ${humanSeconds(j.recoverySeconds)} (RTO objective ${humanSeconds(j.objectives.rtoSeconds)}: ${met ? 'met' : 'MISSED'})`);
  }
  return lines.join('\n');
}
