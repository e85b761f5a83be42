// Golden-signal widgets of a serverless service (SQS, Lambda, CloudFront). Expected namespaces,
// metric names, dimensions and statistics come from the AWS docs, not from the generator:
// - SQS: namespace AWS/SQS, dimension QueueName; ApproximateAgeOfOldestMessage in seconds (Maximum is
//   the statistic that shows the worst message).
// - Lambda: namespace AWS/Lambda, dimension FunctionName; Errors/Throttles are counts (Sum), Duration
//   in milliseconds supports percentiles (p99).
// - CloudFront: namespace AWS/CloudFront, dimensions DistributionId and Region=Global; metrics are only
//   in us-east-1 whatever the service's region; 5xxErrorRate is a percentage whose only valid statistic is Average.
// Limits (CloudWatch quotas / dashboard body structure): 500 widgets per dashboard, 500 metrics per
// graph widget, 2,500 metrics per dashboard; solida keeps the body under 1 MB.
import { describe, expect, it } from 'vitest';
import { generateCloudWatch } from '../../src/cloudwatch/generate.ts';
import { checkDashboard } from '../../src/cloudwatch/constraints.ts';
import { validateRequest } from '../../src/aws-models/smithy.ts';
import { resolveCloudWatchOptions } from '../../src/cloudwatch/options.ts';
import { DISTRIBUTION, FUNCTION, ordersModel, QUEUE } from './fixtures.ts';

interface Widget { type: string; x: number; y: number; width: number; height: number; properties: { title?: string; region?: string; metrics?: unknown[][] } }
interface Line { namespace: string; metricName: string; dimensions: Record<string, string>; stat?: string }

/** Reads a dashboard metric line `[namespace, name, dim1, value1, …, {options}]`; expressions give undefined. */
function readLine(line: unknown[]): Line | undefined {
  if (typeof line[0] !== 'string') return undefined;
  const last = line.at(-1);
  const opts = typeof last === 'object' && last !== null ? (last as { stat?: string }) : undefined;
  const parts = (opts ? line.slice(0, -1) : line) as string[];
  const dimensions: Record<string, string> = {};
  for (let i = 2; i < parts.length; i += 2) dimensions[parts[i]] = parts[i + 1];
  return { namespace: parts[0], metricName: parts[1], dimensions, stat: opts?.stat };
}

const artifacts = generateCloudWatch(ordersModel(), resolveCloudWatchOptions({}));
const widgets: Widget[] = artifacts.dashboards.flatMap((d) => JSON.parse(d.DashboardBody!).widgets);
const lines = (w: Widget) => (w.properties.metrics ?? []).map(readLine).filter((l): l is Line => !!l);
const widgetsWith = (namespace: string) => widgets.filter((w) => w.type === 'metric' && lines(w).some((l) => l.namespace === namespace && !w.properties.title?.startsWith('SLI') && !w.properties.title?.startsWith('Error budget') && !w.properties.title?.startsWith('Burn')));
const find = (namespace: string, metricName: string, stat: string) =>
  widgetsWith(namespace).flatMap((w) => lines(w).filter((l) => l.metricName === metricName && l.stat === stat).map((l) => ({ widget: w, line: l })));

describe('dashboard widgets for SQS, Lambda and CloudFront', () => {
  it('plots the SQS age of the oldest message for the declared queue', () => {
    const found = find('AWS/SQS', 'ApproximateAgeOfOldestMessage', 'Maximum');
    expect(found).toHaveLength(1);
    expect(found[0].line.dimensions).toEqual({ QueueName: QUEUE });
    expect(found[0].widget.properties.region).toBe('eu-west-1');
  });

  it('plots Lambda throttles, errors and p99 duration for the declared function', () => {
    for (const [metricName, stat] of [['Throttles', 'Sum'], ['Errors', 'Sum'], ['Duration', 'p99']]) {
      const found = find('AWS/Lambda', metricName, stat);
      expect(found, `${metricName} ${stat}`).toHaveLength(1);
      expect(found[0].line.dimensions).toEqual({ FunctionName: FUNCTION });
      expect(found[0].widget.properties.region).toBe('eu-west-1');
    }
  });

  it('plots the CloudFront 5xx error rate from us-east-1 with the Global region dimension', () => {
    const found = find('AWS/CloudFront', '5xxErrorRate', 'Average');
    expect(found).toHaveLength(1);
    expect(found[0].line.dimensions).toEqual({ DistributionId: DISTRIBUTION, Region: 'Global' });
    // Every CloudFront metric on the dashboard, not just this one, must be read from us-east-1.
    for (const w of widgetsWith('AWS/CloudFront')) expect(w.properties.region).toBe('us-east-1');
  });

  it('draws no ALB, ECS or RDS widget for a service that declares none', () => {
    for (const ns of ['AWS/ApplicationELB', 'AWS/ECS', 'AWS/RDS']) expect(widgetsWith(ns)).toEqual([]);
  });

  it('stays within the dashboard limits and validates against the API model', () => {
    expect(artifacts.dashboards.map((d) => d.DashboardName)).toEqual(['solida-orders']);
    for (const d of artifacts.dashboards) {
      expect(validateRequest('cloudwatch', 'PutDashboard', d)).toEqual([]);
      expect(checkDashboard(d)).toEqual([]);
      expect(Buffer.byteLength(d.DashboardBody!, 'utf8')).toBeLessThan(1_000_000);
      const ws: Widget[] = JSON.parse(d.DashboardBody!).widgets;
      expect(ws.length).toBeLessThanOrEqual(500);
      let total = 0;
      for (const w of ws) {
        expect(w.x).toBeGreaterThanOrEqual(0);
        expect(w.x + w.width).toBeLessThanOrEqual(24);
        const n = w.properties.metrics?.length ?? 0;
        expect(n).toBeLessThanOrEqual(500);
        total += n;
      }
      expect(total).toBeLessThanOrEqual(2500);
    }
  });
});
