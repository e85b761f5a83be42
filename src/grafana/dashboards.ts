// Grafana dashboards from the SLO model, reading only the series the generated Prometheus rules record
// (Sloth's names: slo:sli_error:ratio_rate5m, slo:period_error_budget_remaining:ratio…), so they work
// wherever `solida generate prometheus` rules are loaded — and for Sloth's own rules too.
// An overview of every SLO (filtered by $service and $slo) and one dashboard per service ($slo).
import { createHash } from 'node:crypto';
import type { Slo, SolidaModel } from '../slo/model.ts';
import { explainTier } from '../slo/explain.ts';
import { humanSeconds } from '../slo/duration.ts';
import { RECORD } from '../prometheus/slo-context.ts';
import { dashboard, datasourceVariable, queryVariable, row, stat, table, timeSeries, type Json } from './panels.ts';

export interface DashboardFile {
  path: string;
  uid: string;
  dashboard: Json;
}

const RED = 'red';
const GREEN = 'green';
const ORANGE = 'orange';
const num = (x: number) => Number(x.toPrecision(12));
const pct = (x: number) => `${Number((x * 100).toPrecision(3))}%`;

/** Grafana uids are at most 40 characters: long service names get a stable hash. */
export function serviceUid(service: string): string {
  const uid = `solida-${service}`;
  if (uid.length <= 40 && /^[a-zA-Z0-9_-]+$/.test(uid)) return uid;
  return `solida-${createHash('sha256').update(service).digest('hex').slice(0, 24)}`;
}

export function grafanaDashboards(model: SolidaModel): DashboardFile[] {
  const slos = model.slos.filter((s) => s.sli.source === 'prometheus');
  const services = [...new Set(slos.map((s) => s.service))].sort();
  return [
    { path: 'slo-overview.json', uid: 'solida-slo-overview', dashboard: overview() },
    ...services.map((svc) => ({ path: `service-${svc}.json`, uid: serviceUid(svc), dashboard: serviceDashboard(svc, slos.filter((s) => s.service === svc)) })),
  ];
}

function overview(): Json {
  const sel = '{sloth_service=~"$service",sloth_id=~"$slo"}';
  const by = (expr: string) => `max by (sloth_service, sloth_id) (${expr})`;
  let id = 0;
  const panels: Json[] = [
    stat(++id, { x: 0, y: 0, w: 6, h: 4 }, { title: 'SLOs', unit: 'none', steps: [{ value: null, color: 'blue' }] }, { expr: `count(${RECORD.info}${sel})` }),
    stat(++id, { x: 6, y: 0, w: 6, h: 4 }, { title: 'Burning faster than the budget allows (5m)', description: 'SLOs whose 5-minute burn rate is above 1: at this pace the budget runs out before the window ends.', unit: 'none', steps: [{ value: null, color: GREEN }, { value: 1, color: ORANGE }] }, { expr: `count(${RECORD.currentBurnRate}${sel} > 1) or vector(0)` }),
    stat(++id, { x: 12, y: 0, w: 6, h: 4 }, { title: 'Budget exhausted', unit: 'none', steps: [{ value: null, color: GREEN }, { value: 1, color: RED }] }, { expr: `count(${RECORD.periodBudgetRemaining}${sel} <= 0) or vector(0)` }),
    stat(++id, { x: 18, y: 0, w: 6, h: 4 }, { title: 'SLO alerts firing', unit: 'none', steps: [{ value: null, color: GREEN }, { value: 1, color: RED }] }, { expr: `count(ALERTS{alertstate="firing",sloth_service=~"$service",sloth_id=~"$slo"}) or vector(0)` }),
    table(++id, { x: 0, y: 4, w: 24, h: 10 }, 'SLOs now', [
      { name: 'Objective %', target: { expr: by(`100 * ${RECORD.objective}${sel}`) } },
      { name: 'SLI (5m) %', target: { expr: by(`100 * (1 - ${RECORD.errorRatio('5m')}${sel})`) } },
      { name: 'Budget remaining %', target: { expr: by(`100 * ${RECORD.periodBudgetRemaining}${sel}`) } },
      { name: 'Burn rate (5m)', target: { expr: by(`${RECORD.currentBurnRate}${sel}`) } },
      { name: 'Burn rate (window)', target: { expr: by(`${RECORD.periodBurnRate}${sel}`) } },
      // Every SLO gets a row: 0 when nothing fires, not a missing cell.
      { name: 'Alerts firing', target: { expr: `sum by (sloth_service, sloth_id) (ALERTS{alertstate="firing",sloth_service=~"$service",sloth_id=~"$slo"}) or ${by(`${RECORD.info}${sel}`)} * 0` } },
    ], 'Budget remaining %'),
    timeSeries(++id, { x: 0, y: 14, w: 12, h: 9 }, { title: 'Error budget remaining', unit: 'percentunit', lines: [{ value: 0, color: RED }] }, [{ expr: `${RECORD.periodBudgetRemaining}${sel}`, legend: '{{sloth_id}}' }]),
    timeSeries(++id, { x: 12, y: 14, w: 12, h: 9 }, { title: 'Burn rate (5m)', description: '1 = spending the budget exactly over the window.', unit: 'none', min: 0, lines: [{ value: 1, color: ORANGE }] }, [{ expr: `${RECORD.currentBurnRate}${sel}`, legend: '{{sloth_id}}' }]),
  ];
  return dashboard({
    uid: 'solida-slo-overview',
    title: 'SLOs — overview',
    description: 'Every SLO: SLI, error budget and burn rate, from the rules of `solida generate prometheus`.',
    tags: ['solida', 'slo'],
    variables: [
      datasourceVariable(),
      queryVariable('service', 'Service', `label_values(${RECORD.info}, sloth_service)`, { multi: true }),
      queryVariable('slo', 'SLO', `label_values(${RECORD.info}{sloth_service=~"$service"}, sloth_id)`, { multi: true }),
    ],
    panels,
  });
}

function serviceDashboard(service: string, slos: Slo[]): Json {
  const sel = '{sloth_id="$slo"}';
  const ratio = (w: string, s: string) => `max without (sloth_window) (${RECORD.errorRatio(w)}${s})`;
  let id = 0;
  const panels: Json[] = [
    stat(++id, { x: 0, y: 0, w: 4, h: 4 }, { title: 'Objective', unit: 'percentunit', decimals: 3, steps: [{ value: null, color: 'blue' }] }, { expr: `${RECORD.objective}${sel}` }),
    stat(++id, { x: 4, y: 0, w: 5, h: 4 }, { title: 'SLI over the window', unit: 'percentunit', decimals: 3, steps: [{ value: null, color: 'blue' }] }, { expr: `1 - ${RECORD.periodBurnRate}${sel} * ${RECORD.errorBudget}${sel}` }),
    stat(++id, { x: 9, y: 0, w: 5, h: 4 }, { title: 'Error budget remaining', unit: 'percentunit', decimals: 1, steps: [{ value: null, color: RED }, { value: 0, color: ORANGE }, { value: 0.25, color: GREEN }] }, { expr: `${RECORD.periodBudgetRemaining}${sel}` }),
    stat(++id, { x: 14, y: 0, w: 5, h: 4 }, { title: 'Burn rate (5m)', unit: 'none', decimals: 2, steps: [{ value: null, color: GREEN }, { value: 1, color: ORANGE }] }, { expr: `${RECORD.currentBurnRate}${sel}` }),
    stat(++id, { x: 19, y: 0, w: 5, h: 4 }, { title: 'Alerts firing', unit: 'none', steps: [{ value: null, color: GREEN }, { value: 1, color: RED }] }, { expr: `count(ALERTS{alertstate="firing",sloth_id="$slo"}) or vector(0)` }),
    timeSeries(++id, { x: 0, y: 4, w: 12, h: 9 }, { title: 'Error budget remaining (burn-down)', unit: 'percentunit', lines: [{ value: 0, color: RED }] }, [{ expr: `${RECORD.periodBudgetRemaining}${sel}`, legend: 'budget remaining' }]),
    timeSeries(++id, { x: 12, y: 4, w: 12, h: 9 }, { title: 'Requests and errors', unit: 'reqps', min: 0 }, [
      { expr: `${RECORD.totalEvents('5m')}${sel}`, legend: 'requests' },
      { expr: `${RECORD.errorEvents('5m')}${sel}`, legend: 'errors' },
    ]),
    timeSeries(++id, { x: 0, y: 13, w: 24, h: 8 }, { title: 'Error ratio by window', unit: 'percentunit', min: 0 }, [{ expr: `{__name__=~"slo:sli_error:ratio_rate.+",sloth_id="$slo"}`, legend: '{{sloth_window}}' }]),
  ];
  // Tiers differ per SLO (their windows and thresholds), so each SLO gets its own row of tier panels.
  let y = 21;
  for (const slo of slos) {
    const tiers = slo.alerting.tiers.filter((t) => t.enabled);
    if (!tiers.length) continue;
    panels.push(row(++id, y, `Alert tiers of ${slo.id}`));
    y += 1;
    const s = `{sloth_id="${slo.id}"}`;
    tiers.forEach((t, i) => {
      const e = explainTier(slo, t);
      panels.push(timeSeries(++id, { x: (i % 2) * 12, y: y + Math.floor(i / 2) * 8, w: 12, h: 8 }, {
        title: `${t.name}: error ratio vs ${pct(e.threshold)} (${num(t.burnRate)}× burn)`,
        description: `Fires when both windows are above ${pct(e.threshold)}. Detects a total outage in ${humanSeconds(e.detectionSeconds)}, resets ${humanSeconds(e.resetSeconds)} after recovery; spends ${pct(e.budgetConsumed)} of the budget when it fires.`,
        unit: 'percentunit',
        min: 0,
        lines: [{ value: num(e.threshold), color: RED }],
      }, [
        { expr: ratio(t.longWindow.text, s), legend: `${t.longWindow.text} window` },
        { expr: ratio(t.shortWindow.text, s), legend: `${t.shortWindow.text} window` },
      ]));
    });
    y += Math.ceil(tiers.length / 2) * 8;
  }
  return dashboard({
    uid: serviceUid(service),
    title: `SLOs — ${service}`,
    description: `SLOs of service ${service}: budget, burn-down, traffic and each alert tier against its threshold.`,
    tags: ['solida', 'slo', `service:${service}`],
    variables: [datasourceVariable(), queryVariable('slo', 'SLO', `label_values(${RECORD.info}{sloth_service="${service}"}, sloth_id)`, { multi: false, current: slos[0]?.id })],
    panels,
  });
}
