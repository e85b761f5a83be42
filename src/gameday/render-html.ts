// The game-day report as one self-contained HTML page: the figures, and an inline SVG timeline of request
// rate and errors (top) and latency (bottom), with the fault, the recovery and the runbook steps marked.
import { escapeXml } from '../util/escape.ts';
import { renderGamedayMarkdown, stepDetail } from './render-markdown.ts';
import type { GamedayReport } from './report.ts';

const W = 900;
const PANEL = 150;
const GAP = 40;
const LEFT = 50;
const RIGHT = 20;
const TOP = 20;
const BOTTOM = 110; // room for step labels

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= v) ?? 10 * p;
}

export function timelineSvg(r: GamedayReport): string {
  const tl = r.timeline;
  if (tl.length === 0) return '<p>No requests were recorded.</p>';
  const t0 = tl[0].t;
  const t1 = tl[tl.length - 1].t + 1;
  const plotW = W - LEFT - RIGHT;
  const x = (t: number) => LEFT + ((t - t0) / (t1 - t0)) * plotW;
  const rateMax = niceMax(Math.max(...tl.map((b) => b.requests)));
  const latMax = niceMax(Math.max(1, ...tl.map((b) => b.p95Ms ?? 0)));
  const top2 = TOP + PANEL + GAP;
  const yRate = (v: number) => TOP + PANEL - (v / rateMax) * PANEL;
  const yLat = (v: number) => top2 + PANEL - (v / latMax) * PANEL;
  const parts: string[] = [];
  const height = top2 + PANEL + BOTTOM;
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" font-family="system-ui,sans-serif" font-size="11">`);
  // Bars: ok (green) stacked under errors (red), one per second.
  const bw = Math.max(1, plotW / (t1 - t0) - 1);
  for (const b of tl) {
    const ok = b.requests - b.errors;
    parts.push(`<rect x="${x(b.t).toFixed(1)}" y="${yRate(ok).toFixed(1)}" width="${bw.toFixed(1)}" height="${(TOP + PANEL - yRate(ok)).toFixed(1)}" fill="#86efac"><title>T${b.t >= 0 ? '+' : ''}${b.t}s: ${b.requests} req, ${b.errors} errors</title></rect>`);
    if (b.errors) parts.push(`<rect x="${x(b.t).toFixed(1)}" y="${yRate(b.requests).toFixed(1)}" width="${bw.toFixed(1)}" height="${(yRate(ok) - yRate(b.requests)).toFixed(1)}" fill="#ef4444"/>`);
  }
  // Latency lines (p50, p95).
  for (const [key, color] of [['p50Ms', '#2563eb'], ['p95Ms', '#7c3aed']] as const) {
    const pts = tl.filter((b) => b[key] !== null).map((b) => `${(x(b.t) + bw / 2).toFixed(1)},${yLat(Math.min(latMax, b[key]!)).toFixed(1)}`);
    if (pts.length) parts.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
  }
  // Axes and labels.
  for (const [y0, label, max] of [[TOP, 'requests/s (red: errors)', rateMax], [top2, 'latency ms (blue p50, purple p95)', latMax]] as const) {
    parts.push(`<line x1="${LEFT}" y1="${y0 + PANEL}" x2="${W - RIGHT}" y2="${y0 + PANEL}" stroke="#999"/><line x1="${LEFT}" y1="${y0}" x2="${LEFT}" y2="${y0 + PANEL}" stroke="#999"/>`);
    parts.push(`<text x="${LEFT - 4}" y="${y0 + 4}" text-anchor="end">${max}</text><text x="${LEFT - 4}" y="${y0 + PANEL}" text-anchor="end">0</text>`);
    parts.push(`<text x="${LEFT + 4}" y="${y0 - 4}" fill="#444">${escapeXml(label)}</text>`);
  }
  const tickEvery = niceMax((t1 - t0) / 10);
  for (let t = Math.ceil(t0 / tickEvery) * tickEvery; t <= t1; t += tickEvery) {
    parts.push(`<text x="${x(t).toFixed(1)}" y="${top2 + PANEL + 14}" text-anchor="middle">${t}s</text>`);
  }
  // Markers: fault (T=0), recovery, runbook steps.
  const vline = (t: number, color: string, label: string, dash = '') =>
    `<line x1="${x(t).toFixed(1)}" y1="${TOP}" x2="${x(t).toFixed(1)}" y2="${top2 + PANEL}" stroke="${color}" stroke-width="1.5"${dash ? ` stroke-dasharray="${dash}"` : ''}/><text x="${(x(t) + 3).toFixed(1)}" y="${TOP + 10}" fill="${color}">${escapeXml(label)}</text>`;
  if (r.faultStartedAt) parts.push(vline(0, '#dc2626', 'fault'));
  if (r.faultStartedAt && r.recoveredAt) parts.push(vline((Date.parse(r.recoveredAt) - Date.parse(r.faultStartedAt)) / 1000, '#16a34a', `recovered (RTO ${r.rto.measuredSeconds}s)`));
  if (r.faultStartedAt && r.timeToDetectSeconds !== null) parts.push(vline(r.timeToDetectSeconds, '#ea580c', 'page alert', '4 3'));
  r.steps
    .filter((s) => s.atSeconds !== null && s.kind !== 'manual')
    .forEach((s, i) => {
      const px = x(s.atSeconds!).toFixed(1);
      const y = top2 + PANEL + 28 + (i % 5) * 15;
      const color = s.outcome === 'ok' ? '#555' : '#dc2626';
      parts.push(`<line x1="${px}" y1="${top2 + PANEL}" x2="${px}" y2="${y - 9}" stroke="#bbb"/><circle cx="${px}" cy="${y - 4}" r="2.5" fill="${color}"/><text x="${(Number(px) + 5).toFixed(1)}" y="${y}" fill="${color}">${escapeXml(s.name)}</text>`);
    });
  parts.push('</svg>');
  return parts.join('\n');
}

const CSS = `body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1000px}table{border-collapse:collapse;margin:.5rem 0}
td,th{padding:.2rem .6rem;border-bottom:1px solid #eee;text-align:left;vertical-align:top}.pass{background:#dcfce7}.fail{background:#fee2e2}.aborted{background:#fef3c7}
.verdict{font-weight:bold;padding:.1rem .5rem;border-radius:4px}pre{white-space:pre-wrap;background:#f8f8f8;padding:.5rem}`;

export function renderGamedayHtml(r: GamedayReport): string {
  const sec = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)} s`);
  const res = (met: boolean) => (met ? 'met' : '<b>missed</b>');
  const rows: [string, string, string, string][] = [
    ['RTO', sec(r.rto.measuredSeconds), sec(r.rto.objectiveSeconds), res(r.rto.met)],
    ['RPO', sec(r.rpo.measuredSeconds), sec(r.rpo.objectiveSeconds), res(r.rpo.met)],
    ['Lost writes', `${r.rpo.lostWrites ?? 'n/a'} of ${r.rpo.acknowledgedWrites} acknowledged`, '', ''],
    ['Time to detect', sec(r.timeToDetectSeconds), '', escapeXml(r.detectedBy ?? '')],
    ['Time to mitigate', sec(r.timeToMitigateSeconds), '', ''],
  ];
  const steps = r.steps
    .map((s) => `<tr><td>${escapeXml(s.name)}</td><td>${s.kind}</td><td>${s.outcome}</td><td>${s.atSeconds === null ? '' : s.atSeconds.toFixed(1)}</td><td>${s.expectedBySeconds ?? ''}</td><td>${escapeXml(stepDetail(s))}</td></tr>`)
    .join('\n');
  const title = `Game day ${r.scenario} — ${r.verdict}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title><style>${CSS}</style></head>
<body><h1>Game day: ${escapeXml(r.scenario)} (local lab) <span class="verdict ${r.verdict}">${r.verdict.toUpperCase()}</span></h1>
<p>Fault at ${escapeXml(r.faultStartedAt ?? 'n/a')}; sustained recovery at ${escapeXml(r.recoveredAt ?? 'n/a')}.</p>
${r.reasons.length ? `<ul>${r.reasons.map((x) => `<li><b>${escapeXml(x)}</b></li>`).join('')}</ul>` : ''}
<table><tr><th>Metric</th><th>Measured</th><th>Objective</th><th>Result</th></tr>
${rows.map((row) => `<tr>${row.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n')}
</table>
<h2>Timeline</h2>
${timelineSvg(r)}
<h2>Runbook steps</h2>
<table><tr><th>Step</th><th>Kind</th><th>Outcome</th><th>T+ (s)</th><th>Expected by (s)</th><th>Detail</th></tr>
${steps}
</table>
<h2>Method and notes</h2>
<pre>${escapeXml(renderGamedayMarkdown(r).split('\n').filter((l) => l.startsWith('RTO:') || l.startsWith('Load:') || l.startsWith('- ')).join('\n'))}</pre>
</body></html>
`;
}
