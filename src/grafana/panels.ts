// Builders for the few Grafana panel shapes solida generates (stat, time series, table, row), written to
// Grafana's published dashboard schema (see schema/README.md): every field set here exists there.
export type Json = Record<string, unknown>;

export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

export interface Target {
  expr: string;
  legend?: string;
  /** Instant query (tables, stats of "now"). */
  instant?: boolean;
  format?: 'time_series' | 'table';
}

export interface Grid {
  x: number;
  y: number;
  w: number;
  h: number;
}

function targets(list: Target[]): Json[] {
  return list.map((t, i) => ({
    refId: String.fromCharCode(65 + i),
    datasource: DATASOURCE,
    expr: t.expr,
    ...(t.legend ? { legendFormat: t.legend } : {}),
    ...(t.instant ? { instant: true, range: false } : { range: true }),
    ...(t.format ? { format: t.format } : {}),
  }));
}

/** What every query panel starts with, in this order: kind, id, title, source, place, queries. */
function queryPanel(type: string, id: number, grid: Grid, title: string, description: string | undefined, list: Target[]): Json {
  return { type, id, title, ...(description ? { description } : {}), datasource: DATASOURCE, gridPos: grid, targets: targets(list) };
}

const thresholds = (steps: { value: number | null; color: string }[]) => ({ mode: 'absolute', steps });

export interface StatOptions {
  title: string;
  description?: string;
  unit: string;
  decimals?: number;
  /** Colour steps from the lowest value up, e.g. red below 0, green from 0. */
  steps: { value: number | null; color: string }[];
}

export function stat(id: number, grid: Grid, o: StatOptions, t: Target): Json {
  return {
    ...queryPanel('stat', id, grid, o.title, o.description, [{ ...t, instant: true }]),
    fieldConfig: { defaults: { unit: o.unit, ...(o.decimals !== undefined ? { decimals: o.decimals } : {}), color: { mode: 'thresholds' }, thresholds: thresholds(o.steps), noValue: 'no data' }, overrides: [] },
    options: {
      graphMode: 'none',
      colorMode: 'value',
      justifyMode: 'auto',
      textMode: 'auto',
      wideLayout: true,
      showPercentChange: false,
      percentChangeColorMode: 'standard',
      orientation: 'auto',
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
    },
  };
}

export interface TimeSeriesOptions {
  title: string;
  description?: string;
  unit: string;
  min?: number;
  /** Drawn as dashed lines: alert thresholds, the budget line. */
  lines?: { value: number; color: string }[];
}

export function timeSeries(id: number, grid: Grid, o: TimeSeriesOptions, list: Target[]): Json {
  const lines = o.lines ?? [];
  return {
    ...queryPanel('timeseries', id, grid, o.title, o.description, list),
    fieldConfig: {
      defaults: {
        unit: o.unit,
        ...(o.min !== undefined ? { min: o.min } : {}),
        color: { mode: 'palette-classic' },
        thresholds: thresholds([{ value: null, color: 'transparent' }, ...lines.map((l) => ({ value: l.value, color: l.color }))]),
        custom: {
          drawStyle: 'line',
          lineWidth: 2,
          fillOpacity: 0,
          showPoints: 'never',
          spanNulls: false,
          thresholdsStyle: { mode: lines.length ? 'dashed' : 'off' },
        },
      },
      overrides: [],
    },
    options: {
      legend: { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: [] },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
  };
}

export interface TableColumn {
  /** Column title (say the unit in it: the table has one number format). */
  name: string;
  target: Target;
}

/**
 * One row per SLO: instant queries joined on their labels (merge), renamed to readable columns. Values
 * come out of PromQL in the unit the title names (percent as 0–100), so no per-column override is needed.
 */
export function table(id: number, grid: Grid, title: string, columns: TableColumn[], sortBy: string): Json {
  const letters = columns.map((_, i) => String.fromCharCode(65 + i));
  return {
    ...queryPanel('table', id, grid, title, undefined, columns.map((c) => ({ ...c.target, instant: true, format: 'table' }))),
    transformations: [
      { id: 'merge', options: {} },
      {
        id: 'organize',
        options: {
          excludeByName: { Time: true },
          renameByName: Object.fromEntries(columns.map((c, i) => [`Value #${letters[i]}`, c.name]).concat([['sloth_service', 'Service'], ['sloth_id', 'SLO']])),
          indexByName: {},
        },
      },
    ],
    fieldConfig: { defaults: { decimals: 3, custom: { align: 'auto', inspect: false } }, overrides: [] },
    options: { showHeader: true, frameIndex: 0, cellHeight: 'sm', sortBy: [{ displayName: sortBy, desc: false }], footer: { show: false, reducer: ['sum'], countRows: false } },
  };
}

export function row(id: number, y: number, title: string): Json {
  return { type: 'row', id, title, collapsed: false, panels: [], gridPos: { x: 0, y, w: 24, h: 1 } };
}

export function datasourceVariable(): Json {
  return { type: 'datasource', name: 'datasource', label: 'Prometheus', query: 'prometheus', refresh: 1, hide: 0, current: { text: 'default', value: 'default' } };
}

export function queryVariable(name: string, label: string, query: string, o: { multi: boolean; current?: string }): Json {
  return {
    type: 'query',
    name,
    label,
    datasource: DATASOURCE,
    query,
    definition: query,
    refresh: 2,
    sort: 1,
    hide: 0,
    multi: o.multi,
    includeAll: o.multi,
    ...(o.multi ? { allValue: '.*', current: { text: 'All', value: '$__all' } } : o.current ? { current: { text: o.current, value: o.current } } : {}),
    options: [],
  };
}

export function dashboard(d: { uid: string; title: string; description: string; tags: string[]; variables: Json[]; panels: Json[] }): Json {
  return {
    id: null,
    uid: d.uid,
    title: d.title,
    description: d.description,
    tags: d.tags,
    timezone: 'utc',
    editable: true,
    graphTooltip: 1,
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
    schemaVersion: 41,
    version: 1,
    links: [{ title: 'SLO dashboards', type: 'dashboards', icon: 'dashboard', tooltip: 'every solida SLO dashboard', tags: ['solida'], asDropdown: true, targetBlank: false, includeVars: false, keepTime: true, url: '' }],
    annotations: { list: [{ builtIn: 1, datasource: { type: 'grafana', uid: '-- Grafana --' }, enable: true, hide: true, iconColor: 'rgba(0, 211, 255, 1)', name: 'Annotations & Alerts', type: 'dashboard' }] },
    templating: { list: d.variables },
    panels: d.panels,
  };
}
