// Burn-down chart: budget remaining at each real sample of the window against the even-spend line
// (100% at the window's start, 0% at its close), with a legend and nice y ticks so labels never overlap,
// also when the budget goes below zero. When data covers only part of the window the frame starts at the
// first sample: ten minutes of data are drawn as ten minutes, not stretched over thirty days.
import type { BurnDownPoint } from './collect.ts';
import { lineChart } from '../util/svg-chart.ts';

export interface ChartFrame {
  /** ms since epoch. */
  start: number;
  close: number;
  /** Where the data ends (the report's time); defaults to the close. */
  end?: number;
}

export function burnDownSvg(points: BurnDownPoint[], frame: ChartFrame, title: string): string {
  const first = points[0]?.t;
  const xMin = first !== undefined && first > frame.start ? first : frame.start;
  const xMax = frame.end ?? frame.close;
  return lineChart({
    title,
    series: [{ name: 'budget remaining (measured)', points: points.map((p) => ({ t: p.t, v: p.remaining })), color: '#2563eb', className: 'actual' }],
    segments: [{ name: 'even spend to 0 at the window close', from: { t: frame.start, v: 1 }, to: { t: frame.close, v: 0 }, color: '#6b7280', dash: '6 4', className: 'ideal' }],
    rules: [{ name: 'budget exhausted', value: 0, color: '#dc2626', className: 'zero' }],
    xMin,
    xMax: Math.max(xMax, xMin + 60_000),
    yMax: 1,
    yMin: 0,
    yFormat: (v) => `${Math.round(v * 100)}%`,
    emptyText: 'no data over the window',
  });
}
