// Self-contained HTML report (inline CSS and SVG, nothing fetched): one card per SLO with its figures
// and burn-down chart, suitable as a CI artifact or an e-mail attachment.
import type { CollectResult, SloReportEntry } from './collect.ts';
import { burnDownSvg } from './render-burndown.ts';
import { escapeXml } from '../util/escape.ts';
import { burn, count, duration, minutes, percent, sliPercent, STATUS_LABEL } from './render-format.ts';

const CSS = `body{font-family:system-ui,sans-serif;margin:2rem;color:#222}section{border:1px solid #ddd;border-radius:8px;padding:1rem;margin:1rem 0}
table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #eee;text-align:left}
.status{font-weight:bold;padding:.1rem .5rem;border-radius:4px}.ok{background:#dcfce7}.feature-freeze{background:#fef3c7}.fixes-only{background:#fee2e2}.no-data{background:#e5e7eb}`;

export function renderHtml(result: CollectResult, at: Date): string {
  const title = `Error-budget report — ${at.toISOString()}`;
  const skipped = result.skipped.length
    ? `<h2>Not reported</h2><ul>${result.skipped.map((s) => `<li>${escapeXml(s.id)}: ${escapeXml(s.reason)}</li>`).join('')}</ul>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title><style>${CSS}</style></head>
<body><h1>${escapeXml(title)}</h1>
${result.entries.map(card).join('\n')}
${skipped}
</body></html>
`;
}

function card({ report: r, burnDown }: SloReportEntry): string {
  const rows: [string, string][] = [
    ['Window', `${r.window.kind} ${r.window.text}: ${r.window.start} → ${r.window.end}`],
    ['SLI', `${sliPercent(r.sli)} (objective ${r.objective}%)`],
    ['Budget', `${count(r.budget.events)} events, ${minutes(r.budget.minutes)}`],
    ['Consumed', `${percent(r.consumed)} (${count(r.events.errors)} errors of ${count(r.events.total)})`],
    ['Remaining', `${percent(r.budgetRemaining)} (${minutes(r.remainingMinutes)})`],
    ['Burn rate (1h)', burn(r.currentBurnRate.burnRate)],
    ['Time to exhaustion', duration(r.timeToExhaustionSeconds)],
    ...r.burnRates.map((t): [string, string] => [`Tier ${t.tier}`, `${t.long.window} ${burn(t.long.burnRate)}, ${t.short.window} ${burn(t.short.burnRate)} (alerts at ${t.threshold}×)${t.burning ? ' — burning' : ''}`]),
  ];
  const chart = burnDown ? burnDownSvg(burnDown, { start: Date.parse(r.window.start), close: Date.parse(r.window.close) }, `${r.id} budget remaining`) : '';
  return `<section id="${escapeXml(r.id)}"><h2>${escapeXml(r.id)} <span class="status ${r.policy.status}">${STATUS_LABEL[r.policy.status]}</span></h2>
<p>${escapeXml(r.policy.reason)}</p>
<table>${rows.map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td>${escapeXml(v)}</td></tr>`).join('')}</table>
${chart}
</section>`;
}
