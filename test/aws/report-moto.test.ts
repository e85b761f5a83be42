// `solida report --source cloudwatch` over data put with PutMetricData into a real moto_server: the
// request counts and the budget figures below are worked out by hand from the data put.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { DUMMY_CREDENTIALS, MOTO_REGION, startMoto, type Moto } from '../support/moto.ts';
import { runSolida } from '../support/solida-cli.ts';

let moto: Moto;
let dir: string;
const LB = 'app/shop/50dc6c495c0c9188';
const MIN = 60_000;

const metric = (metricName: string) => ({ namespace: 'AWS/ApplicationELB', metricName, dimensions: { LoadBalancer: LB }, stat: 'Sum' });
const config = {
  services: [{ name: 'shop' }],
  slos: [{
    service: 'shop', name: 'availability', objective: 99.9, window: '7d',
    sli: { cloudwatch: { errors: [metric('HTTPCode_Target_5XX_Count'), metric('HTTPCode_ELB_5XX_Count')], total: [metric('RequestCount')] } },
  }],
};

beforeAll(async () => {
  moto = await startMoto();
  dir = await mkdtemp(join(tmpdir(), 'solida-moto-report-'));
}, 60_000);
afterAll(async () => {
  await moto?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('report --source cloudwatch against moto_server', () => {
  it('adds up the errors and requests put with PutMetricData', async () => {
    const cw = new CloudWatchClient({ region: MOTO_REGION, endpoint: moto.url, credentials: DUMMY_CREDENTIALS });
    // The report is as of the last whole minute; data sits in the hour before it.
    const at = Math.floor(Date.now() / MIN) * MIN;
    const datum = (name: string, minutesAgo: number, value: number): MetricDatum => ({
      MetricName: name, Dimensions: [{ Name: 'LoadBalancer', Value: LB }], Timestamp: new Date(at - minutesAgo * MIN), Value: value, Unit: 'Count',
    });
    const data: MetricDatum[] = [
      // 1,000 requests a minute for 60 minutes: 60,000 requests.
      ...Array.from({ length: 60 }, (_, i) => datum('RequestCount', i + 1, 1000)),
      // 3 target 5xx a minute for 10 minutes (30) and 6 ELB 5xx twice (12): 42 errors.
      ...Array.from({ length: 10 }, (_, i) => datum('HTTPCode_Target_5XX_Count', i + 1, 3)),
      datum('HTTPCode_ELB_5XX_Count', 30, 6),
      datum('HTTPCode_ELB_5XX_Count', 31, 6),
      // Another load balancer's requests: not the SLO's, must not count.
      { ...datum('RequestCount', 5, 99_999), Dimensions: [{ Name: 'LoadBalancer', Value: 'app/other/1' }] },
      // Outside the 7-day window: must not count.
      datum('HTTPCode_Target_5XX_Count', 8 * 24 * 60, 500),
    ];
    for (let i = 0; i < data.length; i += 20) {
      await cw.send(new PutMetricDataCommand({ Namespace: 'AWS/ApplicationELB', MetricData: data.slice(i, i + 20) }));
    }

    const cfg = join(dir, 'solida.yaml');
    await writeFile(cfg, JSON.stringify(config));
    const out = join(dir, 'report.json');
    const run = await runSolida(['report', '--source', 'cloudwatch', '--config', cfg, '--at', new Date(at).toISOString(), '--format', 'json', '--out', out], moto.env);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(await readFile(out, 'utf8'));
    const s = doc.slos[0];
    expect(s.events).toMatchObject({ total: 60_000, errors: 42 });
    // Allowed errors: 0.1 % of 60,000 = 60; 42 of them are spent: 70 % consumed, 30 % left.
    expect(s.consumed).toBeCloseTo(0.7, 9);
    expect(s.budgetRemaining).toBeCloseTo(0.3, 9);
    // All 70 % were burned within the last week, over the 50 % freeze line of the default policy.
    expect(s.policy.status).toBe('feature-freeze');
  }, 60_000);
});
