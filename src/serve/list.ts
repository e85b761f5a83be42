// The list page: every SLO with its figures, filtered and sorted on the server (so links and the
// no-script page work the same), rendered as a table that turns into cards on a phone.
import { createHash } from 'node:crypto';
import type { SloRow, Snapshot } from './model.ts';
import { esc, query } from './html.ts';
import { burn, clock, percent, sliPercent, STATE_LABEL } from './format.ts';

export const SORT_KEYS = ['slo', 'service', 'objective', 'sli', 'budget', 'burn', 'alerts', 'state'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export const STATES = ['ok', 'feature-freeze', 'fixes-only', 'no-data', 'error', 'firing'] as const;

export interface ListQuery {
  service?: string;
  /** A policy step, "error", or "firing" (any firing alert). */
  state?: string;
  /** Text in the SLO id. */
  q?: string;
  sort: SortKey;
  dir: 'asc' | 'desc';
}

export function parseListQuery(params: URLSearchParams): ListQuery {
  const sort = (SORT_KEYS as readonly string[]).includes(params.get('sort') ?? '') ? (params.get('sort') as SortKey) : 'state';
  const dir = params.get('dir') === 'asc' || params.get('dir') === 'desc' ? (params.get('dir') as 'asc' | 'desc') : defaultDir(sort);
  return { service: params.get('service') || undefined, state: params.get('state') || undefined, q: params.get('q') || undefined, sort, dir };
}

/** Worst first by default: a person opening the view wants the SLOs in trouble on top. */
function defaultDir(sort: SortKey): 'asc' | 'desc' {
  return sort === 'burn' || sort === 'alerts' || sort === 'state' ? 'desc' : 'asc';
}

const SEVERITY: Record<string, number> = { 'fixes-only': 5, 'feature-freeze': 4, error: 3, 'no-data': 2, ok: 1 };
const firing = (r: SloRow) => (r.alerts ?? []).filter((a) => a.state === 'firing').length;

function sortValue(r: SloRow, key: SortKey): number | string | null {
  switch (key) {
    case 'slo': return r.id;
    case 'service': return `${r.service}\u0000${r.id}`;
    case 'objective': return r.objective;
    case 'sli': return r.sli;
    case 'budget': return r.budgetRemaining;
    case 'burn': return r.currentBurn;
    case 'alerts': return firing(r) * 10 + (r.alerts ?? []).length - firing(r) + r.tiers.filter((t) => t.burning).length / 100;
    case 'state': return SEVERITY[r.state] * 100 + firing(r);
  }
}

export function selectRows(rows: SloRow[], q: ListQuery): SloRow[] {
  const text = q.q?.toLowerCase();
  const kept = rows.filter((r) =>
    (!q.service || r.service === q.service) &&
    (!q.state || (q.state === 'firing' ? firing(r) > 0 : r.state === q.state)) &&
    (!text || r.id.toLowerCase().includes(text)));
  const sign = q.dir === 'asc' ? 1 : -1;
  // Missing figures (no data) sort last in either direction; ties keep the id order.
  return kept.sort((a, b) => {
    const x = sortValue(a, q.sort);
    const y = sortValue(b, q.sort);
    if (x === null || y === null) return x === y ? a.id.localeCompare(b.id) : x === null ? 1 : -1;
    const c = typeof x === 'string' ? x.localeCompare(y as string) : x - (y as number);
    return c !== 0 ? sign * c : a.id.localeCompare(b.id);
  });
}

export function renderFilters(snapshot: Snapshot, q: ListQuery): string {
  const services = [...new Set(snapshot.rows.map((r) => r.service))].sort();
  const option = (value: string, label: string, current: string | undefined) => `<option value="${esc(value)}"${value === (current ?? '') ? ' selected' : ''}>${esc(label)}</option>`;
  return `<form class="filters" method="get" action="/" role="search">
<label>Service<select name="service">${option('', 'all services', q.service)}${services.map((s) => option(s, s, q.service)).join('')}</select></label>
<label>State<select name="state">${option('', 'all states', q.state)}${STATES.map((s) => option(s, s === 'firing' ? 'alert firing' : STATE_LABEL[s].toLowerCase(), q.state)).join('')}</select></label>
<label>SLO<input name="q" type="search" value="${esc(q.q ?? '')}" placeholder="filter by id"></label>
<button type="submit">Apply</button></form>`;
}

export function renderList(snapshot: Snapshot, q: ListQuery): string {
  const rows = selectRows(snapshot.rows, q);
  const counts = new Map<string, number>();
  for (const r of snapshot.rows) counts.set(r.state, (counts.get(r.state) ?? 0) + 1);
  const nFiring = snapshot.rows.filter((r) => firing(r) > 0).length;
  const link = (params: Partial<ListQuery>) => `/${query({ service: q.service, state: q.state, q: q.q, sort: q.sort, dir: q.dir, ...params } as Record<string, string | undefined>)}`;
  const chip = (state: string, n: number, label: string) => `<a data-nav href="${esc(link({ state: q.state === state ? undefined : state }))}"><span class="badge ${state}">${n} ${esc(label)}</span></a>`;
  const chips = [
    ...['fixes-only', 'feature-freeze', 'error', 'no-data', 'ok'].filter((s) => counts.get(s)).map((s) => chip(s, counts.get(s)!, STATE_LABEL[s as keyof typeof STATE_LABEL].toLowerCase())),
    nFiring ? chip('firing', nFiring, 'with alerts firing') : '',
  ].join('');
  const header = (key: SortKey, label: string, cls = '') => {
    const active = q.sort === key;
    const dir = active ? (q.dir === 'asc' ? 'desc' : 'asc') : defaultDir(key);
    const arrow = active ? (q.dir === 'asc' ? ' ▲' : ' ▼') : '';
    return `<th${cls ? ` class="${cls}"` : ''}${active ? ` aria-sort="${q.dir === 'asc' ? 'ascending' : 'descending'}"` : ''}><a data-nav href="${esc(link({ sort: key, dir }))}">${esc(label)}${arrow}</a></th>`;
  };
  const banner = snapshot.error
    ? `<div class="banner" role="alert"><b>${esc(snapshot.source)} cannot be read</b> since ${clock(snapshot.error.since)}: ${esc(snapshot.error.message)}. Figures below are the last read ones (each row says when).</div>`
    : '';
  const status = snapshot.version === 0
    ? 'reading the SLOs for the first time…'
    : `updated ${clock(snapshot.at)} (read in ${snapshot.tookMs} ms) · showing ${rows.length} of ${snapshot.rows.length} SLOs`;
  return `${banner}<h1>Service level objectives</h1><p class="muted" id="status" data-version="${snapshot.version}">${esc(status)}</p>
<div class="counts">${chips}</div>
<div class="scroll"><table class="slos"><thead><tr>${header('slo', 'SLO')}${header('service', 'Service')}${header('objective', 'Objective', 'num')}<th>Window</th>${header('sli', 'SLI now', 'num')}${header('budget', 'Budget left', 'num')}${header('burn', 'Burn 1h', 'num')}<th title="each tier's burn rate over its long and short window (windows on the SLO's page); it alerts when both reach the threshold">Burn per tier (long · short)</th>${header('alerts', 'Alerts')}${header('state', 'Policy')}</tr></thead>
<tbody>${rows.map((r) => rowHtml(r, snapshot)).join('\n')}</tbody></table></div>
${rows.length === 0 ? '<p>No SLO matches these filters.</p>' : ''}`;
}

const times = (x: number) => `${Number(x.toPrecision(3))}×`;

function rowHtml(r: SloRow, snapshot: Snapshot): string {
  const stale = snapshot.error && r.readAt !== null && snapshot.at !== null && r.readAt < snapshot.at - 1 ? ` <span class="muted">(as of ${clock(r.readAt)})</span>` : '';
  const budget = r.budgetRemaining === null ? 'no data' : `${percent(r.budgetRemaining)}<span class="bar" aria-hidden="true"><i class="${r.budgetRemaining <= 0 ? 'gone' : r.budgetRemaining < 0.25 ? 'low' : ''}" style="width:${Math.max(0, Math.min(100, r.budgetRemaining * 100)).toFixed(0)}%"></i></span>`;
  const tiers = r.tiers.length
    ? r.tiers.map((t) => `<span class="tier${t.burning ? ' burning' : ''}">${esc(t.tier)}: ${burn(t.long.burnRate)} · ${burn(t.short.burnRate)}${t.burning ? ' ≥ ' : ' / '}${times(t.threshold)}</span>`).join('')
    : '<span class="muted">—</span>';
  const alerts = r.alerts === null
    ? (r.tiers.some((t) => t.burning) ? '<span class="badge firing">burning</span>' : '<span class="muted">n/a</span>')
    : r.alerts.length
      ? r.alerts.map((a) => `<span class="badge ${a.state}" title="${esc(`${a.state} since ${a.activeAt ?? '?'}`)}">${esc(a.tier)} ${a.state}</span>`).join(' ')
      : '<span class="muted">none</span>';
  const cells = `<td data-label="SLO"><a href="/slo/${encodeURIComponent(r.id)}">${esc(r.name)}</a><div class="muted">${esc(r.id)}</div></td>
<td data-label="Service">${esc(r.service)}</td><td class="num" data-label="Objective">${r.objective}%</td><td data-label="Window">${esc(r.window)}</td>
<td class="num sli" data-label="SLI now">${sliPercent(r.sli)}</td><td class="num budget" data-label="Budget left">${budget}</td><td class="num burn" data-label="Burn 1h">${burn(r.currentBurn)}</td>
<td class="tiers" data-label="Burn per tier">${tiers}</td><td class="alerts" data-label="Alerts">${alerts}</td>
<td class="state" data-label="Policy"><span class="badge ${r.state}" title="${esc(r.reason)}">${STATE_LABEL[r.state]}</span>${stale}</td>`;
  // data-h: a digest of what the row shows, so a live update keeps (neither re-parses nor re-lays out) every
  // row whose figures did not change and replaces only the others.
  return `<tr data-id="${esc(r.id)}" data-h="${createHash('sha1').update(cells).digest('base64url').slice(0, 12)}">${cells}</tr>`;
}
