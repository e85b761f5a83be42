// The game-day report as one self-contained HTML page: the figures, and an inline SVG timeline of request
// rate and errors (top) and latency (bottom), with the fault, the recovery and the runbook steps marked.
import { escapeXml } from '../util/escape.ts';
import { niceTicks } from '../util/svg-chart.ts';
import { renderGamedayMarkdown, stepDetail } from './render-markdown.ts';
import type { GamedayReport } from './report.ts';

const W = 900;
const PANEL = 150;
const GAP = 46;
const LEFT = 62;
const RIGHT = 20;
const CHAR = 6.6; // average width of an 11 px system-ui character, for laying labels out without overlap
const LANE = 15;

/** Places labels left to right in the first lane where they do not overlap a label already there. */
function lanes(items: { x: number; width: number }[]): number[] {
  const ends: number[] = [];
  return items.map((it) => {
    let lane = ends.findIndex((end) => it.x > end + 6);
    if (lane === -1) lane = ends.length;
    ends[lane] = it.x + it.width;
    return lane;
  });
}

export function timelineSvg(r: GamedayReport): string {
  const tl = r.timeline;
  if (tl.length === 0) return '<p>No requests were recorded.</p>';
  const t0 = tl[0].t;
  const t1 = tl[tl.length - 1].t + 1;
  const plotW = W - LEFT - RIGHT;
  const x = (t: number) => LEFT + ((t - t0) / (t1 - t0)) * plotW;
  const f = (n: number) => n.toFixed(1);
  // Event markers (fault, page alert, recovery) get labelled in a band above the charts, in dark text:
  // drawn over the red error bars they could not be read.
  const markers: { t: number; color: string; label: string; dash?: string }[] = [];
  if (r.faultStartedAt) markers.push({ t: 0, color: '#dc2626', label: 'fault' });
  if (r.faultStartedAt && r.timeToDetectSeconds !== null) markers.push({ t: r.timeToDetectSeconds, color: '#c2410c', label: `page alert (+${secondsText(r.timeToDetectSeconds)})`, dash: '4 3' });
  if (r.faultStartedAt && r.recoveredAt) markers.push({ t: (Date.parse(r.recoveredAt) - Date.parse(r.faultStartedAt)) / 1000, color: '#15803d', label: `recovered (RTO ${secondsText(r.rto.measuredSeconds ?? 0)})` });
  const markerLanes = lanes(markers.map((m) => ({ x: x(m.t), width: m.label.length * CHAR + 10 })));
  const band = (Math.max(0, ...markerLanes) + 1) * LANE + 8;
  const top1 = band + 16;
  const top2 = top1 + PANEL + GAP;
  const rateTicks = niceTicks(0, Math.max(1, ...tl.map((b) => b.requests)), 4);
  const latTicks = niceTicks(0, Math.max(1, ...tl.map((b) => b.p95Ms ?? 0)), 4);
  const rateMax = rateTicks[rateTicks.length - 1];
  const latMax = latTicks[latTicks.length - 1];
  const yRate = (v: number) => top1 + PANEL - (v / rateMax) * PANEL;
  const yLat = (v: number) => top2 + PANEL - (v / latMax) * PANEL;
  // Runbook steps are labelled under the time axis, each in the first free lane: no pile-ups.
  const steps = r.steps.filter((s) => s.atSeconds !== null && s.kind !== 'manual');
  // A label that would run off the right edge is written to the left of its dot instead.
  const stepWidth = (name: string) => name.length * CHAR + 12;
  const flip = steps.map((s) => x(s.atSeconds!) + stepWidth(s.name) > W);
  const stepLanes = lanes(steps.map((s, i) => ({ x: flip[i] ? x(s.atSeconds!) - stepWidth(s.name) : x(s.atSeconds!), width: stepWidth(s.name) })));
  const stepTop = top2 + PANEL + 46;
  const height = stepTop + (Math.max(-1, ...stepLanes) + 1) * LANE + 10;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${f(height)}" class="timeline" role="img" aria-label="requests, errors and latency around the fault" font-family="system-ui,sans-serif" font-size="11">`);
  // Axes with gridlines at round values, then the data.
  for (const [y0, ticks, yOf, unit] of [[top1, rateTicks, yRate, ''], [top2, latTicks, yLat, ' ms']] as const) {
    for (const v of ticks) {
      parts.push(`<line x1="${LEFT}" y1="${f(yOf(v))}" x2="${W - RIGHT}" y2="${f(yOf(v))}" stroke="#e5e7eb"/><text class="y-tick" x="${LEFT - 5}" y="${f(yOf(v) + 4)}" text-anchor="end" fill="#374151">${v}${v === 0 ? '' : unit}</text>`);
    }
    parts.push(`<line x1="${LEFT}" y1="${y0 + PANEL}" x2="${W - RIGHT}" y2="${y0 + PANEL}" stroke="#6b7280"/><line x1="${LEFT}" y1="${y0}" x2="${LEFT}" y2="${y0 + PANEL}" stroke="#6b7280"/>`);
  }
  parts.push(`<text x="${LEFT}" y="${top1 - 5}" fill="#111827" font-weight="600">requests per second</text><text x="${LEFT}" y="${top2 - 5}" fill="#111827" font-weight="600">latency</text>`);
  const bw = Math.max(1, plotW / (t1 - t0) - 1);
  for (const b of tl) {
    const ok = b.requests - b.errors;
    parts.push(`<rect x="${f(x(b.t))}" y="${f(yRate(ok))}" width="${f(bw)}" height="${f(top1 + PANEL - yRate(ok))}" fill="#86efac"><title>T${b.t >= 0 ? '+' : ''}${b.t}s: ${b.requests} req, ${b.errors} errors</title></rect>`);
    if (b.errors) parts.push(`<rect x="${f(x(b.t))}" y="${f(yRate(b.requests))}" width="${f(bw)}" height="${f(yRate(ok) - yRate(b.requests))}" fill="#ef4444"/>`);
  }
  for (const [key, color] of [['p50Ms', '#2563eb'], ['p95Ms', '#7c3aed']] as const) {
    const pts = tl.filter((b) => b[key] !== null).map((b) => `${f(x(b.t) + bw / 2)},${f(yLat(Math.min(latMax, b[key]!)))}`);
    if (pts.length) parts.push(`<polyline class="${key}" points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
  }
  const tickEvery = niceTicks(0, t1 - t0, 8)[1];
  for (let t = Math.ceil(t0 / tickEvery) * tickEvery; t <= t1; t += tickEvery) {
    parts.push(`<text class="x-tick" x="${f(x(t))}" y="${top2 + PANEL + 14}" text-anchor="middle" fill="#374151">${t > 0 ? '+' : ''}${t} s</text>`);
  }
  parts.push(`<text x="${W - RIGHT}" y="${top2 + PANEL + 28}" text-anchor="end" fill="#6b7280">time from the fault</text>`);
  markers.forEach((m, i) => {
    const px = f(x(m.t));
    const ly = 12 + markerLanes[i] * LANE;
    parts.push(`<line x1="${px}" y1="${ly + 3}" x2="${px}" y2="${top2 + PANEL}" stroke="${m.color}" stroke-width="1.5"${m.dash ? ` stroke-dasharray="${m.dash}"` : ''}/>`);
    parts.push(`<text class="marker" x="${f(x(m.t) + 4)}" y="${ly}" fill="#111827"><tspan fill="${m.color}">■</tspan> ${escapeXml(m.label)}</text>`);
  });
  steps.forEach((s, i) => {
    const px = f(x(s.atSeconds!));
    const y = stepTop + stepLanes[i] * LANE;
    const color = s.outcome === 'ok' ? '#374151' : '#b91c1c';
    parts.push(`<line x1="${px}" y1="${top2 + PANEL}" x2="${px}" y2="${y - 4}" stroke="#d1d5db"/><circle cx="${px}" cy="${y - 4}" r="2.5" fill="${color}"/><text class="step" x="${f(Number(px) + (flip[i] ? -5 : 5))}" y="${y}"${flip[i] ? ' text-anchor="end"' : ''} fill="${color}">${escapeXml(s.name)}</text>`);
  });
  parts.push('</svg>');
  const legend = [
    ['#86efac', 'requests answered'], ['#ef4444', 'errors'], ['#2563eb', 'p50 latency'], ['#7c3aed', 'p95 latency'],
  ].map(([c, l]) => `<li><span class="swatch" style="background:${c}"></span>${l}</li>`).join('');
  return `<figure class="timeline"><div class="scroll">${parts.join('\n')}</div><ul class="legend">${legend}</ul></figure>`;
}

/** 35 s, 12.5 s, 25 min, 2 h: objectives and measurements as people say them. */
export function secondsText(s: number): string {
  const round = (x: number) => String(Number(x.toFixed(1)));
  if (s < 120) return `${round(s)} s`;
  if (s < 7200) return `${round(s / 60)} min`;
  return `${round(s / 3600)} h`;
}

const CSS = `*{box-sizing:border-box}body{font-family:system-ui,sans-serif;margin:0 auto;padding:1rem;color:#111827;max-width:1000px;line-height:1.4}
h1{font-size:1.4rem}table{border-collapse:collapse;margin:.5rem 0}
td,th{padding:.25rem .6rem;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}.pass{background:#dcfce7}.fail{background:#fee2e2}.aborted{background:#fef3c7}
.verdict{font-weight:bold;padding:.1rem .5rem;border-radius:4px}pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f3f4f6;padding:.5rem}
.scroll{overflow-x:auto}figure.timeline{margin:0}svg.timeline{display:block;width:100%;min-width:640px;height:auto}.why{color:#4b5563;font-size:.9rem}
ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem;font-size:.9rem}ul.legend li{display:flex;align-items:center;gap:.35rem}
.swatch{display:inline-block;width:14px;height:10px;border-radius:2px}`;

export function renderGamedayHtml(r: GamedayReport): string {
  const sec = (v: number | null) => (v === null ? 'n/a' : secondsText(v));
  const res = (o: { met: boolean; notMeasured?: string }) => (o.notMeasured ? `n/a <span class="why">${escapeXml(o.notMeasured)}</span>` : o.met ? 'met' : '<b>missed</b>');
  // When there is no time to detect, the notes say why; the reader should not have to go looking.
  const whyNoDetect = r.timeToDetectSeconds === null ? r.notes.filter((n) => /time to detect|page alert/i.test(n)) : [];
  const detect = r.timeToDetectSeconds === null
    ? (whyNoDetect.length ? `<span class="why">${whyNoDetect.map(escapeXml).join('<br>')}</span>` : '<span class="why">no page alert fired during the run</span>')
    : escapeXml(r.detectedBy ?? '');
  const rows: [string, string, string, string][] = [
    ['RTO', sec(r.rto.measuredSeconds), sec(r.rto.objectiveSeconds), res(r.rto)],
    ['RPO', sec(r.rpo.measuredSeconds), sec(r.rpo.objectiveSeconds), res(r.rpo)],
    ['Lost writes', `${r.rpo.lostWrites ?? 'n/a'} of ${r.rpo.acknowledgedWrites} acknowledged`, '', ''],
    ['Time to detect', sec(r.timeToDetectSeconds), '', detect],
    ['Time to mitigate', sec(r.timeToMitigateSeconds), '', ''],
  ];
  const steps = r.steps
    .map((s) => `<tr><td>${escapeXml(s.name)}</td><td>${s.kind}</td><td>${s.outcome}</td><td>${s.atSeconds === null ? '' : s.atSeconds.toFixed(1)}</td><td>${s.expectedBySeconds ?? ''}</td><td>${escapeXml(stepDetail(s))}</td></tr>`)
    .join('\n');
  const title = `Game day ${r.scenario} — ${r.verdict}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeXml(title)}</title><style>${CSS}</style></head>
<body><h1>Game day: ${escapeXml(r.scenario)} (local lab) <span class="verdict ${r.verdict}">${r.verdict.toUpperCase()}</span></h1>
<p>Fault at ${escapeXml(r.faultStartedAt ?? 'n/a')}; sustained recovery at ${escapeXml(r.recoveredAt ?? 'n/a')}.</p>
${r.reasons.length ? `<ul>${r.reasons.map((x) => `<li><b>${escapeXml(x)}</b></li>`).join('')}</ul>` : ''}
<div class="scroll"><table class="figures"><tr><th>Metric</th><th>Measured</th><th>Objective</th><th>Result</th></tr>
${rows.map((row) => `<tr>${row.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n')}
</table></div>
<h2>Timeline</h2>
${timelineSvg(r)}
<h2>Runbook steps</h2>
<div class="scroll"><table class="steps"><tr><th>Step</th><th>Kind</th><th>Outcome</th><th>T+ (s)</th><th>Expected by (s)</th><th>Detail</th></tr>
${steps}
</table></div>
<h2>Method and notes</h2>
<pre>${escapeXml(renderGamedayMarkdown(r).split('\n').filter((l) => l.startsWith('RTO:') || l.startsWith('Load:') || l.startsWith('- ')).join('\n'))}</pre>
</body></html>
`;
}
