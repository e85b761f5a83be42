// The model back out as OpenSLO v1 documents (Service + SLO with an inline SLI), written so that
// reading them again gives the same SLOs: labels, calendar start and time zone, raw SLIs (as
// ratioMetric.raw), OpenSLO SLIs solida read (as written), and what OpenSLO cannot say (multiwindow
// tiers, grouping) in solida annotations.
import type { AlertingConfig } from '../config.ts';
import type { Slo, SolidaModel } from '../model.ts';
import { EXPORTER_HISTOGRAM, formatLe } from '../metrics.ts';
import { splitMatchers } from '../normalize.ts';

const ALERTING_ANNOTATION = 'solida.dev/alerting';
const GROUPING_ANNOTATION = 'solida.dev/grouping';

/** OpenSLO calendar windows need a start; these are the first instant of a month and of an ISO week. */
export const DEFAULT_START = { month: '2020-01-01 00:00:00', week: '2020-01-06 00:00:00' } as const;

export function modelToOpenSlo(model: SolidaModel): { documents: unknown[]; notes: string[] } {
  const notes: string[] = [];
  const documents: unknown[] = model.services.map((s) => ({
    apiVersion: 'openslo/v1',
    kind: 'Service',
    metadata: { name: s.name, ...(Object.keys(s.labels).length ? { labels: s.labels } : {}) },
    spec: s.description ? { description: s.description } : {},
  }));
  for (const slo of model.slos) {
    const indicator = openSloIndicator(slo);
    if (!indicator) {
      notes.push(`${slo.id}: a CloudWatch SLI has no OpenSLO Prometheus form; not exported`);
      continue;
    }
    const origin = slo.sli.source === 'prometheus' && slo.sli.origin.kind === 'openslo' ? slo.sli.origin : undefined;
    const w = slo.window;
    documents.push({
      apiVersion: 'openslo/v1',
      kind: 'SLO',
      metadata: {
        name: slo.name,
        ...(slo.description ? { displayName: slo.description } : {}),
        ...(Object.keys(slo.labels).length ? { labels: slo.labels } : {}),
        annotations: {
          [ALERTING_ANNOTATION]: JSON.stringify(alertingConfig(slo)),
          ...(slo.grouping?.length ? { [GROUPING_ANNOTATION]: slo.grouping.join(',') } : {}),
        },
      },
      spec: {
        ...(slo.description ? { description: slo.description } : {}),
        service: slo.service,
        indicator: { metadata: { name: `${slo.name}-sli` }, spec: indicator },
        timeWindow: [
          w.kind === 'rolling'
            ? { duration: w.duration.text, isRolling: true }
            : { duration: w.unit === 'month' ? '1M' : '1w', isRolling: false, calendar: { startTime: w.startTime ?? DEFAULT_START[w.unit], timeZone: w.timeZone ?? 'UTC' } },
        ],
        budgetingMethod: origin?.budgetingMethod ?? 'Occurrences',
        objectives: [origin ? { ...origin.objective } : { target: round(slo.objective / 100, 10) }],
      },
    });
  }
  return { documents, notes };
}

function source(query: string) {
  return { metricSource: { type: 'Prometheus', spec: { query } } };
}

function openSloIndicator(slo: Slo): Record<string, unknown> | undefined {
  if (slo.sli.source !== 'prometheus') return undefined;
  const o = slo.sli.origin;
  switch (o.kind) {
    case 'openslo':
      return o.indicator;
    case 'events': {
      const counter = o.totalQuery === undefined;
      const pick = (selector?: string, q?: string) => (selector ?? q ? source((selector ?? q)!) : undefined);
      return {
        ratioMetric: {
          counter,
          ...(o.errorSelector || o.errorQuery ? { bad: pick(o.errorSelector, o.errorQuery) } : {}),
          ...(o.goodSelector || o.goodQuery ? { good: pick(o.goodSelector, o.goodQuery) } : {}),
          total: pick(o.totalSelector || undefined, o.totalQuery),
        },
      };
    }
    case 'raw':
      // OpenSLO's own form of a precomputed ratio: reads back as the same raw SLI.
      return { ratioMetric: { rawType: 'failure', raw: source(o.errorRatioQuery) } };
    case 'latency': {
      const m = o.matchers ? [o.matchers] : [];
      return { ratioMetric: { counter: true, good: source(sel(`${o.histogram}_bucket`, [...m, formatLe(o.thresholdSeconds)])), total: source(sel(`${o.histogram}_count`, m)) } };
    }
    case 'golden': {
      // Golden presets are the exporter's histogram; write the selectors they stand for.
      const m = [`job="${o.service}"`, ...(o.route ? [`http_route="${o.route}"`] : [])];
      if (o.signal === 'availability') return { ratioMetric: { counter: true, bad: source(sel(`${EXPORTER_HISTOGRAM}_count`, [...m, 'error_type!=""'])), total: source(sel(`${EXPORTER_HISTOGRAM}_count`, m)) } };
      return { ratioMetric: { counter: true, good: source(sel(`${EXPORTER_HISTOGRAM}_bucket`, [...m, formatLe(o.thresholdSeconds!)])), total: source(sel(`${EXPORTER_HISTOGRAM}_count`, m)) } };
    }
  }
}

function sel(name: string, matchers: string[]): string {
  return matchers.length ? `${name}{${matchers.flatMap((m) => splitMatchers(m)).join(',')}}` : name;
}

/** The alerting policy in authoring form, so reading the annotation back rebuilds the same tiers. */
function alertingConfig(slo: Slo): AlertingConfig {
  const a = slo.alerting;
  return {
    name: a.name,
    ...(Object.keys(a.labels).length ? { labels: a.labels } : {}),
    ...(Object.keys(a.annotations).length ? { annotations: a.annotations } : {}),
    ...(a.runbookUrl ? { runbookUrl: a.runbookUrl } : {}),
    // Every tier is written out, so the defaults of the reading version cannot change them.
    defaultTiers: false,
    tiers: Object.fromEntries(
      a.tiers.map((t) => [
        t.name,
        {
          enabled: t.enabled,
          severity: t.severity,
          burnRate: t.burnRate,
          longWindow: t.longWindow.text,
          shortWindow: t.shortWindow.text,
          ...(t.for.seconds ? { for: t.for.text } : {}),
          ...(Object.keys(t.labels).length ? { labels: t.labels } : {}),
          ...(Object.keys(t.annotations).length ? { annotations: t.annotations } : {}),
        },
      ]),
    ),
    noData: { enabled: a.noData.enabled, for: a.noData.for.text, severity: a.noData.severity },
  };
}

function round(x: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
