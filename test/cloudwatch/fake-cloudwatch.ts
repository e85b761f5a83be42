// An in-memory CloudWatch behind aws-sdk-client-mock: small pages to exercise pagination, and AWS's
// reference rules (a composite must reference existing alarms; an alarm referenced by a composite
// cannot be deleted first; one alarm per name whatever its kind; Put* ignores Tags on update) so that
// wrong ordering fails the test.
import { mockClient } from 'aws-sdk-client-mock';
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DeleteDashboardsCommand,
  DescribeAlarmsCommand,
  GetDashboardCommand,
  ListDashboardsCommand,
  ListTagsForResourceCommand,
  PutCompositeAlarmCommand,
  PutDashboardCommand,
  PutMetricAlarmCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type CompositeAlarm,
  type MetricAlarm,
  type Tag,
} from '@aws-sdk/client-cloudwatch';
import { parseAlarmRule, ruleAlarms } from '../../src/cloudwatch/composite-rule.ts';

const ARN = (name: string) => `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${name}`;

export class FakeCloudWatch {
  readonly metric = new Map<string, MetricAlarm>();
  readonly composite = new Map<string, CompositeAlarm>();
  readonly dashboards = new Map<string, string>();
  readonly tags = new Map<string, Tag[]>();
  readonly client = new CloudWatchClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  readonly mock = mockClient(this.client);
  /** Every mutating call, in order. */
  readonly calls: string[] = [];

  constructor(readonly alarmPageSize = 3, readonly dashboardPageSize = 2) {
    this.mock.on(DescribeAlarmsCommand).callsFake((input) => {
      if (input.ParentsOfAlarmName !== undefined) {
        // AWS: with ParentsOfAlarmName only MaxRecords and NextToken may be given; name and ARN come back.
        const others = Object.keys(input).filter((k) => !['ParentsOfAlarmName', 'MaxRecords', 'NextToken'].includes(k) && input[k as keyof typeof input] !== undefined);
        if (others.length) throw new Error(`ValidationError: ParentsOfAlarmName cannot be combined with ${others.join(', ')}`);
        const parents = [...this.composite].filter(([, c]) => ruleAlarms(parseAlarmRule(c.AlarmRule!)).includes(input.ParentsOfAlarmName!));
        return { CompositeAlarms: parents.map(([name, c]) => ({ AlarmName: name, AlarmArn: c.AlarmArn })) };
      }
      const names = [...this.metric.keys(), ...this.composite.keys()].filter((n) => n.startsWith(input.AlarmNamePrefix ?? '')).sort();
      const start = Number(input.NextToken ?? 0);
      const size = Math.min(input.MaxRecords ?? 50, this.alarmPageSize);
      const page = names.slice(start, start + size);
      return {
        MetricAlarms: page.filter((n) => this.metric.has(n)).map((n) => structuredClone(this.metric.get(n)!)),
        CompositeAlarms: page.filter((n) => this.composite.has(n)).map((n) => structuredClone(this.composite.get(n)!)),
        NextToken: start + size < names.length ? String(start + size) : undefined,
      };
    });
    this.mock.on(ListDashboardsCommand).callsFake((input) => {
      const names = [...this.dashboards.keys()].filter((n) => n.startsWith(input.DashboardNamePrefix ?? '')).sort();
      const start = Number(input.NextToken ?? 0);
      return {
        DashboardEntries: names.slice(start, start + this.dashboardPageSize).map((DashboardName) => ({ DashboardName })),
        NextToken: start + this.dashboardPageSize < names.length ? String(start + this.dashboardPageSize) : undefined,
      };
    });
    this.mock.on(GetDashboardCommand).callsFake((input) => {
      const body = this.dashboards.get(input.DashboardName!);
      if (body === undefined) throw Object.assign(new Error('dashboard does not exist'), { name: 'ResourceNotFound' });
      return { DashboardName: input.DashboardName, DashboardBody: body };
    });
    this.mock.on(ListTagsForResourceCommand).callsFake((input) => ({ Tags: this.tags.get(input.ResourceARN!) ?? [] }));
    this.mock.on(PutMetricAlarmCommand).callsFake((input) => {
      this.calls.push(`PutMetricAlarm ${input.AlarmName}`);
      if (this.composite.has(input.AlarmName!)) throw new Error(`ValidationError: ${input.AlarmName} is a composite alarm`);
      const { Tags, ...rest } = input;
      if (!this.metric.has(input.AlarmName!) && Tags) this.tags.set(ARN(input.AlarmName!), Tags);
      this.metric.set(input.AlarmName!, { ...structuredClone(rest), AlarmArn: ARN(input.AlarmName!), StateValue: 'INSUFFICIENT_DATA' });
      return {};
    });
    this.mock.on(PutCompositeAlarmCommand).callsFake((input) => {
      this.calls.push(`PutCompositeAlarm ${input.AlarmName}`);
      if (this.metric.has(input.AlarmName!)) throw new Error(`ValidationError: ${input.AlarmName} is a metric alarm`);
      for (const ref of ruleAlarms(parseAlarmRule(input.AlarmRule!))) {
        if (!this.metric.has(ref) && !this.composite.has(ref)) throw new Error(`ValidationError: alarm ${ref} does not exist`);
      }
      const { Tags, ...rest } = input;
      if (!this.composite.has(input.AlarmName!) && Tags) this.tags.set(ARN(input.AlarmName!), Tags);
      this.composite.set(input.AlarmName!, { ...structuredClone(rest), AlarmArn: ARN(input.AlarmName!), StateValue: 'OK' });
      return {};
    });
    this.mock.on(DeleteAlarmsCommand).callsFake((input) => {
      this.calls.push(`DeleteAlarms ${input.AlarmNames!.join(',')}`);
      const deleting = new Set<string>(input.AlarmNames);
      for (const name of deleting) {
        for (const [parent, c] of this.composite) {
          if (!deleting.has(parent) && ruleAlarms(parseAlarmRule(c.AlarmRule!)).includes(name)) {
            throw new Error(`ValidationError: ${name} is referenced by composite ${parent}`);
          }
        }
      }
      for (const name of deleting) {
        this.metric.delete(name);
        this.composite.delete(name);
        this.tags.delete(ARN(name));
      }
      return {};
    });
    this.mock.on(TagResourceCommand).callsFake((input) => {
      this.calls.push(`TagResource ${input.ResourceARN}`);
      const byKey = new Map((this.tags.get(input.ResourceARN!) ?? []).map((t) => [t.Key, t]));
      for (const t of input.Tags ?? []) byKey.set(t.Key, t);
      this.tags.set(input.ResourceARN!, [...byKey.values()]);
      return {};
    });
    this.mock.on(UntagResourceCommand).callsFake((input) => {
      this.calls.push(`UntagResource ${input.ResourceARN}`);
      this.tags.set(input.ResourceARN!, (this.tags.get(input.ResourceARN!) ?? []).filter((t) => !input.TagKeys!.includes(t.Key!)));
      return {};
    });
    this.mock.on(PutDashboardCommand).callsFake((input) => {
      this.calls.push(`PutDashboard ${input.DashboardName}`);
      this.dashboards.set(input.DashboardName!, input.DashboardBody!);
      return { DashboardValidationMessages: [] };
    });
    this.mock.on(DeleteDashboardsCommand).callsFake((input) => {
      this.calls.push(`DeleteDashboards ${input.DashboardNames!.join(',')}`);
      for (const n of input.DashboardNames!) this.dashboards.delete(n);
      return {};
    });
  }

  addForeignAlarm(name: string, tags: Tag[] = []): void {
    this.metric.set(name, {
      AlarmName: name, AlarmArn: ARN(name), Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Statistic: 'Average',
      Period: 60, EvaluationPeriods: 1, Threshold: 90, ComparisonOperator: 'GreaterThanThreshold',
    });
    this.tags.set(ARN(name), tags);
  }
}
