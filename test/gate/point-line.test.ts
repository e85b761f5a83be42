// The fast Point-line reader must agree with JSON.parse on every line it accepts, and hand every other
// line to the general path (which keeps its errors), so speed never changes a verdict.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PointLineParser } from '../../src/k6/point-line.ts';
import { forEachK6Record, type K6Point } from '../../src/k6/points.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const FIXTURES = join(import.meta.dirname, '../fixtures/k6');

function slow(line: string): K6Point {
  const r = JSON.parse(line);
  return { metric: r.metric, time: Date.parse(r.data.time), value: r.data.value, tags: r.data.tags ?? {} };
}

describe('PointLineParser', () => {
  it('reads every Point line of real k6 output exactly as JSON.parse + Date.parse do', () => {
    const parser = new PointLineParser();
    let fast = 0;
    for (const name of ['pass-points.jsonl.gz', 'fail-points.jsonl.gz']) {
      const lines = gunzipSync(readFileSync(join(FIXTURES, name))).toString('utf8').split('\n').filter((l) => l.includes('"type":"Point"'));
      expect(lines.length).toBeGreaterThan(100);
      for (const line of lines) {
        const p = parser.parse(line);
        expect(p, line).toBeDefined();
        expect(p).toEqual(slow(line));
        fast++;
      }
    }
    expect(fast).toBeGreaterThan(1000);
  });

  it.each([
    ['metadata after tags', '{"metric":"w","type":"Point","data":{"time":"2026-01-01T00:00:00.5Z","value":1,"tags":{"a":"b"},"metadata":{"seq":"7"}}}'],
    ['other key order', '{"type":"Point","metric":"w","data":{"time":"2026-01-01T00:00:00Z","value":1,"tags":{}}}'],
    ['escaped metric name', '{"metric":"w\\"x","type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":1,"tags":{}}}'],
    ['truncated line', '{"metric":"w","type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":1,"tags":{"a":"b"'],
    ['not a JSON number', '{"metric":"w","type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":01,"tags":{}}}'],
    ['NaN value', '{"metric":"w","type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":NaN,"tags":{}}}'],
    ['time without zone', '{"metric":"w","type":"Point","data":{"time":"2026-01-01T00:00:00","value":1,"tags":{}}}'],
    ['tags a list', '{"metric":"w","type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":1,"tags":["a"]}}'],
  ])('leaves a line with %s to the general path', (_what, line) => {
    expect(new PointLineParser().parse(line)).toBeUndefined();
  });

  it('keeps offsets, fractions and null tags as the general path reads them', () => {
    const parser = new PointLineParser();
    for (const line of [
      '{"metric":"w","type":"Point","data":{"time":"2026-01-01T02:00:00.123456789+02:00","value":-1.5e3,"tags":null}}',
      '{"metric":"w","type":"Point","data":{"time":"2026-01-01T00:00:00.1Z","value":0,"tags":{"u":"\\u00e9"}}}',
      '{"metric":"w","type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":2,"tags":{}}}',
    ]) {
      expect(parser.parse(line)).toEqual(slow(line));
    }
  });
});

describe('forEachK6Record line splitting', () => {
  it('reads CRLF files, a last line without a newline, and lines split across read chunks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'solida-k6-lines-'));
    const file = join(dir, 'points.jsonl');
    const tags = { name: 'x'.repeat(40_000) }; // longer than a 64 KiB read chunk after a few lines
    const lines = [
      '{"type":"Metric","data":{"name":"w","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"w"}',
      ...Array.from({ length: 5 }, (_, i) => JSON.stringify({ metric: 'w', type: 'Point', data: { time: `2026-01-01T00:00:0${i}Z`, value: i, tags } })),
    ];
    writeFileSync(file, lines.join('\r\n'));
    const seen: number[] = [];
    await forEachK6Record(file, { onPoint: (p) => void seen.push(p.value) });
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });
});
