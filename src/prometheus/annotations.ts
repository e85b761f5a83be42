// Alert annotations in one place: Sloth's `title` and `summary` (Alertmanager templates written for Sloth
// read them), solida's explanation of the tier, then the spec's own annotations, which win.
import type { AlertTier, Slo } from '../slo/model.ts';
import { humanSeconds } from '../slo/duration.ts';
import { escapeTemplateProse } from './escape.ts';
import { num, sortLabels, type Labels } from './rule-group.ts';

export function tierAnnotations(slo: Slo, t: AlertTier): Labels {
  const consumed = (t.burnRate * t.longWindow.seconds) / slo.periodSeconds;
  const sloth = slo.source?.format === 'sloth';
  return sortLabels({
    title: `(${t.severity}) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.`,
    summary: sloth
      ? '{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected.'
      : `${slo.id}: error budget burning at over ${num(t.burnRate)}x (${t.name})`,
    description: `${escapeTemplateProse(slo.description ?? slo.id)}: the error ratio over ${t.longWindow.text} and ${t.shortWindow.text} is above ${num(t.burnRate)}x the budget of ${num(100 - slo.objective)}%. At this rate ${pct(consumed)} of the ${humanSeconds(slo.periodSeconds)} budget goes in ${t.longWindow.text}.`,
    burn_rate: num(t.burnRate),
    windows: `${t.longWindow.text}/${t.shortWindow.text}`,
    ...runbook(slo),
    ...slo.alerting.annotations,
    ...t.annotations,
  });
}

export function noDataAnnotations(slo: Slo): Labels {
  const forText = slo.alerting.noData.for.text;
  return sortLabels({
    title: `(no data) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO has no SLI data.`,
    summary: `No data for SLO ${slo.id}: its SLI series are absent`,
    description: `The total-events query of ${slo.id} returned nothing for ${forText}; burn-rate alerts cannot fire. Check the scrape target and the metric names.`,
    ...runbook(slo),
  });
}

function runbook(slo: Slo): Labels {
  return slo.alerting.runbookUrl ? { runbook_url: slo.alerting.runbookUrl } : {};
}

function pct(x: number): string {
  return `${Number((x * 100).toPrecision(3))}%`;
}
