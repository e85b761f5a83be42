// The detail page of one SLO: figures, charts (server-rendered SVG), the tiers' arithmetic, game days
// and the queries behind it all.
import { lineChart } from '../util/svg-chart.ts';
import { esc } from './html.ts';
import { burn, clock, humanDuration, percent, sliPercent, STATE_LABEL } from './format.ts';
import type { SloDetail } from './model.ts';

const ratioPct = (v: number) => `${Number((v * 100).toPrecision(3))}%`;
const perSecond = (v: number) => `${Number(v.toPrecision(3))}/s`;

export function renderDetail(d: SloDetail, at: number): string {
  const r = d.row;
  const figs: [string, string][] = [
    ['Objective', `${r.objective}% over ${r.window}`],
    ['SLI now', sliPercent(r.sli)],
    ['Budget left', percent(r.budgetRemaining)],
    ['Burn rate (1h)', burn(r.currentBurn)],
    ['Window', `${d.windowStart.slice(0, 16)}Z → ${d.windowClose.slice(0, 16)}Z`],
    ['Read at', clock(r.readAt)],
  ];
  const alerts = r.alerts === null
    ? '<p class="muted">This source has no alert state; tiers whose condition holds are marked burning.</p>'
    : r.alerts.length
      ? `<p>${r.alerts.map((a) => `<span class="badge ${a.state}">${esc(a.tier)} ${a.state}${a.activeAt ? ` since ${esc(a.activeAt.slice(11, 19))}` : ''}</span>`).join(' ')}</p>`
      : '<p class="muted">No alert pending or firing.</p>';
  const start = Date.parse(d.windowStart);
  const close = Date.parse(d.windowClose);
  const first = d.burnDown[0]?.t;
  // The frame starts at the first real sample when data covers only part of the window.
  const frameStart = first !== undefined && first > start ? first : start;
  const burnDown = lineChart({
    title: 'Error budget remaining over the window',
    series: [{ name: 'budget remaining (measured)', points: d.burnDown, color: '#2563eb', className: 'burn-down' }],
    segments: [{ name: 'even spend to 0 at the window close', from: { t: start, v: 1 }, to: { t: close, v: 0 }, color: '#9ca3af', dash: '6 4', className: 'ideal' }],
    rules: [{ name: 'budget exhausted', value: 0, color: '#dc2626', className: 'zero' }],
    xMin: frameStart,
    xMax: at,
    yMax: 1,
    yFormat: (v) => `${Math.round(v * 100)}%`,
    emptyText: 'no data over the window',
  });
  const span = humanDuration(d.recentSpanMs / 1000);
  const traffic = lineChart({
    title: `Requests and errors, last ${span}`,
    series: [
      { name: 'requests', points: d.requests, color: '#2563eb', className: 'requests' },
      { name: 'errors', points: d.errors, color: '#dc2626', className: 'errors' },
    ],
    xMin: at - d.recentSpanMs,
    xMax: at,
    yMin: 0,
    yFormat: perSecond,
    emptyText: 'no requests',
  });
  const tierCharts = d.tierSeries.map((t) => lineChart({
    title: `Tier ${t.tier}: error ratio vs threshold, last ${span}`,
    series: [
      { name: `error ratio over ${t.long.window}`, points: t.long.points, color: '#7c3aed', className: 'long' },
      { name: `error ratio over ${t.short.window}`, points: t.short.points, color: '#0891b2', className: 'short' },
    ],
    rules: [{ name: 'alert threshold', value: t.threshold, color: '#dc2626', dash: '6 4', className: 'threshold' }],
    xMin: at - d.recentSpanMs,
    xMax: at,
    yMin: 0,
    yFormat: ratioPct,
    emptyText: 'no requests',
  }));
  const burnByTier = new Map(r.tiers.map((t) => [t.tier, t]));
  const tiers = d.explain.map((e) => {
    const now = burnByTier.get(e.tier);
    if (!e.enabled) return `<tr><td>${esc(e.tier)}</td><td colspan="7" class="muted">disabled</td></tr>`;
    return `<tr class="${now?.burning ? 'burning' : ''}"><td>${esc(e.tier)}</td><td>${esc(e.severity)}</td><td class="num">${Number(e.burnRate.toPrecision(3))}×</td><td>${esc(e.longWindow)} · ${esc(e.shortWindow)}</td>
<td class="num">${ratioPct(e.threshold)}</td><td class="num">${now ? `${burn(now.long.burnRate)} · ${burn(now.short.burnRate)}${now.burning ? ' <b>burning</b>' : ''}` : 'no data'}</td>
<td>detects a total outage in ${humanDuration(e.detectionSeconds)}; resets ${humanDuration(e.resetSeconds)} after recovery</td><td>spends ${ratioPct(e.budgetConsumed)} of the budget; all of it in ${humanDuration(e.exhaustionHours * 3600)}</td></tr>`;
  }).join('\n');
  const gamedays = d.gamedays.length
    ? `<table><thead><tr><th>Scenario</th><th>Verdict</th><th>RTO</th><th>RPO</th><th>Time to detect</th><th>Ended</th></tr></thead><tbody>${d.gamedays.map((g) => `<tr><td>${g.html ? `<a href="/gameday/${encodeURIComponent(g.html)}">${esc(g.scenario)}</a>` : esc(g.scenario)}</td>
<td><span class="badge ${g.verdict === 'pass' ? 'ok' : 'fixes-only'}">${esc(g.verdict.toUpperCase())}</span></td>
<td>${humanDuration(g.rto.measuredSeconds)} of ${humanDuration(g.rto.objectiveSeconds)} ${g.rto.met ? 'met' : '<b>missed</b>'}</td>
<td>${humanDuration(g.rpo.measuredSeconds)} of ${humanDuration(g.rpo.objectiveSeconds)} ${g.rpo.met ? 'met' : '<b>missed</b>'}${g.rpo.lostWrites !== null ? ` (${g.rpo.lostWrites} writes lost)` : ''}</td>
<td>${humanDuration(g.timeToDetectSeconds)}</td><td>${esc(g.endedAt.slice(0, 16))}Z</td></tr>`).join('')}</tbody></table>`
    : '<p class="muted">No game-day report found for this service (pass --gamedays DIR with the JSON reports of `solida gameday --json`).</p>';
  const query = (q: { label: string; query: string }, i: number) => `<div><b>${esc(q.label)}</b> <button class="copy" type="button" data-target="q${i}">copy</button><pre id="q${i}">${esc(q.query)}</pre></div>`;
  // The few a person pastes most go first; every recorded series and rule stays one click away.
  const key = (label: string) => /^Error ratio over 5m|ratio_rate5m \(|period_error_budget_remaining|current_burn_rate|^Alert /.test(label);
  const shown = d.queries.map((q, i) => ({ q, i })).filter(({ q }) => key(q.label));
  const rest = d.queries.map((q, i) => ({ q, i })).filter(({ q }) => !key(q.label));
  const queries = `${shown.map(({ q, i }) => query(q, i)).join('')}${rest.length ? `<details><summary>All recorded series of this SLO (${rest.length} more)</summary>${rest.map(({ q, i }) => query(q, i)).join('')}</details>` : ''}`;
  return `<p><a href="/">← all SLOs</a></p>
<h1>${esc(r.id)} <span class="badge ${r.state}">${STATE_LABEL[r.state]}</span></h1>
${d.description ? `<p>${esc(d.description)}</p>` : ''}<p class="muted" id="status">${esc(r.reason)} · updated ${clock(at)}</p>
${d.problems.map((p) => `<div class="banner" role="alert">${esc(p)}</div>`).join('')}
<div class="grid"><div class="card"><dl class="figs">${figs.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl></div><div class="card"><h2>Alerts</h2>${alerts}</div></div>
<div class="charts"><div class="card">${burnDown}</div><div class="card">${traffic}</div>${tierCharts.map((c) => `<div class="card">${c}</div>`).join('')}</div>
<h2>Alert tiers</h2><div class="scroll"><table class="tiers"><thead><tr><th>Tier</th><th>Severity</th><th class="num">Burn rate</th><th>Windows</th><th class="num">Fires at</th><th class="num">Now (long · short)</th><th>Detection</th><th>Budget</th></tr></thead><tbody>${tiers}</tbody></table></div>
${d.warnings.length ? `<ul class="muted">${d.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}
<h2>Latest game days for ${esc(r.service)}</h2><div class="scroll">${gamedays}</div>
<h2>Queries</h2>${queries}`;
}
