// SolidaModel → CloudWatch dashboards (exact PutDashboard inputs). Pure: no AWS calls.
// One dashboard per service: a header with runbook links, the golden signals of each declared resource,
// then one section per SLO (SLI vs objective, budget remaining, burn rate per alerting window, alarm
// states). Widgets flow on CloudWatch's 24-column grid; a dashboard that would exceed CloudWatch's
// limits is split into numbered dashboards at section boundaries.
import { FINGERPRINT_PLACEHOLDER, stampDashboard } from './ownership.ts';
import type { PutDashboardInput, Tag } from '@aws-sdk/client-cloudwatch';
import type { Service, Slo, SolidaModel } from '../slo/model.ts';
import type { CloudWatchOptions } from './options.ts';
import { formatDuration } from '../slo/duration.ts';
import { cleanNumber, ratioQueries, windowPeriod } from './math.ts';
import { resolveCloudWatchSli, type ResolvedCloudWatchSli } from './sli.ts';
import { alarmName, serviceTarget, type CloudWatchAlarms } from './alarms.ts';
import { goldenWidgets } from './resources/index.ts';
import { graph, hline, metricLine, text, type MetricLine, type Sized, type Widget } from './widgets.ts';

/** CloudWatch dashboard limits (CloudWatch service quotas; Dashboard Body Structure). */
export const DASHBOARD_LIMITS = {
  widgets: 500,
  metricsPerWidget: 500,
  metricsPerDashboard: 2500,
  /** No documented body size limit; solida stays under 1 MB to be safe. */
  bodyBytes: 1_000_000,
  columns: 24,
  alarmsPerAlarmWidget: 100,
};

export interface CloudWatchDashboards {
  dashboards: PutDashboardInput[];
  notes: string[];
}

export const MANAGED_MARKER = 'Managed by solida';

/** Metric-math lines for one ratio, with hidden inputs; ids are made unique by `idPrefix`. */
function ratioLines(sli: ResolvedCloudWatchSli, period: number, idPrefix: string): { lines: MetricLine[]; ratio: string } {
  const q = ratioQueries(sli, period, idPrefix);
  const lines = q.metrics.map((md) => {
    const ms = md.MetricStat!;
    const dims = Object.fromEntries((ms.Metric!.Dimensions ?? []).map((d) => [d.Name!, d.Value!]));
    return metricLine({ namespace: ms.Metric!.Namespace!, metricName: ms.Metric!.MetricName!, dimensions: dims }, { stat: ms.Stat, period, id: md.Id, visible: false });
  });
  return { lines, ratio: q.ratio };
}

function sloWidgets(slo: Slo, sli: ResolvedCloudWatchSli, region: string, accountId: string | undefined, alarms: CloudWatchAlarms, notes: string[]): Sized[] {
  const budget = slo.errorBudget;
  const windowText = slo.window.kind === 'rolling' ? slo.window.duration.text : `calendar ${slo.window.unit}`;
  const runbook = slo.alerting.runbookUrl ? ` · [runbook](${slo.alerting.runbookUrl})` : '';
  const w: Sized[] = [text(`### SLO ${slo.name}: ${slo.objective}% over ${windowText}${slo.description ? ` — ${slo.description}` : ''}${runbook}`, 1)];

  const sliLines = ratioLines(sli, 300, 's');
  w.push(
    graph(`SLI vs objective (%)`, region, [...sliLines.lines, [{ expression: `100*(1-${sliLines.ratio})`, label: 'SLI', id: 'sli' }]], {
      annotations: hline(`objective ${slo.objective}%`, slo.objective),
    }),
  );

  const hours = Math.round(slo.periodSeconds / 3600);
  const budgetLines = ratioLines(sli, 3600, 'b');
  w.push({
    type: 'metric',
    width: 8,
    height: 6,
    properties: {
      title: `Error budget remaining (%, last ${formatDuration(slo.periodSeconds)})`,
      region,
      view: 'singleValue',
      start: `-PT${hours}H`,
      end: 'P0D',
      setPeriodToTimeRange: true,
      period: 3600,
      metrics: [...budgetLines.lines, [{ expression: `100*(1-(${budgetLines.ratio})/${cleanNumber(budget)})`, label: 'budget remaining %', id: 'budget' }]],
    },
  });

  const tiers = slo.alerting.tiers.filter((t) => t.enabled);
  const windows = [...new Set(tiers.flatMap((t) => [t.longWindow.seconds, t.shortWindow.seconds]))].sort((a, b) => a - b);
  const burnLines: MetricLine[] = [];
  windows.forEach((seconds, i) => {
    const period = windowPeriod(seconds);
    const r = ratioLines(sli, period, `w${i}`);
    burnLines.push(...r.lines, [{ expression: `(${r.ratio})/${cleanNumber(budget)}`, label: `burn rate ${formatDuration(seconds)}`, id: `burn${i}` }]);
  });
  if (burnLines.length > 0) {
    w.push(
      graph('Burn rate per alerting window', region, burnLines, {
        annotations: { horizontal: tiers.map((t) => ({ label: `${t.name} (${t.burnRate}x)`, value: t.burnRate })) },
      }),
    );
  }

  const composites = alarms.compositeAlarms.filter((a) => tagValue(a.Tags, 'solida:service') === slo.service && tagValue(a.Tags, 'solida:slo') === slo.name);
  if (accountId) {
    const widget = alarmWidget(`SLO ${slo.name} alarms`, composites.map((a) => a.AlarmName!), region, accountId);
    if (widget) w.push(widget);
  } else if (composites.length > 0) {
    notes.push(`SLO ${slo.id}: no alarm-status widget: the account id is unknown (set cloudwatch accountId or give SNS topic ARNs)`);
  }
  return w;
}

function tagValue(tags: Tag[] | undefined, key: string): string | undefined {
  return tags?.find((t) => t.Key === key)?.Value;
}

function alarmWidget(title: string, names: string[], region: string, accountId: string): Sized | undefined {
  const alarms = names.slice(0, DASHBOARD_LIMITS.alarmsPerAlarmWidget).map((n) => `arn:aws:cloudwatch:${region}:${accountId}:alarm:${n}`);
  if (alarms.length === 0) return undefined;
  return { type: 'alarm', width: 24, height: 2, properties: { title, alarms, sortBy: 'stateUpdatedTimestamp', states: [] } };
}

function headerMarkdown(service: Service, part: number): string {
  const links = Object.entries(service.runbooks).map(([name, url]) => `[${name}](${url})`);
  return [
    `# ${service.name}${part > 1 ? ` (part ${part})` : ''}${service.description ? ` — ${service.description}` : ''}`,
    links.length ? `Runbooks: ${links.join(' · ')}` : 'Runbooks: none declared (add services[].runbooks)',
    `${MANAGED_MARKER} from the SLO config: apply refuses to overwrite or prune it once changed in the console (unless --adopt). ${FINGERPRINT_PLACEHOLDER}`,
  ].join('\n\n');
}

/** Places widgets row by row on the 24-column grid; each section starts on a new row. */
export function layout(sections: Sized[][], startY = 0): Widget[] {
  const placed: Widget[] = [];
  let y = startY;
  for (const section of sections) {
    let x = 0;
    let rowHeight = 0;
    for (const w of section) {
      if (x + w.width > DASHBOARD_LIMITS.columns) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
      }
      placed.push({ ...w, x, y });
      x += w.width;
      rowHeight = Math.max(rowHeight, w.height);
    }
    y += rowHeight;
  }
  return placed;
}

export function metricCount(widget: Pick<Widget, 'type' | 'properties'>): number {
  const metrics = widget.properties.metrics;
  return widget.type === 'metric' && Array.isArray(metrics) ? metrics.length : 0;
}

function body(widgets: Widget[]): string {
  return JSON.stringify({ start: '-PT6H', periodOverride: 'inherit', widgets });
}

/** Splits sections over as few dashboards as the limits allow, each with its own header. */
function packDashboards(name: string, header: (part: number) => Sized, sections: Sized[][]): PutDashboardInput[] {
  const out: PutDashboardInput[] = [];
  let current: Sized[][] = [];
  const fits = (secs: Sized[][], part: number) => {
    const widgets = layout([[header(part)], ...secs]);
    const metrics = widgets.reduce((n, w) => n + metricCount(w), 0);
    return widgets.length <= DASHBOARD_LIMITS.widgets && metrics <= DASHBOARD_LIMITS.metricsPerDashboard && Buffer.byteLength(body(widgets)) <= DASHBOARD_LIMITS.bodyBytes;
  };
  const flush = () => {
    const part = out.length + 1;
    const dashboardName = part === 1 ? name : `${name}-${part}`;
    out.push({ DashboardName: dashboardName, DashboardBody: stampDashboard(dashboardName, body(layout([[header(part)], ...current]))) });
    current = [];
  };
  for (const section of sections) {
    if (current.length > 0 && !fits([...current, section], out.length + 1)) flush();
    current.push(section);
  }
  flush();
  return out;
}

/** Dashboards for the model; `alarms` (from generateCloudWatchAlarms) feed the alarm-status widgets. */
export function generateCloudWatchDashboards(model: SolidaModel, options: CloudWatchOptions, alarms: CloudWatchAlarms): CloudWatchDashboards {
  const notes: string[] = [];
  const dashboards: PutDashboardInput[] = [];
  for (const service of model.services) {
    const { region, accountId } = serviceTarget(service, options);
    const sections: Sized[][] = [];
    const golden = goldenWidgets(service, region, options);
    const presetNames = alarms.metricAlarms.filter((a) => tagValue(a.Tags, 'solida:service') === service.name && tagValue(a.Tags, 'solida:preset')).map((a) => a.AlarmName!);
    const presetWidget = accountId ? alarmWidget('Golden-signal alarms', presetNames, region, accountId) : undefined;
    if (golden.length > 0) sections.push(presetWidget ? [...golden, presetWidget] : golden);
    for (const slo of model.slos.filter((s) => s.service === service.name)) {
      const resolved = resolveCloudWatchSli(slo, service);
      if (resolved.ok) sections.push(sloWidgets(slo, resolved.sli, region, accountId, alarms, notes));
    }
    if (sections.length === 0) {
      notes.push(`service ${service.name}: no dashboard (no AWS resources declared and no CloudWatch-measurable SLO)`);
      continue;
    }
    dashboards.push(...packDashboards(alarmName(options.prefix, service.name), (part) => text(headerMarkdown(service, part), 3), sections));
  }
  return { dashboards, notes };
}

