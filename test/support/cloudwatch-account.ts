// A CloudWatch account for plan/apply tests: a real moto_server behind the in-repo fake for what moto lacks
// (test/support/cloudwatch-gaps.ts: composite alarms, ParentsOfAlarmName, result pages). `client` is what
// solida talks to; the readers below look at what the account really holds (moto directly, plus the
// composites only the gap fake can keep). One per test file: start it in beforeAll, reset() in beforeEach.
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetDashboardCommand,
  ListDashboardsCommand,
  ListTagsForResourceCommand,
  PutCompositeAlarmCommand,
  PutDashboardCommand,
  PutMetricAlarmCommand,
  type MetricAlarm,
  type Tag,
} from '@aws-sdk/client-cloudwatch';
import { DUMMY_CREDENTIALS, MOTO_ACCOUNT, MOTO_REGION, startMoto, type Moto } from './moto.ts';
import { startCloudWatchGaps, AWS_PAGE_SIZES, type CloudWatchGaps, type PageSizes } from './cloudwatch-gaps.ts';

export interface CloudWatchAccount {
  moto: Moto;
  gaps: CloudWatchGaps;
  /** Through the gap fake, as solida sees the account. */
  client: CloudWatchClient;
  /** Environment for a `solida` run against this account. */
  env: Record<string, string>;
  arn(name: string): string;
  /** Empties moto and the gap fake, and sets AWS's page sizes back (or the ones given). */
  reset(pageSizes?: Partial<PageSizes>): Promise<void>;
  metricAlarm(name: string): Promise<MetricAlarm | undefined>;
  /** Names of metric alarms (moto's) and composite alarms (the gap fake's), sorted. */
  alarmNames(): Promise<string[]>;
  tags(name: string): Promise<Tag[]>;
  dashboardNames(): Promise<string[]>;
  dashboardBody(name: string): Promise<string | undefined>;
  putDashboard(name: string, body: string): Promise<void>;
  /** Another team's metric alarm (not tagged by solida). */
  addForeignAlarm(name: string, tags?: Tag[]): Promise<void>;
  /** Another team's composite alarm (created, or its rule changed). */
  putForeignComposite(name: string, rule: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startCloudWatchAccount(): Promise<CloudWatchAccount> {
  const moto = await startMoto();
  const gaps = await startCloudWatchGaps(moto.url, { region: MOTO_REGION, account: MOTO_ACCOUNT });
  const make = (endpoint: string) => new CloudWatchClient({ region: MOTO_REGION, endpoint, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
  const client = make(gaps.url);
  const direct = make(moto.url);
  const arn = (name: string) => `arn:aws:cloudwatch:${MOTO_REGION}:${MOTO_ACCOUNT}:alarm:${name}`;
  return {
    moto,
    gaps,
    client,
    env: { ...moto.env, AWS_ENDPOINT_URL: gaps.url },
    arn,
    async reset(pageSizes = {}) {
      await moto.reset();
      gaps.reset();
      Object.assign(gaps.pageSizes, AWS_PAGE_SIZES, pageSizes);
    },
    async metricAlarm(name) {
      const out = await direct.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
      return out.MetricAlarms?.find((a) => a.AlarmName === name);
    },
    async alarmNames() {
      const out = await direct.send(new DescribeAlarmsCommand({}));
      return [...(out.MetricAlarms ?? []).map((a) => a.AlarmName!), ...gaps.composites.keys()].sort();
    },
    async tags(name) {
      return (await client.send(new ListTagsForResourceCommand({ ResourceARN: arn(name) }))).Tags ?? [];
    },
    async dashboardNames() {
      return ((await direct.send(new ListDashboardsCommand({}))).DashboardEntries ?? []).map((d) => d.DashboardName!).sort();
    },
    async dashboardBody(name) {
      try {
        return (await direct.send(new GetDashboardCommand({ DashboardName: name }))).DashboardBody;
      } catch (err) {
        if ((err as Error).name === 'ResourceNotFound') return undefined;
        throw err;
      }
    },
    async putDashboard(name, body) {
      await direct.send(new PutDashboardCommand({ DashboardName: name, DashboardBody: body }));
    },
    async addForeignAlarm(name, tags = []) {
      await direct.send(new PutMetricAlarmCommand({
        AlarmName: name, Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Statistic: 'Average',
        Period: 60, EvaluationPeriods: 1, Threshold: 90, ComparisonOperator: 'GreaterThanThreshold', ...(tags.length ? { Tags: tags } : {}),
      }));
    },
    async putForeignComposite(name, rule) {
      await client.send(new PutCompositeAlarmCommand({ AlarmName: name, AlarmRule: rule }));
    },
    async stop() {
      await gaps.close();
      await moto.stop();
    },
  };
}

/**
 * The per-file lifecycle every plan/apply test file wants: one account for the file, emptied before each
 * test, and after each test the check that every request solida sent matched the CloudWatch API model.
 * Returns a getter (the account exists only once beforeAll has run).
 */
export function useCloudWatchAccount(): () => CloudWatchAccount {
  let cw: CloudWatchAccount | undefined;
  beforeAll(async () => {
    cw = await startCloudWatchAccount();
  }, 120_000);
  afterAll(async () => {
    await cw?.stop();
  });
  beforeEach(async () => {
    await cw!.reset();
  });
  afterEach(() => {
    expect(cw!.gaps.invalid).toEqual([]);
  });
  return () => cw!;
}
