// CloudWatch Embedded Metric Format: documents checked against the EMF specification's rules,
// aggregate values against hand-computed ones, PutLogEvents batching against the API limits.
import http from 'node:http';
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import express from 'express';
import { describe, expect, it } from 'vitest';
import {
  batchLogEvents,
  cloudWatchLogsSink,
  createExporter,
  EmfAggregator,
  stdoutSink,
  type EmfDocument,
} from '../../src/exporter/index.ts';
import { close, latencySlo, listen, request } from './helpers.ts';

// CloudWatch StandardUnit values (PutMetricData / EMF MetricDefinition.Unit).
const UNITS = new Set(['Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None']);

/** The EMF specification's MUST rules, written out independently of the implementation. */
function emfViolations(line: string): string[] {
  const v: string[] = [];
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(line);
  } catch {
    return ['not a JSON object'];
  }
  const aws = doc._aws as Record<string, unknown> | undefined;
  if (!aws || typeof aws !== 'object') return ['missing _aws'];
  if (typeof aws.Timestamp !== 'number' || !Number.isInteger(aws.Timestamp)) v.push('_aws.Timestamp must be an integer (ms)');
  const directives = aws.CloudWatchMetrics;
  if (!Array.isArray(directives) || directives.length === 0) return [...v, 'CloudWatchMetrics must be a non-empty array'];
  for (const d of directives as Array<Record<string, unknown>>) {
    if (typeof d.Namespace !== 'string' || d.Namespace.length < 1 || d.Namespace.length > 1024) v.push('bad Namespace');
    if (!Array.isArray(d.Dimensions)) v.push('Dimensions must be an array');
    for (const set of (d.Dimensions as string[][]) ?? []) {
      if (set.length > 30) v.push('dimension set over 30 keys');
      for (const key of set) {
        const val = doc[key];
        if (typeof val !== 'string' || val.length < 1 || val.length > 1024) v.push(`dimension ${key} must be a 1-1024 char string`);
      }
    }
    const metrics = d.Metrics as Array<Record<string, unknown>>;
    if (!Array.isArray(metrics) || metrics.length > 100) v.push('Metrics must be an array of at most 100');
    for (const m of metrics ?? []) {
      if (typeof m.Name !== 'string' || m.Name.length < 1 || m.Name.length > 1024) v.push('bad metric Name');
      if (m.Unit !== undefined && !UNITS.has(m.Unit as string)) v.push(`bad Unit ${String(m.Unit)}`);
      const val = doc[m.Name as string];
      const ok = typeof val === 'number' || (Array.isArray(val) && val.length <= 100 && val.every((x) => typeof x === 'number'));
      if (!ok) v.push(`metric ${String(m.Name)} must be a number or ≤100 numbers`);
    }
  }
  return v;
}

describe('EMF aggregation', () => {
  it('produces spec-valid documents with the hand-computed aggregates', () => {
    const agg = new EmfAggregator({ namespace: 'Shop/Api', service: 'shop', thresholds: [0.3], dimensions: { Environment: 'prod' } });
    for (let i = 0; i < 100; i++) agg.record('/a', false, 0.01);
    for (let i = 0; i < 50; i++) agg.record('/a', i < 5, 0.5);
    agg.record('/b', false, 0.2);
    agg.record('/b', false, 0.2);
    agg.record('/b', true, 0.4);
    const docs = agg.drain(1_700_000_000_000);
    const lines = docs.map((d) => JSON.stringify(d));
    for (const l of lines) expect(emfViolations(l)).toEqual([]);
    const a = docs.find((d) => d.Route === '/a') as EmfDocument;
    expect(a._aws.Timestamp).toBe(1_700_000_000_000);
    expect(a._aws.CloudWatchMetrics[0].Dimensions).toEqual([
      ['Service', 'Environment'],
      ['Service', 'Route', 'Environment'],
    ]);
    expect([a.Service, a.Environment, a.Requests, a.Errors, a['SlowRequests_0.3s']]).toEqual(['shop', 'prod', 150, 5, 50]);
    const lat = a.Latency as number[];
    expect(lat.length).toBe(100);
    // 100 evenly spaced quantiles of 100×10ms + 50×500ms: ranks ⌈(k+½)·1.5⌉ > 100 for k ≥ 67.
    expect(lat.filter((x) => x >= 0.3).length).toBe(33);
    for (const x of lat) {
      const exact = x < 0.3 ? 0.01 : 0.5;
      expect(x).toBeGreaterThanOrEqual(exact);
      expect(x).toBeLessThanOrEqual(exact * 1.021);
    }
    const b = docs.find((d) => d.Route === '/b') as EmfDocument;
    expect([b.Requests, b.Errors, b['SlowRequests_0.3s'], (b.Latency as number[]).length]).toEqual([3, 1, 1, 3]);
    expect(agg.drain()).toEqual([]); // drained
  });

  it('writes one JSON document per line to stdout', async () => {
    const out: string[] = [];
    const agg = new EmfAggregator({ namespace: 'N', service: 's', thresholds: [] });
    agg.record('/x', false, 0.1);
    agg.record('/y', false, 0.1);
    await stdoutSink((chunk) => out.push(chunk)).write(agg.drain());
    const lines = out.join('').split('\n').filter(Boolean);
    expect(lines.length).toBe(2);
    for (const l of lines) expect(emfViolations(l)).toEqual([]);
  });

  it('comes out of a real express app through the exporter', async () => {
    const lines: string[] = [];
    const exporter = createExporter({
      service: 'shop',
      slos: [latencySlo('shop', 0.25)],
      processMetrics: false,
      emf: { namespace: 'Shop', flushIntervalSeconds: 3600, sink: { write: async (docs) => void lines.push(...docs.map((d) => JSON.stringify(d))) } },
    });
    const app = express();
    app.use(exporter.middleware);
    app.get('/items/:id', (req, res) => {
      res.status(req.params.id === 'x' ? 500 : 200).end();
    });
    const server = http.createServer(app);
    const port = await listen(server);
    for (const id of ['1', '2', 'x']) await request(port, `/items/${id}`);
    await close(server);
    await exporter.shutdown();
    expect(lines.length).toBe(1);
    expect(emfViolations(lines[0])).toEqual([]);
    const doc = JSON.parse(lines[0]);
    expect([doc.Service, doc.Route, doc.Requests, doc.Errors]).toEqual(['shop', '/items/:id', 3, 1]);
    expect(doc._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name)).toEqual(['Requests', 'Errors', 'Latency', 'SlowRequests_0.25s']);
  });
});

describe('PutLogEvents batching', () => {
  it('splits by event count (10,000), bytes (1,048,576 incl. 26 per event) and 24 h span, in time order', () => {
    const small = Array.from({ length: 25_000 }, (_, i) => ({ timestamp: 1000 + i, message: 'x' }));
    expect(batchLogEvents(small).map((b) => b.length)).toEqual([10_000, 10_000, 5_000]);
    // 200 KiB messages: 5 × (204,800 + 26) = 1,024,130 fits, a 6th would not.
    const big = Array.from({ length: 6 }, (_, i) => ({ timestamp: 1000 + i, message: 'y'.repeat(204_800) }));
    expect(batchLogEvents(big).map((b) => b.length)).toEqual([5, 1]);
    const day = 24 * 3600 * 1000;
    const spread = [
      { timestamp: 3 * day, message: 'c' },
      { timestamp: 0, message: 'a' },
      { timestamp: day, message: 'b' },
    ];
    expect(batchLogEvents(spread).map((b) => b.map((e) => e.message))).toEqual([['a', 'b'], ['c']]);
  });

  it('sends EMF documents with PutLogEvents after creating the stream', async () => {
    const cw = mockClient(CloudWatchLogsClient);
    cw.on(CreateLogStreamCommand).resolves({});
    cw.on(PutLogEventsCommand).resolves({});
    const agg = new EmfAggregator({ namespace: 'N', service: 's', thresholds: [0.3] });
    for (let i = 0; i < 12_000; i++) agg.record(`/r${i}`, false, 0.1);
    const sink = cloudWatchLogsSink({ logGroupName: '/solida/emf', logStreamName: 'task-1', client: new CloudWatchLogsClient({ region: 'us-east-1' }) });
    await sink.write(agg.drain(1_700_000_000_000));
    await sink.write(agg.drain());
    expect(cw.commandCalls(CreateLogStreamCommand).length).toBe(1);
    const puts = cw.commandCalls(PutLogEventsCommand).map((c) => c.args[0].input);
    // ~400-byte documents: the byte limit, not the 10,000-event limit, cuts these batches.
    expect(puts.reduce((n, p) => n + p.logEvents!.length, 0)).toBe(12_000);
    expect(puts.length).toBeGreaterThan(1);
    const size = (e: { message?: string }) => Buffer.byteLength(e.message!) + 26;
    for (let i = 0; i + 1 < puts.length; i++) {
      const used = puts[i].logEvents!.reduce((n, e) => n + size(e), 0);
      expect(used + size(puts[i + 1].logEvents![0])).toBeGreaterThan(1_048_576); // batches are full
    }
    for (const p of puts) {
      expect(p.logGroupName).toBe('/solida/emf');
      const bytes = p.logEvents!.reduce((n, e) => n + Buffer.byteLength(e.message!) + 26, 0);
      expect(bytes).toBeLessThanOrEqual(1_048_576);
      expect(emfViolations(p.logEvents![0].message!)).toEqual([]);
      expect(p.logEvents![0].timestamp).toBe(1_700_000_000_000);
    }
    cw.restore();
  });
});
