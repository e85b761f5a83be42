// What plan compares for Application Signals SLOs: the create request solida sends and what
// GetServiceLevelObjective returns must read as equal when they describe the same SLO.
import { describe, expect, it } from 'vitest';
import type { CreateServiceLevelObjectiveInput, ServiceLevelObjective } from '@aws-sdk/client-application-signals';
import { normalizeSlo } from '../../src/aws/application-signals.ts';

const query = (dimensions?: { Name: string; Value: string }[]) => [
  { Id: 'total', MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'Requests', ...(dimensions ? { Dimensions: dimensions } : {}) }, Period: 60, Stat: 'Sum' } },
];
const sent = (dimensions: { Name: string; Value: string }[]): CreateServiceLevelObjectiveInput => ({
  Name: 'solida-shop-writes',
  RequestBasedSliConfig: { RequestBasedSliMetricConfig: { TotalRequestCountMetric: query(dimensions), MonitoredRequestCountMetric: { BadCountMetric: query(dimensions) } } },
  Goal: { AttainmentGoal: 99.5, Interval: { RollingInterval: { Duration: 30, DurationUnit: 'DAY' } } },
});
const returned = (dimensions?: { Name: string; Value: string }[]): ServiceLevelObjective =>
  ({
    Name: 'solida-shop-writes',
    RequestBasedSli: { RequestBasedSliMetric: { TotalRequestCountMetric: query(dimensions), MonitoredRequestCountMetric: { BadCountMetric: query(dimensions) } } },
    Goal: { AttainmentGoal: 99.5, Interval: { RollingInterval: { Duration: 30, DurationUnit: 'DAY' } } },
  }) as ServiceLevelObjective;

describe('normalizeSlo', () => {
  it('reads a metric sent with `Dimensions: []` and returned without the member as unchanged', () => {
    expect(normalizeSlo(returned())).toEqual(normalizeSlo(sent([])));
  });

  it('still tells a dimension apart from none', () => {
    expect(normalizeSlo(returned())).not.toEqual(normalizeSlo(sent([{ Name: 'Service', Value: 'shop' }])));
    expect(normalizeSlo(returned([{ Name: 'Service', Value: 'shop' }]))).toEqual(normalizeSlo(sent([{ Name: 'Service', Value: 'shop' }])));
  });
});
