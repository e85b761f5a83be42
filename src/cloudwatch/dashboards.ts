// SolidaModel → CloudWatch dashboards (exact PutDashboard inputs). Pure: no AWS calls.
// One dashboard per service: a header with runbook links, the golden signals of each declared resource,
// then one section per SLO (SLI vs objective, budget remaining, burn rate per alerting window, alarm
// states). Widgets flow on CloudWatch's 24-column grid; a dashboard that would exceed CloudWatch's
// limits is split into numbered dashboards at section boundaries.
import type { PutDashboardInput, Tag } from '@aws-sdk/client-cloudwatch';
import type { Service, Slo, SolidaModel } from '../slo/model.ts';
import type { CloudWatchOptions } from './options.ts';
import { formatDuration } from '../slo/duration.ts';
import {
  albDimension,
  CLOUDFRONT_REGION,
  ecsDimensions,
  rdsDimensions,
  type Dimensions,
} from './metrics.ts';
import { cleanNumber, ratioQueries, windowPeriod } from './math.ts';
import { resolveCloudWatchSli, type ResolvedCloudWatchSli } from './sli.ts';
import { alarmName, serviceTarget, type CloudWatchAlarms } from './alarms.ts';

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

export interface Widget {
  type: 'metric' | 'text' | 'alarm';
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

type Sized = Omit<Widget, 'x' | 'y'>;
type MetricLine = unknown[];

export interface CloudWatchDashboards {
  dashboards: PutDashboardInput[];
  notes: string[];
}

export const MANAGED_MARKER = 'Managed by solida';

function metricLine(m: { namespace: string; metricName: string; dimensions: Dimensions }, opts: Record<string, unknown>): MetricLine {
  const dims = Object.entries(m.dimensions).sort(([a], [b]) => a.localeCompare(b)).flat();
  return [m.namespace, m.metricName, ...dims, opts];
}

function graph(title: string, region: string, metrics: MetricLine[], extra: Record<string, unknown> = {}, width = 8): Sized {
  return {
    type: 'metric',
    width,
    height: 6,
    properties: { title, region, view: 'timeSeries', stacked: false, period: 300, metrics, ...extra },
  };
}

function text(markdown: string, height = 2): Sized {
  return { type: 'text', width: 24, height, properties: { markdown } };
}

function hline(label: string, value: number) {
  return { horizontal: [{ label, value }] };
}

/** Golden signals of the resources a service declares. */
function goldenWidgets(service: Service, region: string, options: CloudWatchOptions): Sized[] {
  const aws = service.aws ?? {};
  const w: Sized[] = [];
  if (aws.alb) {
    const lb = albDimension(aws.alb.loadBalancer);
    const m = (metricName: string) => ({ namespace: 'AWS/ApplicationELB', metricName, dimensions: lb });
    const p99 = options.presets['alb-p99'];
    w.push(
      graph('Latency (ALB target response time)', region, [
        metricLine(m('TargetResponseTime'), { stat: 'p50', label: 'p50' }),
        metricLine(m('TargetResponseTime'), { stat: 'p95', label: 'p95' }),
        metricLine(m('TargetResponseTime'), { stat: 'p99', label: 'p99' }),
      ], { period: 60, yAxis: { left: { min: 0, label: 'seconds', showUnits: false } }, ...(p99.enabled ? { annotations: hline('p99 alarm', p99.threshold) } : {}) }),
      graph('Traffic (requests per minute)', region, [metricLine(m('RequestCount'), { stat: 'Sum', label: 'requests' })], { period: 60 }),
      graph('Errors (4xx / 5xx per 5 min)', region, [
        metricLine(m('HTTPCode_Target_4XX_Count'), { stat: 'Sum', label: 'target 4xx', id: 'c4' }),
        metricLine(m('HTTPCode_Target_5XX_Count'), { stat: 'Sum', label: 'target 5xx', id: 'c5' }),
        metricLine(m('HTTPCode_ELB_5XX_Count'), { stat: 'Sum', label: 'ALB 5xx', id: 'l5' }),
        metricLine(m('RequestCount'), { stat: 'Sum', id: 'rq', visible: false }),
        [{ expression: '100*FILL(c4,0)/rq', label: '4xx %', id: 'r4', yAxis: 'right' }],
        [{ expression: '100*(FILL(c5,0)+FILL(l5,0))/rq', label: '5xx %', id: 'r5', yAxis: 'right' }],
      ]),
    );
  }
  if (aws.ecs) {
    const dims = ecsDimensions(aws.ecs);
    w.push(
      graph('ECS CPU / memory (%)', region, [
        metricLine({ namespace: 'AWS/ECS', metricName: 'CPUUtilization', dimensions: dims }, { stat: 'Average', label: 'CPU' }),
        metricLine({ namespace: 'AWS/ECS', metricName: 'MemoryUtilization', dimensions: dims }, { stat: 'Average', label: 'memory' }),
      ], { yAxis: { left: { min: 0, max: 100 } } }),
    );
  }
  if (aws.rds) {
    const dims = rdsDimensions(aws.rds);
    if (dims) {
      const m = (metricName: string) => ({ namespace: 'AWS/RDS', metricName, dimensions: dims });
      const cpu = options.presets['rds-cpu'];
      w.push(
        graph('RDS CPU (%)', region, [metricLine(m('CPUUtilization'), { stat: 'Average', label: 'CPU' })], {
          yAxis: { left: { min: 0, max: 100 } },
          ...(cpu.enabled ? { annotations: hline('alarm', cpu.threshold) } : {}),
        }),
        graph('RDS connections', region, [metricLine(m('DatabaseConnections'), { stat: 'Average', label: 'connections' })]),
      );
      if (aws.rds.instance) {
        const storage = options.presets['rds-free-storage'];
        w.push(
          graph('RDS free storage (bytes)', region, [metricLine(m('FreeStorageSpace'), { stat: 'Minimum', label: 'free storage' })], {
            ...(storage.enabled ? { annotations: hline('alarm', storage.threshold) } : {}),
          }),
        );
      }
    }
  }
  if (aws.sqs) {
    const dims = { QueueName: aws.sqs.queueName };
    w.push(
      graph('SQS backlog', region, [
        metricLine({ namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage', dimensions: dims }, { stat: 'Maximum', label: 'age of oldest (s)' }),
        metricLine({ namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: dims }, { stat: 'Maximum', label: 'visible messages', yAxis: 'right' }),
      ]),
    );
  }
  if (aws.lambda) {
    const dims = { FunctionName: aws.lambda.functionName };
    const m = (metricName: string) => ({ namespace: 'AWS/Lambda', metricName, dimensions: dims });
    w.push(
      graph('Lambda invocations, errors, throttles', region, [
        metricLine(m('Invocations'), { stat: 'Sum', label: 'invocations' }),
        metricLine(m('Errors'), { stat: 'Sum', label: 'errors' }),
        metricLine(m('Throttles'), { stat: 'Sum', label: 'throttles' }),
      ]),
      graph('Lambda duration', region, [metricLine(m('Duration'), { stat: 'p99', label: 'p99 (ms)' })]),
    );
  }
  if (aws.cloudfront) {
    const dims = { DistributionId: aws.cloudfront.distributionId, Region: 'Global' };
    const m = (metricName: string) => ({ namespace: 'AWS/CloudFront', metricName, dimensions: dims });
    w.push(
      graph('CloudFront requests and error rates', CLOUDFRONT_REGION, [
        metricLine(m('Requests'), { stat: 'Sum', label: 'requests' }),
        metricLine(m('4xxErrorRate'), { stat: 'Average', label: '4xx %', yAxis: 'right' }),
        metricLine(m('5xxErrorRate'), { stat: 'Average', label: '5xx %', yAxis: 'right' }),
      ]),
    );
  }
  return w;
}

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
    `${MANAGED_MARKER} from the SLO config: changes made in the console are overwritten by the next apply.`,
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
    out.push({ DashboardName: part === 1 ? name : `${name}-${part}`, DashboardBody: body(layout([[header(part)], ...current])) });
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

