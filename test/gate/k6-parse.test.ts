// Parsing every real k6 file of the fixtures; expected numbers are read off the files themselves and
// off k6's stdout printed in the same run (pass-stdout.txt, fail-stdout.txt).
import { createReadStream, createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readK6Summary, parseK6Summary } from '../../src/k6/summary.ts';
import { readK6Points, forEachK6Record } from '../../src/k6/points.ts';
import { k6Percentile } from '../../src/k6/sinks.ts';
import { parseMetricKey } from '../../src/k6/selector.ts';
import { parseThresholdExpr, decideFromRange } from '../../src/k6/threshold-expr.ts';
import { SolidaError } from '../../src/util/errors.ts';
import { fixture, tmp } from './helpers.ts';

describe('summary-export files', () => {
  it('normalises the inverted threshold booleans: ok means passed', async () => {
    const pass = await readK6Summary(fixture('pass-summary-export.json'));
    expect(pass.source.kind).toBe('summary-export');
    // In the file every threshold maps to false (= not failed): all passed, as the stdout ✓ marks say.
    expect(pass.thresholds).toHaveLength(4);
    expect(pass.thresholds.every((t) => t.ok === true)).toBe(true);

    const fail = await readK6Summary(fixture('fail-summary-export.json'));
    const byExpr = Object.fromEntries(fail.thresholds.map((t) => [`${t.metric} ${t.expression}`, t.ok]));
    // "rate<0.01": true in the file means crossed; stdout shows ✗ http_req_failed and ✓ http_req_duration.
    expect(byExpr).toEqual({ 'http_req_failed rate<0.01': false, 'http_req_duration p(99)<20': true });
  });

  it('reads rate metrics with passes = non-zero samples (failed requests for http_req_failed)', async () => {
    const fail = await readK6Summary(fixture('fail-summary-export.json'));
    // stdout: "http_req_failed: 5.17% ✓ 13 ✗ 238" → 13 failed requests of 251.
    expect(fail.metrics.http_req_failed.type).toBe('rate');
    expect(fail.metrics.http_req_failed.stats).toMatchObject({ nonZero: 13, zero: 238, count: 251 });
    expect(fail.metrics.http_req_failed.stats.rate).toBeCloseTo(13 / 251, 12);
    // checks: 238 passed, 13 failed.
    expect(fail.metrics.checks.stats).toMatchObject({ nonZero: 238, zero: 13 });
    expect(fail.checks).toEqual([{ name: 'status is 200', path: '::status is 200', passes: 238, fails: 13 }]);
  });

  it('keeps sub-metrics as their own keys with parsed tags', async () => {
    const pass = await readK6Summary(fixture('pass-summary-export.json'));
    const sub = pass.metrics['http_req_duration{scenario:steady}'];
    expect(sub.name).toBe('http_req_duration');
    expect(sub.tags).toEqual({ scenario: 'steady' });
    expect(sub.type).toBe('trend');
    expect(sub.stats['p(95)']).toBe(3.651721);
    // p(99) is NOT in the file although a threshold uses it (default summaryTrendStats).
    expect(sub.stats['p(99)']).toBeUndefined();
    expect(pass.metrics.http_reqs).toMatchObject({ type: 'counter', stats: { count: 251 } });
    expect(pass.metrics.vus_max).toMatchObject({ type: 'gauge', stats: { value: 10 } });
  });
});

describe('handleSummary data', () => {
  it('reads { ok } verdicts, typed metrics, trend stats and duration', async () => {
    const h = await readK6Summary(fixture('handle-summary-data.json'));
    expect(h.source.kind).toBe('handle-summary');
    const byExpr = Object.fromEntries(h.thresholds.map((t) => [`${t.metric} ${t.expression}`, t.ok]));
    expect(byExpr).toEqual({ 'http_req_duration p(50)<10': true, 'http_req_duration p(99)<20': true, 'http_req_failed rate<0.01': false });
    expect(h.metrics.http_req_failed.stats).toMatchObject({ nonZero: 6, zero: 115, count: 121 });
    expect(h.summaryTrendStats).toEqual(['avg', 'min', 'med', 'max', 'p(90)', 'p(95)']);
    expect(h.durationSeconds).toBeCloseTo(3.00469584, 6);
    expect(h.checks).toEqual([]);
  });
});

describe('NDJSON points', () => {
  it('streams the gzipped file and reproduces k6\'s own summary numbers', async () => {
    for (const name of ['pass', 'fail']) {
      const points = await readK6Points(fixture(`${name}-points.jsonl.gz`), { percentiles: [90, 95, 99] });
      const summary = await readK6Summary(fixture(`${name}-summary-export.json`));
      // k6 computed these from the same samples: equal stats prove the same percentile method.
      for (const key of ['http_req_duration', 'http_req_waiting', 'iteration_duration']) {
        for (const stat of ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)']) {
          expect(points.metrics[key].stats[stat], `${name} ${key} ${stat}`).toBeCloseTo(summary.metrics[key].stats[stat], 9);
        }
      }
      expect(points.metrics.http_req_failed.stats).toMatchObject({
        nonZero: summary.metrics.http_req_failed.stats.nonZero,
        zero: summary.metrics.http_req_failed.stats.zero,
      });
      expect(points.metrics.http_reqs.stats.count).toBe(251);
      expect(points.checks).toEqual(summary.checks);
    }
  });

  it('computes declared sub-metrics and p(99) the summary lacks', async () => {
    const fail = await readK6Points(fixture('fail-points.jsonl.gz'), { percentiles: [99] });
    const summary = await readK6Summary(fixture('fail-summary-export.json'));
    const sub = fail.metrics['http_req_duration{expected_response:true}'];
    expect(sub.stats.count).toBe(238); // the 13 failed requests are not expected responses
    expect(sub.stats['p(95)']).toBeCloseTo(summary.metrics['http_req_duration{expected_response:true}'].stats['p(95)'], 9);
    const p99 = fail.metrics.http_req_duration.stats['p(99)'];
    expect(p99).toBeGreaterThanOrEqual(summary.metrics.http_req_duration.stats['p(95)']);
    expect(p99).toBeLessThanOrEqual(summary.metrics.http_req_duration.stats.max);
  });

  it('reads the threshold declarations (without verdicts) from Metric records', async () => {
    const fail = await readK6Points(fixture('fail-points.jsonl.gz'));
    expect(fail.thresholds.map((t) => `${t.metric} ${t.expression}`).sort()).toEqual(['http_req_duration p(99)<20', 'http_req_failed rate<0.01']);
    expect(fail.thresholds.every((t) => t.ok === undefined)).toBe(true);
  });

  it('reads plain (not gzipped) NDJSON the same way', async () => {
    const dir = tmp();
    const plain = join(dir, 'points.jsonl');
    await pipeline(createReadStream(fixture('pass-points.jsonl.gz')), createGunzip(), createWriteStream(plain));
    const a = await readK6Points(plain);
    const b = await readK6Points(fixture('pass-points.jsonl.gz'));
    expect(a.metrics).toEqual(b.metrics);
  });

  it('filters ad-hoc selectors by tag and passes metadata through', async () => {
    const pass = await readK6Points(fixture('pass-points.jsonl.gz'), { selectors: [parseMetricKey('http_reqs{status:200}')!, parseMetricKey('http_reqs{status:503}')!] });
    expect(pass.metrics['http_reqs{status:200}'].stats.count).toBe(251);
    expect(pass.metrics['http_reqs{status:503}'].stats.count).toBe(0);
    let metrics = 0;
    let points = 0;
    await forEachK6Record(fixture('fail-points.jsonl.gz'), { onMetric: () => void metrics++, onPoint: () => void points++ });
    expect(metrics).toBe(16);
    expect(points).toBeGreaterThan(251 * 10);
  });

  it('rejects damaged files with exit code 2 and the line', async () => {
    const dir = tmp();
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"type":"Metric","data":{"name":"x","type":"trend"},"metric":"x"}\n{"type":"Point","metric":"x","data":{"time":"2026-1');
    await expect(readK6Points(bad)).rejects.toMatchObject({ exitCode: 2, problems: [{ path: 'line 2' }] });
    const truncated = join(dir, 'truncated.jsonl.gz');
    const { readFileSync } = await import('node:fs');
    const gz = readFileSync(fixture('pass-points.jsonl.gz'));
    writeFileSync(truncated, gz.subarray(0, gz.length / 2));
    await expect(readK6Points(truncated)).rejects.toBeInstanceOf(SolidaError);
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    await expect(readK6Points(empty)).rejects.toMatchObject({ exitCode: 2 });
    await expect(readK6Points(join(dir, 'missing.jsonl'))).rejects.toMatchObject({ exitCode: 2 });
  });
});

describe('bad summaries', () => {
  it('says what is wrong, with exit code 2', () => {
    expect(() => parseK6Summary({ foo: 1 }, 'x.json')).toThrow(/not a k6 summary/);
    expect(() => parseK6Summary([], 'x.json')).toThrow(SolidaError);
    try {
      parseK6Summary({ metrics: { http_req_failed: { passes: 'many', fails: 1, value: 0 } } }, 'x.json');
      expect.unreachable();
    } catch (e) {
      expect((e as SolidaError).exitCode).toBe(2);
      expect((e as SolidaError).problems[0]).toMatchObject({ file: 'x.json', path: 'metrics.http_req_failed.passes' });
    }
    expect(() => parseK6Summary({ metrics: { checks: { passes: 1, fails: 0, value: 1, thresholds: { 'rate>0.9': 'no' } } } })).toThrow(SolidaError);
  });
});

describe('k6 semantics, hand-computed', () => {
  it('percentiles interpolate between closest ranks like k6', () => {
    expect(k6Percentile([1, 2, 3, 4], 0.5)).toBe(2.5); // i = 1.5
    expect(k6Percentile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12); // i = 2.7
    expect(k6Percentile([10], 0.99)).toBe(10);
    expect(k6Percentile([], 0.99)).toBe(0);
  });

  it('parses metric keys and threshold expressions as k6 does', () => {
    expect(parseMetricKey('http_req_duration{name:http://x/y, scenario: "steady"}')).toEqual({ name: 'http_req_duration', tags: { name: 'http://x/y', scenario: 'steady' } });
    expect(parseThresholdExpr('p(99.9) <= 250')).toMatchObject({ stat: 'p(99.9)', percentile: 99.9, op: '<=', bound: 250 });
    expect(parseThresholdExpr('med<10')).toMatchObject({ stat: 'med', percentile: 50 });
    expect(parseThresholdExpr('rate<0.001')).toMatchObject({ stat: 'rate', op: '<', bound: 0.001 });
    expect(parseThresholdExpr('p99<10')).toBeUndefined();
    expect(parseThresholdExpr('rate ~ 1')).toBeUndefined();
  });

  it('settles a threshold from a bracketing range only when the whole range agrees', () => {
    expect(decideFromRange(3, 13, '<', 500)).toBe(true);
    expect(decideFromRange(3, 13, '<', 2)).toBe(false);
    expect(decideFromRange(3, 13, '<', 10)).toBeUndefined();
    expect(decideFromRange(3, 13, '>', 2)).toBe(true);
    expect(decideFromRange(3, 13, '==', 20)).toBe(false);
  });
});
