// The exporter's EMF sink writing to a real CloudWatch Logs (moto_server): log group and stream creation,
// PutLogEvents batches within the API's limits, every event stored and readable back.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeLogStreamsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EmfAggregator } from '../../src/exporter/emf.ts';
import { cloudWatchLogsSink, PUT_LOG_EVENTS_LIMITS } from '../../src/exporter/emf-sink.ts';
import { credentialsEnv, DUMMY_CREDENTIALS, MOTO_REGION, startMoto, type Moto } from '../support/moto.ts';
import { setEnv } from '../support/env.ts';

let moto: Moto;
let logs: CloudWatchLogsClient;
let restoreEnv: (() => void) | undefined;

beforeAll(async () => {
  moto = await startMoto();
  logs = new CloudWatchLogsClient({ region: MOTO_REGION, endpoint: moto.url, credentials: DUMMY_CREDENTIALS });
  // The sink builds its own client from the standard chain: dummy credentials only.
  restoreEnv = setEnv(credentialsEnv());
}, 120_000);
afterAll(async () => {
  restoreEnv?.();
  await moto?.stop();
});
beforeEach(() => moto.reset());

async function storedMessages(group: string, stream: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  for (;;) {
    const page = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true, nextToken: token }));
    out.push(...(page.events ?? []).map((e) => e.message!));
    if (!page.events?.length || page.nextForwardToken === token) return out;
    token = page.nextForwardToken;
  }
}

function documents(routes: number, at: number) {
  const agg = new EmfAggregator({ namespace: 'Shop', service: 'shop', thresholds: [0.3] });
  for (let i = 0; i < routes; i++) agg.record(`/r${i}`, i % 10 === 0, 0.1 + (i % 5) / 10);
  return agg.drain(at);
}

describe('EMF sink to CloudWatch Logs on moto_server', () => {
  it('creates the log group and stream, and stores every document in batches within PutLogEvents limits', async () => {
    const sink = cloudWatchLogsSink({ logGroupName: '/solida/emf', logStreamName: 'task-1', region: MOTO_REGION, endpoint: moto.url, createLogGroup: true });
    const now = Date.now();
    await sink.write(documents(12_000, now - 1000));
    await sink.write(documents(50, now));

    const groups = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/solida/' }))).logGroups!.map((g) => g.logGroupName);
    expect(groups).toEqual(['/solida/emf']);
    const streams = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/solida/emf' }))).logStreams!.map((s) => s.logStreamName);
    expect(streams).toEqual(['task-1']);
    const messages = await storedMessages('/solida/emf', 'task-1');
    expect(messages).toHaveLength(12_050);
    const docs = messages.map((m) => JSON.parse(m));
    expect(new Set(docs.map((d) => d.Route)).size).toBe(12_000);
    expect(docs.filter((d) => d.Route === '/r0').map((d) => [d.Requests, d.Errors])).toEqual([[1, 1], [1, 1]]);
    expect(docs[0]._aws.CloudWatchMetrics[0].Namespace).toBe('Shop');
  }, 120_000);

  it('splits what it sends by the byte limit, and a second sink reuses the existing group and stream', async () => {
    const sent: { events: number; bytes: number; span: number }[] = [];
    const client = new CloudWatchLogsClient({ region: MOTO_REGION, endpoint: moto.url, credentials: DUMMY_CREDENTIALS });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutLogEventsCommand') {
          const events = (args.input as { logEvents: { message: string; timestamp: number }[] }).logEvents;
          sent.push({
            events: events.length,
            bytes: events.reduce((n, e) => n + Buffer.byteLength(e.message) + PUT_LOG_EVENTS_LIMITS.perEventOverheadBytes, 0),
            span: events.at(-1)!.timestamp - events[0].timestamp,
          });
        }
        return next(args);
      },
      { step: 'initialize', name: 'recordPutLogEvents' },
    );
    const first = cloudWatchLogsSink({ logGroupName: '/solida/batches', logStreamName: 'task-2', client, createLogGroup: true });
    await first.write(documents(12_000, Date.now()));
    // ~400-byte documents: 12,000 of them exceed 1,048,576 bytes, so the byte limit cuts before the 10,000-event one.
    expect(sent.length).toBeGreaterThan(1);
    for (const s of sent) {
      expect(s.bytes).toBeLessThanOrEqual(PUT_LOG_EVENTS_LIMITS.maxBatchBytes);
      expect(s.events).toBeLessThanOrEqual(PUT_LOG_EVENTS_LIMITS.maxEvents);
      expect(s.span).toBeLessThanOrEqual(PUT_LOG_EVENTS_LIMITS.maxSpanMs);
    }
    expect(sent.reduce((n, s) => n + s.events, 0)).toBe(12_000);
    // A restarted task: group and stream already exist (ResourceAlreadyExistsException is not an error).
    const second = cloudWatchLogsSink({ logGroupName: '/solida/batches', logStreamName: 'task-2', client, createLogGroup: true });
    await second.write(documents(3, Date.now()));
    expect(await storedMessages('/solida/batches', 'task-2')).toHaveLength(12_003);
  }, 120_000);

  it('does not create a missing log group unless asked: the write fails and names it', async () => {
    const sink = cloudWatchLogsSink({ logGroupName: '/solida/missing', logStreamName: 'task-3', region: MOTO_REGION, endpoint: moto.url });
    await expect(sink.write(documents(1, Date.now()))).rejects.toThrow(/log group does not exist/);
    expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
  });
});
