// Self-contained HTML report (inline CSS and SVG, nothing fetched): one card per SLO with its figures
// and burn-down chart, suitable as a CI artifact or an e-mail attachment.
import type { CollectResult, SloReportEntry } from './collect.ts';
import { burnDownSvg } from './render-burndown.ts';
import { escapeXml } from '../util/escape.ts';
import { CHART_CSS } from '../util/svg-chart.ts';
import { burn, count, duration, minutes, percent, sliPercent, STATUS_LABEL } from './render-format.ts';

const CSS = `*{box-sizing:border-box}body{font-family:system-ui,sans-serif;margin:0 auto;padding:1rem;color:#111827;max-width:1000px;line-height:1.4}
section{border:1px solid #e5e7eb;border-radius:8px;padding:1rem;margin:1rem 0}h1{font-size:1.4rem}h2{font-size:1.15rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.25rem .6rem;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}.scroll{overflow-x:auto}
.status{font-weight:bold;padding:.1rem .5rem;border-radius:4px;white-space:nowrap}.ok{background:#dcfce7}.feature-freeze{background:#fef3c7}.fixes-only{background:#fee2e2}.no-data{background:#e5e7eb}
${CHART_CSS}`;

export function renderHtml(result: CollectResult, at: Date): string {
  const title = `Error-budget report — ${at.toISOString()}`;
  const skipped = result.skipped.length
    ? `<h2>Not reported</h2><ul>${result.skipped.map((s) => `<li>${escapeXml(s.id)}: ${escapeXml(s.reason)}</li>`).join('')}</ul>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeXml(title)}</title><style>${CSS}</style></head>
<body><h1>${escapeXml(title)}</h1>
${summary(result.entries)}
${result.entries.map((e) => card(e, at)).join('\n')}
${skipped}
</body></html>
`;
}

/** One line per SLO, worst policy step first as the cards below are in config order. */
function summary(entries: SloReportEntry[]): string {
  const rows = entries.map(({ report: r }) => `<tr><td><a href="#${escapeXml(r.id)}">${escapeXml(r.id)}</a></td><td class="num">${r.objective}%</td><td>${escapeXml(`${r.window.kind} ${r.window.text}`)}</td>
<td class="num">${sliPercent(r.sli)}</td><td class="num">${percent(r.budgetRemaining)}</td><td class="num">${burn(r.currentBurnRate.burnRate)}</td><td>${escapeXml(duration(r.timeToExhaustionSeconds))}</td><td><span class="status ${r.policy.status}">${STATUS_LABEL[r.policy.status]}</span></td></tr>`);
  return `<div class="scroll"><table class="summary"><thead><tr><th>SLO</th><th class="num">Objective</th><th>Window</th><th class="num">SLI</th><th class="num">Budget left</th><th class="num">Burn (1h)</th><th>Exhausted in</th><th>Policy</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div>`;
}

function card({ report: r, burnDown }: SloReportEntry, at: Date): string {
  const rows: [string, string][] = [
    ['Window', `${r.window.kind} ${r.window.text}: ${r.window.start} → ${r.window.end}`],
    ['SLI', `${sliPercent(r.sli)} (objective ${r.objective}%)`],
    ['Budget', `${count(r.budget.events)} events, ${minutes(r.budget.minutes)}`],
    ['Consumed', `${percent(r.consumed)} (${count(r.events.errors)} errors of ${count(r.events.total)})`],
    ['Remaining', `${percent(r.budgetRemaining)} (${minutes(r.remainingMinutes)})`],
    ['Burn rate (1h)', burn(r.currentBurnRate.burnRate)],
    ['Time to exhaustion', duration(r.timeToExhaustionSeconds)],
    ...r.burnRates.map((t): [string, string] => [`Tier ${t.tier}`, `${t.long.window} ${burn(t.long.burnRate)}, ${t.short.window} ${burn(t.short.burnRate)} (alerts at ${Number(t.threshold.toPrecision(3))}×)${t.burning ? ' — burning' : ''}`]),
  ];
  const end = Math.min(Date.parse(r.window.end), at.getTime());
  const chart = burnDown ? burnDownSvg(burnDown, { start: Date.parse(r.window.start), close: Date.parse(r.window.close), end }, `${r.id}: error budget remaining`) : '';
  return `<section id="${escapeXml(r.id)}"><h2>${escapeXml(r.id)} <span class="status ${r.policy.status}">${STATUS_LABEL[r.policy.status]}</span></h2>
<p>${escapeXml(r.policy.reason)}</p>
<div class="scroll"><table>${rows.map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td>${escapeXml(v)}</td></tr>`).join('')}</table></div>
${chart}
</section>`;
}
