// Metadata recording rules, as Sloth writes them (its Grafana dashboards read these names): objective,
// budget, period length, current and period burn rates, budget remaining and `sloth_slo_info`.
import { num, sortLabels, type RecordingRule, type RuleGroup } from './rule-group.ts';
import { BASE_WINDOW, RECORD, type SloRuleContext } from './slo-context.ts';

/** solida's own specs; Sloth input echoes the spec and mode Sloth itself would write. */
const SOLIDA_SOURCE = { spec: 'solida/v1', mode: 'solida' };
const VERSION = 'solida';

export function metadataRules(ctx: SloRuleContext): RuleGroup[] {
  const { slo, labels, sel, groups } = ctx;
  const budget = num(slo.errorBudget);
  const source = slo.source ?? SOLIDA_SOURCE;
  const fast: RecordingRule[] = [
    { record: RECORD.currentBurnRate, expr: `sum without (sloth_window) (${RECORD.errorRatio(BASE_WINDOW)}${sel}) / ${budget}`, labels },
  ];
  const long: RecordingRule[] = [
    { record: RECORD.objective, expr: `vector(${num(slo.objective / 100)})`, labels },
    { record: RECORD.errorBudget, expr: `vector(${budget})`, labels },
    { record: RECORD.timePeriodDays, expr: `vector(${num(slo.periodSeconds / 86400)})`, labels },
    { record: RECORD.periodBurnRate, expr: `sum without (sloth_window) (${RECORD.errorRatio(ctx.period)}${sel}) / ${budget}`, labels },
    { record: RECORD.periodBudgetRemaining, expr: `1 - ${RECORD.periodBurnRate}${sel}`, labels },
    {
      record: RECORD.info,
      expr: 'vector(1)',
      labels: sortLabels({ ...labels, sloth_mode: source.mode ?? SOLIDA_SOURCE.mode, sloth_spec: source.spec, sloth_version: VERSION, sloth_objective: String(slo.objective) }),
    },
  ];
  return [
    { ...groups.long, rules: long },
    { ...groups.fast, rules: fast },
  ];
}
