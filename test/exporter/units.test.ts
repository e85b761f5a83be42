// Pure pieces: bucket boundaries from SLOs, label guards, error_type classification.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { seriesObserver } from '../../src/exporter/fast-observe.ts';
import { newRegistry } from '../../src/exporter/metrics.ts';
import { pooledRandomIds } from '../../src/exporter/span-ids.ts';
import { classifyOutcome, createExporter, histogramBuckets, leLabel, sloLatencyThresholds } from '../../src/exporter/index.ts';
import { BoundedLabel, methodLabeler, statusLabel } from '../../src/exporter/labels.ts';
import { joinRoute } from '../../src/exporter/express-route.ts';
import { pathnameOf } from '../../src/exporter/route-table.ts';
import { latencySlo } from './helpers.ts';

describe('buckets', () => {
  it('are the OTel semconv defaults plus the service latency thresholds, sorted, deduplicated', () => {
    const slos = [latencySlo('api', 0.3), latencySlo('api', 0.5), latencySlo('web', 0.2)];
    expect(sloLatencyThresholds('api', slos)).toEqual([0.3, 0.5]);
    expect(histogramBuckets('api', slos, [0.042, -1, Number.NaN])).toEqual([
      0.005, 0.01, 0.025, 0.042, 0.05, 0.075, 0.1, 0.25, 0.3, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
    ]);
    expect([leLabel(0.3), leLabel(1), leLabel(2.5)]).toEqual(['0.3', '1', '2.5']);
  });
});

describe('labels', () => {
  it('keeps known methods, maps the rest to _OTHER', () => {
    const m = methodLabeler();
    expect(['GET', 'PATCH', 'get', 'PURGE', undefined].map(m)).toEqual(['GET', 'PATCH', '_OTHER', '_OTHER', '_OTHER']);
  });
  it('caps distinct values', () => {
    const l = new BoundedLabel(2, 'OTHER');
    expect(['/a', '/b', '/c', '/a', '/d'].map((v) => l.label(v))).toEqual(['/a', '/b', 'OTHER', '/a', 'OTHER']);
  });
  it('formats status codes and joins mount paths', () => {
    expect([statusLabel(200), statusLabel(599), statusLabel(799), statusLabel(42)]).toEqual(['200', '599', '799', '']);
    expect([joinRoute('', '/a/:id'), joinRoute('/items', '/:id'), joinRoute('/items', '/'), joinRoute('/v1/', '/x')]).toEqual([
      '/a/:id',
      '/items/:id',
      '/items',
      '/v1/x',
    ]);
    expect([pathnameOf('/a?b=1'), pathnameOf('/a#f'), pathnameOf(undefined)]).toEqual(['/a', '/a', '/']);
  });
});

describe('error_type', () => {
  it('is non-empty exactly for 5xx and unfinished requests', () => {
    const c = (o: Partial<Parameters<typeof classifyOutcome>[0]>) => classifyOutcome({ finished: true, status: 200, timedOut: false, ...o });
    expect(c({ status: 200 })).toBe('');
    expect(c({ status: 404, error: new TypeError('x') })).toBe('');
    expect(c({ status: 499 })).toBe('');
    expect(c({ status: 500 })).toBe('500');
    expect(c({ status: 502, error: new RangeError('x') })).toBe('RangeError');
    expect(c({ status: 503, error: Object.assign(new Error('t'), { code: 'ETIMEDOUT', timeout: 5000 }) })).toBe('timeout');
    expect(c({ finished: false })).toBe('aborted');
    expect(c({ finished: false, timedOut: true })).toBe('timeout');
    expect(c({ finished: false, error: new SyntaxError('x') })).toBe('SyntaxError');
    expect(c({ status: 500, error: 'a string' })).toBe('string');
  });
});

describe('seriesObserver', () => {
  const make = () =>
    new Histogram({ name: 'h', help: 'h', labelNames: ['a', 'b'], buckets: [0.1, 0.3, 1], registers: [] });
  it('records exactly what prom-client observe() records, across a reset', async () => {
    const fast = make();
    const labels = { a: 'x', b: '' };
    const observe = seriesObserver(fast, labels);
    for (const v of [0.05, 0.1, 0.2, 0.3, 0.9, 5]) observe(v);
    const values = async (h: Histogram<'a' | 'b'>) => (await h.get()).values.map((v) => [v.metricName, (v.labels as Record<string, unknown>).le, v.value]);
    // Hand-computed: buckets are cumulative, le is inclusive; 6 observations summing to 6.55.
    expect(await values(fast)).toEqual([
      ['h_bucket', 0.1, 2],
      ['h_bucket', 0.3, 4],
      ['h_bucket', 1, 5],
      ['h_bucket', '+Inf', 6],
      ['h_sum', undefined, 6.55],
      ['h_count', undefined, 6],
    ]);
    fast.reset();
    observe(0.2);
    const after = await values(fast);
    expect(after.find((v) => v[0] === 'h_count')?.[2]).toBe(1);
    expect(after.find((v) => v[0] === 'h_bucket' && v[1] === 0.3)?.[2]).toBe(1);
    expect(after.find((v) => v[0] === 'h_bucket' && v[1] === 0.1)?.[2]).toBe(0);
  });

  it('with exemplars: the last exemplar of each bucket, as prom-client keeps it, in the OpenMetrics scrape', async () => {
    const registry = newRegistry(Registry.OPENMETRICS_CONTENT_TYPE);
    const hist = new Histogram({ name: 'h', help: 'h', labelNames: ['a'], buckets: [0.1, 1], enableExemplars: true, registers: [registry] });
    const observe = seriesObserver(hist, { a: 'x' }, true);
    observe(0.05, { trace_id: 't1', span_id: 's1' });
    observe(0.07, { trace_id: 't2', span_id: 's2' }); // same bucket: replaces t1
    observe(0.5); // no exemplar: the 1 bucket keeps none
    observe(7, { trace_id: 't3', span_id: 's3' }); // past the last bound: the +Inf bucket
    const lines = (await registry.metrics()).split('\n').filter((l) => l.startsWith('h_bucket'));
    // Exemplar timestamps are wall-clock seconds: compare without them.
    expect(lines.map((l) => (l.includes(' # ') ? l.replace(/ [\d.]+$/, '') : l))).toEqual([
      'h_bucket{le="0.1",a="x"} 2 # {trace_id="t2",span_id="s2"} 0.07',
      'h_bucket{le="1",a="x"} 3',
      'h_bucket{le="+Inf",a="x"} 4 # {trace_id="t3",span_id="s3"} 7',
    ]);
  });
});

describe('span ids', () => {
  it('are lowercase hex of W3C length, distinct across many refills of the pool', () => {
    const traces = new Set<string>();
    const spans = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      traces.add(pooledRandomIds.generateTraceId());
      spans.add(pooledRandomIds.generateSpanId());
    }
    expect(traces.size).toBe(20_000);
    expect(spans.size).toBe(20_000);
    expect([...traces].every((t) => /^[0-9a-f]{32}$/.test(t) && !/^0+$/.test(t))).toBe(true);
    expect([...spans].every((s) => /^[0-9a-f]{16}$/.test(s) && !/^0+$/.test(s))).toBe(true);
  });
});

describe('tracing off', () => {
  it('does not load the OpenTelemetry SDK', async () => {
    const exporter = createExporter({ service: 'untraced', tracing: false, processMetrics: false });
    const require = createRequire(import.meta.url);
    expect(require.cache[require.resolve('@opentelemetry/sdk-node')]).toBeUndefined();
    expect(require.cache[require.resolve('@opentelemetry/exporter-trace-otlp-http')]).toBeUndefined();
    await exporter.shutdown();
  });
});

describe('what an instrumented service loads', () => {
  it('EMF to stdout loads neither the AWS SDK nor the OpenTelemetry SDK; the CloudWatch Logs sink loads the AWS client', () => {
    // A fresh process: this worker's module cache holds whatever earlier tests loaded.
    const probe = (sink: string) => {
      const script = `
        const { createRequire } = await import('node:module');
        const { createExporter } = await import(${JSON.stringify(new URL('../../src/exporter/index.ts', import.meta.url).href)});
        const exporter = createExporter({ service: 'probe', processMetrics: false, tracing: false, emf: { sink: ${sink} } });
        await exporter.shutdown();
        const loaded = Object.keys(createRequire(process.cwd() + "/").cache).filter((f) => /node_modules\\/@(aws-sdk|smithy|opentelemetry\\/sdk-node)\\//.test(f));
        process.stdout.write(JSON.stringify(loaded.map((f) => f.replace(/.*node_modules\\//, '').split('/').slice(0, 2).join('/'))));`;
      const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, AWS_REGION: 'us-east-1' } });
      return new Set(JSON.parse(out) as string[]);
    };
    expect([...probe("'stdout'")]).toEqual([]);
    const withLogs = probe("{ cloudWatchLogs: { logGroupName: 'g', logStreamName: 's', endpoint: 'http://127.0.0.1:9' } }");
    expect(withLogs.has('@aws-sdk/client-cloudwatch-logs')).toBe(true);
    expect(withLogs.has('@opentelemetry/sdk-node')).toBe(false);
  });
});
