// Inline SVG burn-down chart: budget remaining over the window (polyline) against the ideal straight
// line from 100% at the window's start to 0% at its close. No script, no external assets.
import type { BurnDownPoint } from './collect.ts';
import { escapeXml } from '../util/escape.ts';

export interface ChartFrame {
  /** ms since epoch. */
  start: number;
  close: number;
}

const W = 640;
const H = 240;
const PAD = { left: 48, right: 12, top: 12, bottom: 28 };

export function burnDownSvg(points: BurnDownPoint[], frame: ChartFrame, title: string): string {
  const lowest = Math.min(0, ...points.map((p) => p.remaining));
  const x = (t: number) => PAD.left + ((t - frame.start) / (frame.close - frame.start)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + ((1 - v) / (1 - lowest)) * (H - PAD.top - PAD.bottom);
  const fmt = (n: number) => n.toFixed(1);
  const ideal = `<line class="ideal" x1="${fmt(x(frame.start))}" y1="${fmt(y(1))}" x2="${fmt(x(frame.close))}" y2="${fmt(y(0))}" stroke="#888" stroke-dasharray="6 4"/>`;
  const zero = `<line class="zero" x1="${PAD.left}" y1="${fmt(y(0))}" x2="${W - PAD.right}" y2="${fmt(y(0))}" stroke="#c33" stroke-width="0.5"/>`;
  const actual = points.length
    ? `<polyline class="actual" fill="none" stroke="#1f6feb" stroke-width="2" points="${points.map((p) => `${fmt(x(p.t))},${fmt(y(p.remaining))}`).join(' ')}"/>`
    : `<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no data</text>`;
  const labels = [
    `<text x="${PAD.left - 4}" y="${fmt(y(1) + 4)}" text-anchor="end" font-size="11">100%</text>`,
    `<text x="${PAD.left - 4}" y="${fmt(y(0) + 4)}" text-anchor="end" font-size="11">0%</text>`,
    `<text x="${PAD.left}" y="${H - 8}" font-size="11">${new Date(frame.start).toISOString().slice(0, 16)}Z</text>`,
    `<text x="${W - PAD.right}" y="${H - 8}" text-anchor="end" font-size="11">${new Date(frame.close).toISOString().slice(0, 16)}Z</text>`,
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="${PAD.left}" y="${PAD.top}" width="${W - PAD.left - PAD.right}" height="${H - PAD.top - PAD.bottom}" fill="none" stroke="#ddd"/>`,
    zero,
    ideal,
    actual,
    ...labels,
    '</svg>',
  ].join('\n');
}
