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

  it('agrees with JSON.parse + Date.parse on edge values and times, or leaves the line to them', () => {
    const line = (time: string, value: string, tags = '{"a":"b"}') => `{"metric":"w","type":"Point","data":{"time":"${time}","value":${value},"tags":${tags}}}`;
    const values = ['0', '-0', '1', '-1', '0.1', '0.30000000000000004', '2.346274', '123456789012345', '1234567890123456789', '0.000000000000000000000001', '1.7976931348623157e308', '5e-324', '1E3', '-2.5e-7', '9007199254740993', '0.1234567890123456789', '1e400', '100', '1.0'];
    const times = ['2026-01-01T00:00:00Z', '2026-01-01T23:59:59.999999999Z', '2026-11-22T17:45:51.04690337Z', '2026-01-01T00:00:00.5Z', '2026-01-01T00:00:00.05Z', '2026-01-01T02:00:00.123+02:00', '2026-01-01T00:00:00-05:30', '2026-02-30T00:00:00Z', '2024-02-29T12:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T23:59:60Z', '2026-13-01T00:00:00Z', '2026-01-01T00:00:00+24:00', '1970-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '2026-01-01T00:00:00.1234567891Z'];
    const parser = new PointLineParser();
    let taken = 0;
    for (const time of times) {
      for (const value of values) {
        const l = line(time, value);
        const p = parser.parse(l);
        if (Number.isNaN(Date.parse(time))) {
          expect(p, l).toBeUndefined(); // the general path refuses it: so must the fast one
          continue;
        }
        if (p === undefined) continue; // left to the general path: allowed, never wrong
        taken++;
        expect(p, l).toEqual(slow(l));
        expect(Object.is(p.value, JSON.parse(l).data.value), l).toBe(true); // -0 stays -0
      }
    }
    expect(taken).toBeGreaterThan(150);
  });

  it('never accepts what JSON.parse refuses, nor reads anything differently (random damage to real lines)', () => {
    const lines = gunzipSync(readFileSync(join(FIXTURES, 'fail-points.jsonl.gz'))).toString('utf8').split('\n').filter((l) => l.includes('"type":"Point"'));
    let seed = 42;
    const random = (n: number) => Math.floor(((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * n);
    const alphabet = '{}[]",:.-+eE0123456789 \\tTZnull\u00e9\n\r';
    const parser = new PointLineParser();
    let refused = 0;
    let accepted = 0;
    for (let i = 0; i < 30_000; i++) {
      let l = lines[random(lines.length)];
      for (let k = 1 + random(2); k > 0; k--) {
        const at = random(l.length);
        const op = random(3);
        const ch = alphabet[random(alphabet.length)];
        l = op === 0 ? l.slice(0, at) + l.slice(at + 1) : op === 1 ? l.slice(0, at) + ch + l.slice(at) : l.slice(0, at) + ch + l.slice(at + 1);
      }
      const p = parser.parse(l);
      let reference: K6Point | undefined;
      try {
        const r = JSON.parse(l);
        if (r.type === 'Point' && typeof r.data?.value === 'number' && typeof r.data?.time === 'string' && !Number.isNaN(Date.parse(r.data.time))) reference = slow(l);
      } catch {
        reference = undefined;
      }
      if (p === undefined) {
        refused++;
        continue;
      }
      accepted++;
      expect(reference, l).toBeDefined();
      expect(p, l).toEqual(reference);
    }
    // Both outcomes happen often, so both were tested.
    expect(refused).toBeGreaterThan(3000);
    expect(accepted).toBeGreaterThan(3000);
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
