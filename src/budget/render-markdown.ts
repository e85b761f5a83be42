// Markdown report for chat, PRs and CI step summaries: a summary table, then one section per SLO.
import type { CollectResult } from './collect.ts';
import type { SloBudgetReport } from './arithmetic.ts';
import { burn, count, duration, minutes, percent, sliPercent, STATUS_LABEL } from './render-format.ts';

export function renderMarkdown(result: CollectResult, at: Date): string {
  const lines = [`# Error-budget report — ${at.toISOString()}`, ''];
  lines.push('| SLO | Objective | SLI | Budget remaining | Burn (1h) | Policy |', '|---|---:|---:|---:|---:|---|');
  for (const { report: r } of result.entries) {
    lines.push(`| ${r.id} | ${r.objective}% | ${sliPercent(r.sli)} | ${percent(r.budgetRemaining)} | ${burn(r.currentBurnRate.burnRate)} | ${STATUS_LABEL[r.policy.status]} |`);
  }
  for (const { report } of result.entries) lines.push('', ...section(report));
  if (result.skipped.length) {
    lines.push('', '## Not reported', '');
    for (const s of result.skipped) lines.push(`- ${s.id}: ${s.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

function section(r: SloBudgetReport): string[] {
  const out = [
    `## ${r.id}`,
    '',
    `Window: ${r.window.kind} ${r.window.text}, ${r.window.start} → ${r.window.end}`,
    '',
    `- **Policy: ${STATUS_LABEL[r.policy.status]}** — ${r.policy.reason}`,
    `- SLI: ${sliPercent(r.sli)} (objective ${r.objective}%)`,
    `- Budget: ${percent(r.budget.ratio, 3)} of events = ${count(r.budget.events)} events, ${minutes(r.budget.minutes)} of the window`,
    `- Consumed: ${percent(r.consumed)} (${count(r.events.errors)} errors of ${count(r.events.total)} events, ${minutes(r.consumedMinutes)})`,
    `- Remaining: ${percent(r.budgetRemaining)} (${minutes(r.remainingMinutes)})`,
    `- Time to exhaustion at the current (1h) burn of ${burn(r.currentBurnRate.burnRate)}: ${duration(r.timeToExhaustionSeconds)}`,
  ];
  if (r.burnRates.length) {
    out.push('', '| Tier | Alerts at | Long window | Short window | Burning |', '|---|---:|---:|---:|---|');
    for (const t of r.burnRates) {
      out.push(`| ${t.tier} (${t.severity}) | ${t.threshold}× | ${t.long.window}: ${burn(t.long.burnRate)} | ${t.short.window}: ${burn(t.short.burnRate)} | ${t.burning ? 'yes' : 'no'} |`);
    }
  }
  return out;
}
