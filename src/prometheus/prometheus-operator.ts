// Rules as prometheus-operator `PrometheusRule` objects (monitoring.coreos.com/v1), for clusters where
// Prometheus picks its rules from Kubernetes: the same groups as the rule files, under `spec`.
import type { SolidaModel } from '../slo/model.ts';
import { renderRuleGroups, scalar } from './rules-yaml.ts';
import { generatedHeader, prometheusRuleGroups, type RuleFile } from './rules.ts';

export function generatePrometheusOperatorRules(model: SolidaModel): RuleFile[] {
  return prometheusRuleGroups(model).map(({ service, groups }) => ({
    path: `${service}.prometheusrule.yml`,
    content: [
      generatedHeader(`PrometheusRule for service ${service}`).trimEnd(),
      'apiVersion: monitoring.coreos.com/v1',
      'kind: PrometheusRule',
      'metadata:',
      `  name: ${scalar(objectName(service))}`,
      '  labels:',
      '    app.kubernetes.io/managed-by: solida',
      `    sloth_service: ${scalar(service)}`,
      'spec:',
      renderRuleGroups(groups, '  '),
    ].join('\n'),
  }));
}

/** Kubernetes object names are DNS subdomains: lowercase letters, digits, `-` and `.`, at most 253. */
export function objectName(service: string): string {
  const name = `solida-${service}`.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return name.slice(0, 253).replace(/[^a-z0-9]+$/, '');
}
