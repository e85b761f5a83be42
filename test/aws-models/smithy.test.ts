import { describe, expect, it } from 'vitest';
import { assertValidRequest, listOperations, validateRequest } from '../../src/aws-models/smithy.ts';
import { SolidaError } from '../../src/util/errors.ts';

// A request that matches the CloudWatch model (hand-written from the PutMetricAlarm API reference).
const goodAlarm = {
  AlarmName: 'solida-inventory-5xx',
  ComparisonOperator: 'GreaterThanThreshold',
  EvaluationPeriods: 1,
  Threshold: 100,
  Namespace: 'AWS/ApplicationELB',
  MetricName: 'HTTPCode_Target_5XX_Count',
  Dimensions: [{ Name: 'LoadBalancer', Value: 'app/inventory/0123456789abcdef' }],
  Statistic: 'Sum',
  Period: 300,
  TreatMissingData: 'notBreaching',
  AlarmActions: ['arn:aws:sns:us-east-1:123456789012:page'],
  Tags: [{ Key: 'managed-by', Value: 'solida' }],
};

const paths = (problems: { path?: string }[]) => problems.map((p) => p.path);

describe('validateRequest (cloudwatch)', () => {
  it('accepts a correct PutMetricAlarm request', () => {
    expect(validateRequest('cloudwatch', 'PutMetricAlarm', goodAlarm)).toEqual([]);
  });

  it('accepts the Command-suffixed operation name', () => {
    expect(validateRequest('cloudwatch', 'PutMetricAlarmCommand', goodAlarm)).toEqual([]);
  });

  it('enforces AlarmName length 1..255', () => {
    expect(paths(validateRequest('cloudwatch', 'PutMetricAlarm', { ...goodAlarm, AlarmName: '' }))).toEqual(['AlarmName']);
    expect(paths(validateRequest('cloudwatch', 'PutMetricAlarm', { ...goodAlarm, AlarmName: 'a'.repeat(256) }))).toEqual(['AlarmName']);
    expect(validateRequest('cloudwatch', 'PutMetricAlarm', { ...goodAlarm, AlarmName: 'a'.repeat(255) })).toEqual([]);
  });

  it('counts string length in code points, not UTF-16 units', () => {
    // 255 astral characters are 510 UTF-16 units but 255 code points: allowed.
    expect(validateRequest('cloudwatch', 'PutMetricAlarm', { ...goodAlarm, AlarmName: '😀'.repeat(255) })).toEqual([]);
  });

  it('enforces EvaluationPeriods >= 1 and integer types', () => {
    expect(paths(validateRequest('cloudwatch', 'PutMetricAlarm', { ...goodAlarm, EvaluationPeriods: 0 }))).toEqual(['EvaluationPeriods']);
    expect(paths(validateRequest('cloudwatch', 'PutMetricAlarm', { ...goodAlarm, EvaluationPeriods: 1.5 }))).toEqual(['EvaluationPeriods']);
    expect(paths(validateRequest('cloudwatch', 'PutMetricAlarm', { ...goodAlarm, EvaluationPeriods: '2' }))).toEqual(['EvaluationPeriods']);
  });

  it('enforces the ComparisonOperator and Statistic enums', () => {
    const p = validateRequest('cloudwatch', 'PutMetricAlarm', { ...goodAlarm, ComparisonOperator: 'GreaterThan' });
    expect(paths(p)).toEqual(['ComparisonOperator']);
    expect(p[0].fix).toContain('GreaterThanOrEqualToThreshold');
    expect(paths(validateRequest('cloudwatch', 'PutMetricAlarm', { ...goodAlarm, Statistic: 'p99' }))).toEqual(['Statistic']);
  });

  it('reports missing required members', () => {
    const { AlarmName: _n, EvaluationPeriods: _e, ...rest } = goodAlarm;
    expect(paths(validateRequest('cloudwatch', 'PutMetricAlarm', rest)).sort()).toEqual(['AlarmName', 'EvaluationPeriods']);
  });

  it('reports unknown members, suggesting the right case', () => {
    const p = validateRequest('cloudwatch', 'PutMetricAlarm', { ...goodAlarm, alarmName: 'x' });
    expect(paths(p)).toEqual(['alarmName']);
    expect(p[0].fix).toContain("'AlarmName'");
  });

  it('ignores members set to undefined, as the SDK does', () => {
    expect(validateRequest('cloudwatch', 'PutMetricAlarm', { ...goodAlarm, Unit: undefined })).toEqual([]);
  });

  it('walks nested lists and structures with indexed paths', () => {
    const input = {
      AlarmName: 'x',
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      Threshold: 1,
      Metrics: [
        { Id: 'e1', Expression: 'm1/m2', ReturnData: true },
        {
          Id: 'm1',
          ReturnData: false,
          MetricStat: { Metric: { Namespace: ':bad', MetricName: 'x', Dimensions: [{ Name: 'A' }] }, Period: 0, Stat: 'Sum', Extra: 1 },
        },
      ],
    };
    expect(paths(validateRequest('cloudwatch', 'PutMetricAlarm', input)).sort()).toEqual([
      'Metrics[1].MetricStat.Extra',
      'Metrics[1].MetricStat.Metric.Dimensions[0].Value',
      'Metrics[1].MetricStat.Metric.Namespace',
      'Metrics[1].MetricStat.Period',
    ]);
  });

  it('enforces list length (Dimensions at most 30)', () => {
    const dims = Array.from({ length: 31 }, (_, i) => ({ Name: `d${i}`, Value: 'v' }));
    expect(paths(validateRequest('cloudwatch', 'PutMetricAlarm', { ...goodAlarm, Dimensions: dims }))).toEqual(['Dimensions']);
  });

  it('rejects wrong container types and null', () => {
    expect(paths(validateRequest('cloudwatch', 'PutMetricAlarm', { ...goodAlarm, Dimensions: { Name: 'a', Value: 'b' } }))).toEqual(['Dimensions']);
    expect(paths(validateRequest('cloudwatch', 'PutMetricAlarm', { ...goodAlarm, Threshold: null }))).toEqual(['Threshold']);
    expect(paths(validateRequest('cloudwatch', 'PutMetricAlarm', { ...goodAlarm, AlarmActions: [null] }))).toEqual(['AlarmActions[0]']);
    expect(paths(validateRequest('cloudwatch', 'PutMetricAlarm', 'nope'))).toEqual(['(request)']);
  });

  it('checks PutDashboard and DescribeAlarms (MaxRecords 1..100)', () => {
    expect(validateRequest('cloudwatch', 'PutDashboard', { DashboardName: 'a', DashboardBody: '{}' })).toEqual([]);
    expect(paths(validateRequest('cloudwatch', 'PutDashboard', { DashboardName: 'a' }))).toEqual(['DashboardBody']);
    expect(paths(validateRequest('cloudwatch', 'DescribeAlarms', { MaxRecords: 101 }))).toEqual(['MaxRecords']);
    expect(validateRequest('cloudwatch', 'DescribeAlarms', { MaxRecords: 100, AlarmTypes: ['CompositeAlarm', 'MetricAlarm'] })).toEqual([]);
  });

  it('checks timestamps are Dates', () => {
    const base = { MetricDataQueries: [{ Id: 'm1', Expression: 'SEARCH(x)' }] };
    expect(validateRequest('cloudwatch', 'GetMetricData', { ...base, StartTime: new Date(0), EndTime: new Date(1000) })).toEqual([]);
    expect(paths(validateRequest('cloudwatch', 'GetMetricData', { ...base, StartTime: '2024-01-01', EndTime: new Date() }))).toEqual(['StartTime']);
  });

  it('rejects an unknown operation', () => {
    expect(() => validateRequest('cloudwatch', 'PutMetricAlarms', {})).toThrow(SolidaError);
    expect(listOperations('cloudwatch')).toContain('PutCompositeAlarm');
  });

  it('assertValidRequest throws a SolidaError with the problems', () => {
    try {
      assertValidRequest('cloudwatch', 'PutMetricAlarm', { ...goodAlarm, EvaluationPeriods: 0 });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SolidaError);
      expect((err as SolidaError).problems.map((p) => p.path)).toEqual(['EvaluationPeriods']);
    }
    expect(() => assertValidRequest('cloudwatch', 'PutMetricAlarm', goodAlarm)).not.toThrow();
  });
});

describe('validateRequest (other services)', () => {
  const fisTemplate = {
    description: 'stop one AZ',
    roleArn: 'arn:aws:iam::123456789012:role/fis',
    stopConditions: [{ source: 'none' }],
    targets: { tasks: { resourceType: 'aws:ecs:task', selectionMode: 'ALL', resourceTags: { service: 'inventory' } } },
    actions: { stop: { actionId: 'aws:ecs:stop-task', targets: { Tasks: 'tasks' } } },
    tags: { 'managed-by': 'solida' },
  };

  it('lets the SDK fill a required idempotency token (FIS clientToken)', () => {
    expect(validateRequest('fis', 'CreateExperimentTemplate', fisTemplate)).toEqual([]);
  });

  it('validates map keys and values with key paths', () => {
    // ExperimentTemplateTargetName has pattern ^[\S]+$ (no whitespace).
    const bad = { ...fisTemplate, targets: { 'my tasks': fisTemplate.targets.tasks } };
    expect(paths(validateRequest('fis', 'CreateExperimentTemplate', bad))).toEqual(['targets["my tasks"]']);
    const badValue = { ...fisTemplate, targets: { tasks: { ...fisTemplate.targets.tasks, resourceType: undefined } } };
    expect(paths(validateRequest('fis', 'CreateExperimentTemplate', badValue))).toEqual(['targets.tasks.resourceType']);
  });

  it('enforces map length (FIS tags at most 50)', () => {
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect(paths(validateRequest('fis', 'CreateExperimentTemplate', { ...fisTemplate, tags }))).toEqual(['tags']);
  });

  it('checks unions take exactly one member (Application Signals Interval)', () => {
    const ok = { RollingInterval: { DurationUnit: 'DAY', Duration: 28 } };
    const req = (interval: unknown) => ({
      Name: 'inventory-availability',
      Goal: { Interval: interval, AttainmentGoal: 99.9 },
      SliConfig: {
        SliMetricConfig: { MetricDataQueries: [{ Id: 'm1', Expression: 'SEARCH(x)' }] },
        MetricThreshold: 0.5,
        ComparisonOperator: 'GreaterThan',
      },
    });
    expect(validateRequest('application-signals', 'CreateServiceLevelObjective', req(ok))).toEqual([]);
    const both = { ...ok, CalendarInterval: { StartTime: new Date(0), DurationUnit: 'MONTH', Duration: 1 } };
    expect(paths(validateRequest('application-signals', 'CreateServiceLevelObjective', req(both)))).toEqual(['Goal.Interval']);
  });

  it('loads the RDS, logs, Route 53 and zonal-shift models', () => {
    expect(validateRequest('rds', 'FailoverDBCluster', { DBClusterIdentifier: 'inventory' })).toEqual([]);
    expect(paths(validateRequest('rds', 'RebootDBInstance', { ForceFailover: true }))).toEqual(['DBInstanceIdentifier']);
    expect(validateRequest('cloudwatch-logs', 'DescribeLogGroups', {})).toEqual([]);
    expect(validateRequest('route53', 'ListHostedZones', {})).toEqual([]);
    expect(listOperations('arc-zonal-shift')).toContain('StartZonalShift');
  });
});
