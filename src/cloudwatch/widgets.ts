// Dashboard widget builders shared by the per-resource golden signals and the SLO sections: the
// metric-line array format of the Dashboard Body Structure, graphs, text and threshold annotations.
import type { Dimensions } from './metrics.ts';

export interface Widget {
  type: 'metric' | 'text' | 'alarm';
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

/** A widget before layout places it on the grid. */
export type Sized = Omit<Widget, 'x' | 'y'>;
export type MetricLine = unknown[];

export function metricLine(m: { namespace: string; metricName: string; dimensions: Dimensions }, opts: Record<string, unknown>): MetricLine {
  const dims = Object.entries(m.dimensions)
    .sort(([a], [b]) => a.localeCompare(b))
    .flat();
  return [m.namespace, m.metricName, ...dims, opts];
}

export function graph(title: string, region: string, metrics: MetricLine[], extra: Record<string, unknown> = {}, width = 8): Sized {
  return {
    type: 'metric',
    width,
    height: 6,
    properties: { title, region, view: 'timeSeries', stacked: false, period: 300, metrics, ...extra },
  };
}

export function text(markdown: string, height = 2): Sized {
  return { type: 'text', width: 24, height, properties: { markdown } };
}

export function hline(label: string, value: number) {
  return { horizontal: [{ label, value }] };
}
