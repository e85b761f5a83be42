// Metadata recording rules, as Sloth writes them (its Grafana dashboards read these names): objective,
// budget, period length, current and period burn rates, budget remaining and `sloth_slo_info`.
import { num, sortLabels, type RecordingRule, type RuleGroup } from './rule-group.ts';
import { BASE_WINDOW, RECORD, type SloRuleContext } from './slo-context.ts';

/** Written as Sloth's `sloth_version`: which generator wrote the rules. */
const VERSION = 'solida';

export function metadataRules(ctx: SloRuleContext): RuleGroup[] {
  const { slo, labels, sel, groups } = ctx;
  const budget = num(slo.errorBudget);
  // Sloth input echoes the spec and mode Sloth itself would write; solida's own specs say so.
  const spec = slo.source?.spec ?? 'solida/v1';
  const mode = slo.source?.mode ?? 'solida';
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
      labels: sortLabels({ ...(slo.source?.sloth?.infoLabels ?? {}), ...labels, sloth_mode: mode, sloth_spec: spec, sloth_version: VERSION, sloth_objective: String(slo.objective) }),
    },
  ];
  return [
    { ...groups.long, rules: long },
    { ...groups.fast, rules: fast },
  ];
}
