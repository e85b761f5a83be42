// The one rule-group type every Prometheus output is built from: rule files, PrometheusRule objects and
// the rules bench all render these, so a rule family never needs a second shape or a cast.

export type Labels = Record<string, string>;

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Labels;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  /** Prometheus `for:`; omitted when the alert fires on the first evaluation. */
  for?: string;
  labels?: Labels;
  annotations?: Labels;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Rule[];
}

export function isAlertingRule(rule: Rule): rule is AlertingRule {
  return 'alert' in rule;
}

/**
 * Joins the partial groups rule families return into whole groups: rules of same-named groups are
 * concatenated in family order (SLI → metadata → alerts), so a group's alerts read ratios recorded
 * earlier in the same evaluation. Group order is the order of first appearance.
 */
export function mergeGroups(parts: RuleGroup[]): RuleGroup[] {
  const byName = new Map<string, RuleGroup>();
  for (const part of parts) {
    const seen = byName.get(part.name);
    if (!seen) byName.set(part.name, { ...part, rules: [...part.rules] });
    else {
      if (seen.interval !== part.interval) throw new Error(`rule group ${part.name}: intervals ${seen.interval} and ${part.interval} differ`);
      seen.rules.push(...part.rules);
    }
  }
  return [...byName.values()].filter((g) => g.rules.length > 0);
}

export function sortLabels(labels: Labels): Labels {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

/** Numbers as PromQL literals: no float noise (0.0009999999), no exponent for small budgets. */
export function num(x: number): string {
  const rounded = Number(x.toPrecision(12));
  if (Math.abs(rounded) >= 1e-6 || rounded === 0) return String(rounded);
  return rounded.toFixed(12).replace(/0+$/, '');
}
