// The queries a person copies into Grafana or the Prometheus console: the recorded series of this SLO
// (what the generated rules write) and the exact expressions of its rules, taken from the generated
// rule file itself so the page never drifts from what `solida generate prometheus` writes.
import { parse } from 'yaml';
import type { Slo, SolidaModel } from '../slo/model.ts';
import { generatePrometheusRules } from '../prometheus/rules.ts';
import { renderWindow } from '../slo/promql.ts';
import type { QueryText } from './model.ts';

interface RuleDoc {
  groups: { rules: { record?: string; alert?: string; expr: string; labels?: Record<string, string> }[] }[];
}

export function sloQueries(model: SolidaModel, slo: Slo): QueryText[] {
  if (slo.sli.source !== 'prometheus') {
    return [{ label: 'CloudWatch metrics (errors / total)', query: JSON.stringify({ errors: slo.sli.errors, total: slo.sli.total }, null, 2) }];
  }
  const sel = `{sloth_id="${slo.id}"}`;
  const out: QueryText[] = [
    { label: 'Error ratio over 5m (from the SLI, no rules needed)', query: `(${renderWindow(slo.sli.errors, '5m')})\n/\n(${renderWindow(slo.sli.total, '5m')})` },
  ];
  const files = generatePrometheusRules({ ...model, slos: [slo] });
  const seen = new Set<string>();
  for (const f of files) {
    const doc = parse(f.content) as RuleDoc;
    for (const r of doc.groups.flatMap((g) => g.rules)) {
      if (r.labels?.sloth_id !== slo.id) continue;
      if (r.record) {
        const window = r.labels?.sloth_window;
        const query = `${r.record}${sel}`;
        if (!seen.has(query)) out.push({ label: `Recorded: ${r.record}${window ? ` (window ${window})` : ''}`, query });
        seen.add(query);
      } else if (r.alert) {
        const tier = r.labels?.solida_tier ?? 'no data';
        out.push({ label: `Alert ${r.alert} (${tier})`, query: r.expr });
      }
    }
  }
  return out;
}
