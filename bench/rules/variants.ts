// The rule sets the bench compares, all for the same N availability SLOs (99.9 % over 30 days) and the
// same counters: solida's new rules, solida's rules before issue 19, and rule sets shaped as Sloth and
// Pyrra document their output (Sloth's getting-started output; Pyrra's ratio SLO rules).
import { configSchema, type SolidaConfig } from '../../src/slo/config.ts';
import { normalizeConfig } from '../../src/slo/normalize.ts';
import type { SolidaModel } from '../../src/slo/model.ts';
import { prometheusRuleGroups } from '../../src/prometheus/rules.ts';
import type { RuleGroup } from '../../src/prometheus/rule-group.ts';
import { legacySloGroups } from './legacy-solida.ts';
import { sloTraffic } from './traffic.ts';

export const VARIANTS = ['solida-new', 'solida-old', 'sloth', 'pyrra'] as const;
export type Variant = (typeof VARIANTS)[number];

export const SERVICE = 'bench';
const OBJECTIVE = 99.9;
const BUDGET = 0.001;

export function benchModel(n: number, interval: string): SolidaModel {
  const config: SolidaConfig = {
    evaluationInterval: interval,
    services: [{ name: SERVICE }],
    slos: Array.from({ length: n }, (_, i) => {
      const { job } = sloTraffic(i);
      return { service: SERVICE, name: job, objective: OBJECTIVE, window: '30d', sli: { events: { errors: `http_requests_total{job="${job}",code=~"5.."}`, total: `http_requests_total{job="${job}"}` } } };
    }),
  } as SolidaConfig;
  const { model, problems } = normalizeConfig(configSchema.parse(config) as SolidaConfig, 'bench');
  if (problems.length) throw new Error(problems[0].message);
  return model;
}

export function variantGroups(variant: Variant, n: number, interval: string): RuleGroup[] {
  const model = benchModel(n, interval);
  if (variant === 'solida-new') return prometheusRuleGroups(model).flatMap((s) => s.groups);
  if (variant === 'solida-old') return model.slos.flatMap((slo) => legacySloGroups(slo, interval));
  const jobs = Array.from({ length: n }, (_, i) => sloTraffic(i).job);
  return variant === 'sloth' ? jobs.flatMap(slothGroups) : jobs.flatMap(pyrraGroups);
}

const SLOTH_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];

/** Sloth's three groups per SLO: SLI recordings (every window from the raw counters), metadata, alerts. */
function slothGroups(job: string): RuleGroup[] {
  const id = `${SERVICE}-${job}`;
  const labels = { sloth_id: id, sloth_service: SERVICE, sloth_slo: job };
  const sel = `{sloth_id="${id}", sloth_service="${SERVICE}", sloth_slo="${job}"}`;
  const err = (w: string) => `sum(rate(http_requests_total{job="${job}",code=~"5.."}[${w}]))`;
  const tot = (w: string) => `sum(rate(http_requests_total{job="${job}"}[${w}]))`;
  const sli = SLOTH_WINDOWS.map((w) => ({ record: `slo:sli_error:ratio_rate${w}`, expr: `(${err(w)})\n/\n(${tot(w)})\n`, labels: { ...labels, sloth_window: w } }));
  sli.push({
    record: 'slo:sli_error:ratio_rate30d',
    expr: `sum_over_time(slo:sli_error:ratio_rate5m${sel}[30d])\n/ ignoring (sloth_window)\ncount_over_time(slo:sli_error:ratio_rate5m${sel}[30d])\n`,
    labels: { ...labels, sloth_window: '30d' },
  });
  const meta = [
    { record: 'slo:objective:ratio', expr: `vector(0.9990000000000001)`, labels },
    { record: 'slo:error_budget:ratio', expr: `vector(1-0.9990000000000001)`, labels },
    { record: 'slo:time_period:days', expr: `vector(30)`, labels },
    { record: 'slo:current_burn_rate:ratio', expr: `slo:sli_error:ratio_rate5m${sel}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio${sel}\n`, labels },
    { record: 'slo:period_burn_rate:ratio', expr: `slo:sli_error:ratio_rate30d${sel}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio${sel}\n`, labels },
    { record: 'slo:period_error_budget_remaining:ratio', expr: `1 - slo:period_burn_rate:ratio${sel}`, labels },
    { record: 'sloth_slo_info', expr: `vector(1)`, labels: { ...labels, sloth_mode: 'cli-gen-prom', sloth_objective: '99.9', sloth_spec: 'prometheus/v1', sloth_version: 'v0.11.0' } },
  ];
  const mwmb = (quick: [string, string, number], slow: [string, string, number]) => {
    const over = (w: string, f: number) => `max(slo:sli_error:ratio_rate${w}${sel} > (${f} * 0.0009999999999999432)) without (sloth_window)`;
    return `(\n    ${over(quick[0], quick[2])}\n    and\n    ${over(quick[1], quick[2])}\n)\nor\n(\n    ${over(slow[0], slow[2])}\n    and\n    ${over(slow[1], slow[2])}\n)\n`;
  };
  const annotations = (sev: string) => ({
    summary: '{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected.',
    title: `(${sev}) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.`,
  });
  const alerts = [
    { alert: 'BenchHighErrorRate', expr: mwmb(['5m', '1h', 14.4], ['30m', '6h', 6]), labels: { severity: 'page', sloth_severity: 'page' }, annotations: annotations('page') },
    { alert: 'BenchHighErrorRate', expr: mwmb(['2h', '1d', 3], ['6h', '3d', 1]), labels: { severity: 'ticket', sloth_severity: 'ticket' }, annotations: annotations('ticket') },
  ];
  return [
    { name: `sloth-slo-sli-recordings-${id}`, rules: sli },
    { name: `sloth-slo-meta-recordings-${id}`, rules: meta },
    { name: `sloth-slo-alerts-${id}`, rules: alerts },
  ];
}

/** Pyrra's ratio SLO: a 4-week increase every 2m30s, burn rates per window every 30s, four alerts. */
function pyrraGroups(job: string): RuleGroup[] {
  const slo = `pyrra-${job}`;
  const windows: [string, string, number, string][] = [
    ['5m', '1h', 14, 'critical'],
    ['30m', '6h', 7, 'critical'],
    ['2h', '1d', 2, 'warning'],
    ['6h', '4d', 1, 'warning'],
  ];
  const burn = [...new Set(windows.flatMap(([s, l]) => [s, l]))];
  const rate = (w: string, m: string) => `sum(rate(http_requests_total{${m}job="${job}"}[${w}]))`;
  return [
    {
      name: `${slo}-increase`,
      interval: '2m30s',
      rules: [
        { record: 'http_requests:increase4w', expr: `sum by (code) (increase(http_requests_total{job="${job}"}[4w]))`, labels: { job, slo } },
        { alert: 'SLOMetricAbsent', expr: `absent(http_requests_total{job="${job}"}) == 1`, for: '2m', labels: { job, slo, severity: 'critical' } },
      ],
    },
    {
      name: slo,
      interval: '30s',
      rules: [
        ...burn.map((w) => ({ record: `http_requests:burnrate${w}`, expr: `${rate(w, 'code=~"5..",')}\n/\n${rate(w, '')}`, labels: { job, slo } })),
        ...windows.map(([s, l, f, severity]) => ({
          alert: 'ErrorBudgetBurn',
          expr: `http_requests:burnrate${s}{job="${job}",slo="${slo}"} > (${f} * (1-0.999)) and http_requests:burnrate${l}{job="${job}",slo="${slo}"} > (${f} * (1-0.999))`,
          for: s === '5m' ? '2m' : s === '30m' ? '15m' : s === '2h' ? '1h' : '3h',
          labels: { job, slo, exhaustion: '', long: l, short: s, severity },
        })),
      ],
    },
  ];
}

export { BUDGET };
