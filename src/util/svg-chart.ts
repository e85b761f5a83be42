// Server-rendered SVG line charts for the HTML reports and the live view: no script, no external asset,
// readable in an e-mail, a CI artifact or a browser. Axes carry "nice" ticks (1, 2, 5 × 10^n) so labels
// never pile up, the time axis is labelled in UTC, and the legend is HTML (it stays readable when the
// SVG is scaled down on a phone). Lines are drawn only through real samples: a gap in the data is a gap.

import { escapeXml as esc } from './escape.ts';

export interface ChartPoint {
  /** ms since epoch. */
  t: number;
  v: number;
}

export interface ChartSeries {
  name: string;
  points: ChartPoint[];
  color: string;
  /** SVG dash array, e.g. "6 4". */
  dash?: string;
  /** CSS class on the polyline (tests and styles find lines by it). */
  className?: string;
}

/** A horizontal reference line such as a threshold or the zero-budget line. */
export interface ChartRule {
  name: string;
  value: number;
  color: string;
  dash?: string;
  className?: string;
}

/** A straight segment between two points, e.g. the ideal burn-down. */
export interface ChartSegment {
  name: string;
  from: ChartPoint;
  to: ChartPoint;
  color: string;
  dash?: string;
  className?: string;
}

export interface ChartSpec {
  title: string;
  series: ChartSeries[];
  rules?: ChartRule[];
  segments?: ChartSegment[];
  /** Time frame (ms); defaults to the data's extent. */
  xMin?: number;
  xMax?: number;
  /** Value range; widened to hold every sample and rule. */
  yMin?: number;
  yMax?: number;
  yFormat: (v: number) => string;
  /** Shown instead of lines when no series has a point. */
  emptyText?: string;
  width?: number;
  height?: number;
}

const PAD = { left: 58, right: 14, top: 10, bottom: 26 };
const FONT = 12;

/** The SVG plus an HTML legend under it, wrapped in a <figure>. */
export function lineChart(spec: ChartSpec): string {
  const W = spec.width ?? 560;
  const H = spec.height ?? 220;
  const all = spec.series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.v));
  const empty = all.length === 0;
  const times = [...all.map((p) => p.t), ...(spec.segments ?? []).flatMap((s) => [s.from.t, s.to.t])];
  const xMin = spec.xMin ?? (times.length ? Math.min(...times) : Date.now() - 3_600_000);
  let xMax = spec.xMax ?? (times.length ? Math.max(...times) : Date.now());
  if (xMax <= xMin) xMax = xMin + 60_000;
  const values = [...all.map((p) => p.v), ...(spec.rules ?? []).map((r) => r.value)];
  let lo = Math.min(spec.yMin ?? Infinity, ...values);
  let hi = Math.max(spec.yMax ?? -Infinity, ...values);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (hi - lo < 1e-12) hi = lo + (Math.abs(lo) || 1);
  const ticks = niceTicks(lo, hi, 5);
  const yLo = ticks[0];
  const yHi = ticks[ticks.length - 1];
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (t: number) => PAD.left + ((t - xMin) / (xMax - xMin)) * plotW;
  const y = (v: number) => PAD.top + ((yHi - v) / (yHi - yLo)) * plotH;
  const f = (n: number) => n.toFixed(1);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" class="chart" role="img" aria-label="${esc(spec.title)}" font-family="system-ui,sans-serif" font-size="${FONT}">`,
    `<title>${esc(spec.title)}</title>`,
  ];
  for (const v of ticks) {
    out.push(`<line x1="${PAD.left}" y1="${f(y(v))}" x2="${W - PAD.right}" y2="${f(y(v))}" stroke="#e5e7eb"/>`);
    out.push(`<text class="y-tick" x="${PAD.left - 6}" y="${f(y(v) + 4)}" text-anchor="end" fill="#4b5563">${esc(spec.yFormat(v))}</text>`);
  }
  for (const t of timeTicks(xMin, xMax, Math.max(2, Math.floor(plotW / 90)))) {
    out.push(`<line x1="${f(x(t))}" y1="${PAD.top + plotH}" x2="${f(x(t))}" y2="${PAD.top + plotH + 4}" stroke="#9ca3af"/>`);
    out.push(`<text class="x-tick" x="${f(x(t))}" y="${H - 8}" text-anchor="middle" fill="#4b5563">${esc(timeLabel(t, xMax - xMin))}</text>`);
  }
  out.push(`<rect x="${PAD.left}" y="${PAD.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#d1d5db"/>`);
  for (const r of spec.rules ?? []) {
    out.push(`<line class="${esc(r.className ?? 'rule')}" x1="${PAD.left}" y1="${f(y(r.value))}" x2="${W - PAD.right}" y2="${f(y(r.value))}" stroke="${r.color}" stroke-width="1.5"${r.dash ? ` stroke-dasharray="${r.dash}"` : ''}><title>${esc(`${r.name}: ${spec.yFormat(r.value)}`)}</title></line>`);
  }
  for (const s of spec.segments ?? []) {
    const [a, b] = clipSegment(s.from, s.to, xMin, xMax);
    if (!a || !b) continue;
    out.push(`<line class="${esc(s.className ?? 'segment')}" x1="${f(x(a.t))}" y1="${f(y(a.v))}" x2="${f(x(b.t))}" y2="${f(y(b.v))}" stroke="${s.color}" stroke-width="1.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
  }
  if (empty) out.push(`<text class="empty" x="${f(PAD.left + plotW / 2)}" y="${f(PAD.top + plotH / 2)}" text-anchor="middle" fill="#6b7280" font-size="14">${esc(spec.emptyText ?? 'no data')}</text>`);
  for (const s of spec.series) {
    for (const run of runs(s.points.filter((p) => p.t >= xMin && p.t <= xMax))) {
      if (run.length === 1) {
        out.push(`<circle class="${esc(s.className ?? 'series')}" cx="${f(x(run[0].t))}" cy="${f(y(run[0].v))}" r="2.5" fill="${s.color}"/>`);
        continue;
      }
      out.push(`<polyline class="${esc(s.className ?? 'series')}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''} points="${run.map((p) => `${f(x(p.t))},${f(y(p.v))}`).join(' ')}"/>`);
    }
  }
  out.push('</svg>');
  const legend = [
    ...spec.series.map((s) => legendItem(s.name, s.color, s.dash)),
    ...(spec.segments ?? []).map((s) => legendItem(s.name, s.color, s.dash)),
    ...(spec.rules ?? []).map((r) => legendItem(`${r.name} (${spec.yFormat(r.value)})`, r.color, r.dash)),
  ];
  return `<figure class="chart-box"><figcaption>${esc(spec.title)}</figcaption>${out.join('')}<ul class="legend">${legend.join('')}</ul></figure>`;
}

/** CSS the chart markup needs (the pages that embed charts include it once). */
export const CHART_CSS = `.chart-box{margin:.5rem 0 1rem;max-width:640px}.chart-box figcaption{font-weight:600;margin-bottom:.25rem}
svg.chart{width:100%;height:auto;display:block}ul.legend{list-style:none;padding:0;margin:.25rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem;font-size:.85rem}
ul.legend li{display:flex;align-items:center;gap:.35rem}ul.legend svg{flex:none}`;

function legendItem(name: string, color: string, dash?: string): string {
  return `<li><svg width="22" height="10" aria-hidden="true"><line x1="1" y1="5" x2="21" y2="5" stroke="${color}" stroke-width="3"${dash ? ` stroke-dasharray="${dash === '6 4' ? '5 3' : dash}"` : ''}/></svg>${esc(name)}</li>`;
}

/** Splits a series where samples are missing (a step more than 2.5× the usual apart): gaps stay gaps. */
function runs(points: ChartPoint[]): ChartPoint[][] {
  const sorted = points.filter((p) => Number.isFinite(p.v)).sort((a, b) => a.t - b.t);
  if (sorted.length < 3) return sorted.length ? [sorted] : [];
  const steps = sorted.slice(1).map((p, i) => p.t - sorted[i].t).sort((a, b) => a - b);
  const usual = steps[Math.floor(steps.length / 2)];
  const out: ChartPoint[][] = [[sorted[0]]];
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].t - sorted[i - 1].t > usual * 2.5) out.push([]);
    out[out.length - 1].push(sorted[i]);
  }
  return out;
}

function clipSegment(a: ChartPoint, b: ChartPoint, lo: number, hi: number): [ChartPoint | undefined, ChartPoint | undefined] {
  const at = (t: number): ChartPoint => ({ t, v: a.v + ((b.v - a.v) * (t - a.t)) / (b.t - a.t || 1) });
  const t0 = Math.max(lo, Math.min(a.t, b.t));
  const t1 = Math.min(hi, Math.max(a.t, b.t));
  if (t1 <= t0) return [undefined, undefined];
  return [at(t0), at(t1)];
}

/** Ticks at 1, 2 or 5 × 10^n covering [lo, hi] with about `count` intervals. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const first = Math.floor(lo / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v < hi + step - 1e-9 * step; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks.length < 2) ticks.push(Number((first + step).toPrecision(12)));
  return ticks;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const TIME_STEPS = [MIN, 2 * MIN, 5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY];

/** Round UTC times inside [lo, hi], at most `max` of them. */
export function timeTicks(lo: number, hi: number, max: number): number[] {
  const step = TIME_STEPS.find((s) => (hi - lo) / s <= max) ?? Math.ceil((hi - lo) / max / DAY) * DAY;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) out.push(t);
  return out;
}

function timeLabel(t: number, span: number): string {
  const iso = new Date(t).toISOString();
  if (span <= 2 * DAY) return `${iso.slice(11, 16)}`;
  if (t % DAY === 0) return iso.slice(5, 10);
  return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

