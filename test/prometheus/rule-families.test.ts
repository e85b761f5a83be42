// Each rule family on its own, as table tests over small SLOs: which rules it writes, into which of
// the SLO's groups (main, long, tiles), with which labels. promtool tests prove the values; these pin
// the shape that dashboards, Alertmanager routes and the cost budget depend on.
import { describe, expect, it } from 'vitest';
import type { SloConfig } from '../../src/slo/config.ts';
import type { Slo, SolidaModel } from '../../src/slo/model.ts';
import { sloRuleContext } from '../../src/prometheus/slo-context.ts';
import { sliRules } from '../../src/prometheus/sli-rules.ts';
import { metadataRules } from '../../src/prometheus/metadata-rules.ts';
import { alertRules } from '../../src/prometheus/alert-rules.ts';
import { isAlertingRule, type RecordingRule, type RuleGroup } from '../../src/prometheus/rule-group.ts';
import type { PrometheusSli } from '../../src/slo/model.ts';
import { modelOf } from './harness.ts';

const events = { events: { errors: 'http_requests_total{job="api",code=~"5.."}', total: 'http_requests_total{job="api"}' } };
const allTiersOff = { tiers: Object.fromEntries(['page-1h', 'page-6h', 'ticket-1d', 'ticket-3d'].map((t) => [t, { enabled: false }])) };

function model(slo: Partial<SloConfig>): SolidaModel {
  return modelOf({ evaluationInterval: '30s', services: [{ name: 'api' }], slos: [{ service: 'api', name: 'avail', objective: 99.9, sli: events, ...slo } as SloConfig] });
}
function ctxOf(m: SolidaModel, patch: Partial<Slo> = {}) {
  const slo = { ...m.slos[0], ...patch };
  return sloRuleContext(slo, slo.sli as PrometheusSli, m.evaluationInterval);
}
/** group suffix ('' = main group) → record or alert names, in order. */
function shape(groups: RuleGroup[]): Record<string, string[]> {
  return Object.fromEntries(groups.map((g) => [g.name.replace('solida-slo-api-avail', '') || 'main', g.rules.map((r) => (isAlertingRule(r) ? r.alert : r.record))]));
}

describe('SLI recording rules', () => {
  it.each([
    {
      name: 'a 30-day SLO with every tier off still records all of Sloth windows (its dashboards read them)',
      slo: { alerting: allTiersOff },
      tiles: ['slo:sli_error_events:rate10m', 'slo:sli_total_events:rate10m'],
      long: ['slo:sli_error:ratio_rate1d', 'slo:sli_error:ratio_rate3d', 'slo:sli_error:ratio_rate30d'],
      main: ['slo:sli_error_events:rate5m', 'slo:sli_total_events:rate5m', 'slo:sli_error:ratio_rate5m', 'slo:sli_error:ratio_rate30m', 'slo:sli_error:ratio_rate1h', 'slo:sli_error:ratio_rate2h', 'slo:sli_error:ratio_rate6h'],
    },
    {
      name: 'a tier window outside Sloth set is recorded where its length puts it',
      slo: { window: '7d', alerting: { tiers: { 'page-1h': { enabled: false }, 'page-6h': { enabled: false }, 'ticket-1d': { longWindow: '12h', shortWindow: '90m' }, 'ticket-3d': { enabled: false } } } },
      tiles: ['slo:sli_error_events:rate10m', 'slo:sli_total_events:rate10m'],
      long: ['slo:sli_error:ratio_rate12h', 'slo:sli_error:ratio_rate1d', 'slo:sli_error:ratio_rate3d', 'slo:sli_error:ratio_rate7d'],
      main: ['slo:sli_error_events:rate5m', 'slo:sli_total_events:rate5m', 'slo:sli_error:ratio_rate5m', 'slo:sli_error:ratio_rate30m', 'slo:sli_error:ratio_rate1h', 'slo:sli_error:ratio_rate90m', 'slo:sli_error:ratio_rate2h', 'slo:sli_error:ratio_rate6h'],
    },
    {
      name: 'a calendar month: the period ratio sums only tiles labelled with this month',
      slo: { window: { calendar: 'month' as const }, alerting: allTiersOff },
      tiles: ['slo:sli_error_events:rate10m', 'slo:sli_total_events:rate10m'],
      long: ['slo:sli_error:ratio_rate1d', 'slo:sli_error:ratio_rate3d', 'slo:sli_error:ratio_rate_month'],
      main: ['slo:sli_error_events:rate5m', 'slo:sli_total_events:rate5m', 'slo:sli_error:ratio_rate5m', 'slo:sli_error:ratio_rate30m', 'slo:sli_error:ratio_rate1h', 'slo:sli_error:ratio_rate2h', 'slo:sli_error:ratio_rate6h'],
    },
  ])('$name', ({ slo, tiles, long, main }) => {
    const groups = sliRules(ctxOf(model(slo)));
    expect(shape(groups)).toEqual({ '-tiles': tiles, '-long': long, main });
    expect(groups.map((g) => g.interval)).toEqual(['10m', '2m', '30s']);
  });

  it('divides by the total once, and sums tiles for windows over 6 hours', () => {
    const [tiles, long, main] = sliRules(ctxOf(model({ alerting: allTiersOff })));
    const byName = (g: RuleGroup, name: string) => g.rules.find((r) => !isAlertingRule(r) && r.record === name) as RecordingRule;
    expect(byName(main, 'slo:sli_error:ratio_rate1h').expr).toBe(
      '((sum(rate(http_requests_total{job="api",code=~"5.."}[1h])) or vector(0))) / clamp_min(sum(rate(http_requests_total{job="api"}[1h])), 1e-12)',
    );
    expect(byName(long, 'slo:sli_error:ratio_rate30d').expr).toBe(
      '(sum_over_time(slo:sli_error_events:rate10m{sloth_id="api-avail"}[30d])) / clamp_min(sum_over_time(slo:sli_total_events:rate10m{sloth_id="api-avail"}[30d]), 1e-12)',
    );
    expect(byName(long, 'slo:sli_error:ratio_rate30d').labels).toEqual({ sloth_id: 'api-avail', sloth_service: 'api', sloth_slo: 'avail', sloth_window: '30d' });
    expect(byName(tiles, 'slo:sli_total_events:rate10m').expr).toBe('sum(rate(http_requests_total{job="api"}[10m]))');
  });
});

describe('metadata rules', () => {
  it.each([
    { name: 'solida specs', source: undefined, info: { sloth_mode: 'solida', sloth_spec: 'solida/v1' } },
    { name: 'Sloth prometheus/v1 specs', source: { format: 'sloth' as const, spec: 'prometheus/v1', mode: 'cli-gen-prom' }, info: { sloth_mode: 'cli-gen-prom', sloth_spec: 'prometheus/v1' } },
    { name: 'Sloth PrometheusServiceLevel objects', source: { format: 'sloth' as const, spec: 'sloth.slok.dev/v1', mode: 'cli-gen-k8s' }, info: { sloth_mode: 'cli-gen-k8s', sloth_spec: 'sloth.slok.dev/v1' } },
  ])('sloth_slo_info for $name', ({ source, info }) => {
    const groups = metadataRules(ctxOf(model({}), source ? { source } : {}));
    const rule = groups.flatMap((g) => g.rules).find((r) => !isAlertingRule(r) && r.record === 'sloth_slo_info');
    expect(rule?.labels).toEqual({ sloth_id: 'api-avail', sloth_service: 'api', sloth_slo: 'avail', sloth_objective: '99.9', sloth_version: 'solida', ...info });
  });

  it('burn rates and budget in the groups that record the ratios they read', () => {
    expect(shape(metadataRules(ctxOf(model({}))))).toEqual({
      '-long': ['slo:objective:ratio', 'slo:error_budget:ratio', 'slo:time_period:days', 'slo:period_burn_rate:ratio', 'slo:period_error_budget_remaining:ratio', 'sloth_slo_info'],
      main: ['slo:current_burn_rate:ratio'],
    });
  });
});

describe('alert rules', () => {
  const sloth = { source: { format: 'sloth' as const, spec: 'prometheus/v1', mode: 'cli-gen-prom' } };
  it.each([
    { name: 'default tiers and the no-data alert', slo: {}, patch: {}, alerts: 5, noData: true },
    { name: 'no-data disabled', slo: { alerting: { noData: { enabled: false } } }, patch: {}, alerts: 4, noData: false },
    { name: 'solida spec with every tier off keeps the no-data alert', slo: { alerting: allTiersOff }, patch: {}, alerts: 1, noData: true },
    { name: 'Sloth spec with both alerts disabled: no alert at all, as Sloth', slo: { alerting: allTiersOff }, patch: sloth, alerts: 0, noData: false },
    { name: 'Sloth spec with alerts: tiers and no-data', slo: {}, patch: sloth, alerts: 5, noData: true },
  ])('$name', ({ slo, patch, alerts, noData }) => {
    const rules = alertRules(ctxOf(model(slo), patch)).flatMap((g) => g.rules);
    expect(rules).toHaveLength(alerts);
    expect(rules.some((r) => isAlertingRule(r) && r.alert.endsWith('NoData'))).toBe(noData);
  });

  it('the no-data alert carries severity but not sloth_severity (Sloth dashboards count those as burn)', () => {
    const rules = alertRules(ctxOf(model({}))).flatMap((g) => g.rules);
    const noData = rules.find((r) => isAlertingRule(r) && r.alert.endsWith('NoData'));
    expect(noData).toMatchObject({ alert: 'ApiAvailBudgetBurnNoData', expr: 'absent(slo:sli_total_events:rate5m{sloth_id="api-avail"})', for: '10m' });
    expect(noData?.labels).toEqual({ severity: 'ticket', sloth_id: 'api-avail', sloth_service: 'api', sloth_slo: 'avail' });
    const tiers = rules.filter((r) => isAlertingRule(r) && !r.alert.endsWith('NoData'));
    expect(tiers.map((r) => r.labels?.sloth_severity)).toEqual(['page', 'page', 'ticket', 'ticket']);
  });

  it('Sloth annotations: title for every spec, Sloth summary for Sloth specs, the spec own annotations win', () => {
    const title = (sev: string) => `(${sev}) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.`;
    const own = alertRules(ctxOf(model({ alerting: { annotations: { team: 'core' } } }))).flatMap((g) => g.rules);
    expect(own[0]).toMatchObject({ annotations: { title: title('page'), team: 'core', summary: 'api-avail: error budget burning at over 14.4x (page-1h)' } });
    const fromSloth = alertRules(ctxOf(model({}), sloth)).flatMap((g) => g.rules);
    expect(fromSloth[2]).toMatchObject({ annotations: { title: title('ticket'), summary: '{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected.' } });
  });
});
