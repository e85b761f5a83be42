// Alert rules: one multiwindow burn-rate alert per enabled tier (told apart by `solida_tier`), plus a
// no-data alert. Both live in the SLO's main group, after the ratios they read.
import type { AlertTier } from '../slo/model.ts';
import { num, sortLabels, type AlertingRule, type RuleGroup } from './rule-group.ts';
import { BASE_WINDOW, RECORD, type SloRuleContext } from './slo-context.ts';
import { noDataAnnotations, tierAnnotations } from './annotations.ts';
// Alert labels and annotations are Go templates when the alert fires: free text from the spec is escaped.
import { escapeTemplateValues } from './escape.ts';

export function alertRules(ctx: SloRuleContext): RuleGroup[] {
  const { slo } = ctx;
  const tiers = slo.alerting.tiers.filter((t) => t.enabled);
  const alerts: AlertingRule[] = tiers.map((t) => tierAlert(ctx, t));
  // Sloth emits no alert at all when a spec disables both of its alerts; a Sloth spec gets the same.
  const sloth = slo.source?.sloth;
  const slothSilenced = slo.source?.format === 'sloth' && (sloth ? sloth.pageDisabled && sloth.ticketDisabled : tiers.length === 0);
  if (slo.alerting.noData.enabled && !slothSilenced) alerts.push(noDataAlert(ctx));
  return [{ ...ctx.groups.fast, rules: alerts }];
}

function tierAlert(ctx: SloRuleContext, t: AlertTier): AlertingRule {
  const { slo, sel, labels } = ctx;
  const threshold = `(${num(t.burnRate)} * ${num(slo.errorBudget)})`;
  const over = (window: string) => `(max without (sloth_window) (${RECORD.errorRatio(window)}${sel}) > ${threshold})`;
  return {
    alert: slo.alerting.name,
    expr: `${over(t.longWindow.text)} and ${over(t.shortWindow.text)}`,
    ...(t.for.seconds > 0 ? { for: t.for.text } : {}),
    labels: escapeTemplateValues(sortLabels({ ...labels, severity: t.severity, sloth_severity: t.severity, solida_tier: t.name, ...slo.alerting.labels, ...t.labels })),
    annotations: escapeTemplateValues(tierAnnotations(slo, t)),
  };
}

/**
 * Fires when the SLO's total events are absent. It carries `severity` but not `sloth_severity`: Sloth's
 * dashboards count `ALERTS{sloth_severity="ticket"}` as budget burn, which a missing scrape is not.
 */
function noDataAlert(ctx: SloRuleContext): AlertingRule {
  const { slo, sel, labels } = ctx;
  const { noData } = slo.alerting;
  return {
    alert: `${slo.alerting.name}NoData`,
    expr: `absent(${RECORD.totalEvents(BASE_WINDOW)}${sel})`,
    for: noData.for.text,
    labels: escapeTemplateValues(sortLabels({ ...labels, severity: noData.severity, ...slo.alerting.labels })),
    annotations: escapeTemplateValues(noDataAnnotations(slo)),
  };
}
