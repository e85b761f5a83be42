// The k6 NDJSON reader's fast parts against its plain ones on the same files: the fast Point path
// against JSON.parse, gzipped against plain, and the hand-made line splitter against String.split at
// every kind of chunk boundary. Speed must never change what is read.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { forEachK6Record, readK6Points, type ReadRecordsOptions } from '../../src/k6/points.ts';
import { LineSplitter } from '../../src/k6/ndjson-lines.ts';
import { PointLineParser } from '../../src/k6/point-line.ts';
import { SolidaError } from '../../src/util/errors.ts';
import { fixture, tmp } from './helpers.ts';

const HOSTILE_POINTS = join(import.meta.dirname, '../hostile/k6/negative-latency.points.ndjson');
const GZ_FIXTURES = ['pass-points.jsonl.gz', 'fail-points.jsonl.gz'];
const plainText = (name: string) => gunzipSync(readFileSync(fixture(name))).toString('utf8');

/** Every record with the line it came from, in order. */
async function records(file: string, opts: ReadRecordsOptions = {}): Promise<unknown[]> {
  const out: unknown[] = [];
  await forEachK6Record(file, { onMetric: (m) => void out.push({ m }), onPoint: (p, line) => void out.push({ p, line }) }, opts);
  return out;
}

async function failure(p: Promise<unknown>): Promise<SolidaError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SolidaError);
    return err as SolidaError;
  }
  throw new Error('expected the read to fail');
}

/** The same points as a bigger file: the fixture's lines repeated, so a file spans many read chunks. */
function bigText(times: number): string {
  const lines = plainText('pass-points.jsonl.gz').trimEnd().split('\n');
  const metrics = lines.filter((l) => l.includes('"type":"Metric"'));
  const points = lines.filter((l) => !l.includes('"type":"Metric"'));
  const out = [...metrics];
  for (let i = 0; i < times; i++) out.push(...points);
  return `${out.join('\n')}\n`;
}

describe('fast paths read exactly what the plain paths read', () => {
  it('every fixture: fast Point path = JSON.parse path, gzipped = plain, line numbers included', async () => {
    const dir = tmp();
    const files: string[] = [HOSTILE_POINTS];
    for (const name of GZ_FIXTURES) {
      files.push(fixture(name));
      const plain = join(dir, name.replace(/\.gz$/, ''));
      writeFileSync(plain, plainText(name));
      files.push(plain);
    }
    for (const file of files) {
      const slow = await records(file, { fastPath: false });
      expect(slow.length, file).toBeGreaterThan(2);
      expect(await records(file), file).toEqual(slow);
    }
    for (const name of GZ_FIXTURES) expect(await records(join(dir, name.replace(/\.gz$/, '')))).toEqual(await records(fixture(name)));
    // The fast path really is taken on real k6 output (else the comparison above proves nothing).
    const parser = new PointLineParser();
    const pointLines = plainText('fail-points.jsonl.gz')
      .split('\n')
      .filter((l) => l.includes('"type":"Point"'));
    expect(pointLines.filter((l) => parser.parse(l) !== undefined).length).toBe(pointLines.length);
  });

  it('readK6Points gives the same result through every path', async () => {
    const dir = tmp();
    for (const name of GZ_FIXTURES) {
      const plain = join(dir, name.replace(/\.gz$/, ''));
      writeFileSync(plain, plainText(name));
      const opts = { percentiles: [50, 99.9] };
      const reference = await readK6Points(fixture(name), { ...opts, fastPath: false });
      const strip = (r: { source: unknown }) => ({ ...r, source: undefined });
      for (const variant of [readK6Points(fixture(name), opts), readK6Points(plain, opts), readK6Points(plain, { ...opts, fastPath: false })]) {
        expect(strip(await variant)).toEqual(strip(reference));
      }
    }
  });
});

describe('LineSplitter', () => {
  // Multi-byte characters (2, 3 and 4 bytes in UTF-8), CRLF, blank and whitespace-only lines, a line
  // longer than the decode window, and no line break at the end.
  const text = [
    plainText('pass-points.jsonl.gz').trimEnd(),
    '{"metric":"w","type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":1,"tags":{"name":"é€😀"}}}\r',
    '',
    '  \t',
    `{"metric":"w","type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":2,"tags":{"long":"${'ü'.repeat(70_000)}"}}}`,
    '{"metric":"w","type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":3,"tags":{"end":"€"}}}',
  ].join('\n');
  const bytes = Buffer.from(text, 'utf8');
  const expected = text
    .split('\n')
    .map((l, i) => [i + 1, l.endsWith('\r') ? l.slice(0, -1) : l] as const)
    .filter(([, l]) => l.trim() !== '');

  function split(chunkSizes: (i: number) => number): (readonly [number, string])[] {
    const seen: (readonly [number, string])[] = [];
    const splitter = new LineSplitter((s, start, end, n) => void seen.push([n, s.slice(start, end)]));
    for (let at = 0, i = 0; at < bytes.length; i++) {
      const size = chunkSizes(i);
      splitter.push(bytes.subarray(at, at + size));
      at += size;
    }
    splitter.end();
    expect(splitter.lines).toBe(text.split('\n').length);
    return seen;
  }

  it.each([1, 2, 3, 5, 64, 4095, 65_535, 65_536, 65_537, 300_000, 10_000_000])('gives every line whole with chunks of %i bytes', (size) => {
    expect(split(() => size)).toEqual(expected);
  });

  it('gives every line whole with chunks of random sizes', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 5; round++) expect(split(() => 1 + Math.floor(random() * 3000))).toEqual(expected);
  });

  it('hands on a reused chunk buffer safely (it copies what it keeps)', () => {
    const seen: string[] = [];
    const splitter = new LineSplitter((s, start, end) => void seen.push(s.slice(start, end)));
    const buf = Buffer.alloc(4);
    for (const part of ['ab', 'c\nd', 'e\n', 'fg']) {
      buf.fill(0);
      buf.write(part);
      splitter.push(buf.subarray(0, part.length));
    }
    splitter.end();
    expect(seen).toEqual(['abc', 'de', 'fg']);
  });
});

describe('whole files through every source', () => {
  it('CRLF, a last line without a line break, gzipped or not', async () => {
    const dir = tmp();
    const lines = plainText('pass-points.jsonl.gz').trimEnd().split('\n');
    const plain = join(dir, 'crlf.jsonl');
    writeFileSync(plain, lines.join('\r\n'));
    const gz = join(dir, 'crlf.jsonl.gz');
    writeFileSync(gz, gzipSync(lines.join('\r\n')));
    const reference = await records(fixture('pass-points.jsonl.gz'), { fastPath: false });
    expect(await records(plain)).toEqual(reference);
    expect(await records(gz)).toEqual(reference);
  });

  it('a malformed line deep in a big file is reported with file and line, on every path', async () => {
    const dir = tmp();
    const good = bigText(20).split('\n');
    const lineNo = 60_001; // well past the first read chunks
    expect(good.length).toBeGreaterThan(lineNo + 10);
    good[lineNo - 1] = good[lineNo - 1].slice(0, 80); // k6 killed mid-write
    const plain = join(dir, 'bad.jsonl');
    writeFileSync(plain, good.join('\n'));
    const gz = join(dir, 'bad.jsonl.gz');
    writeFileSync(gz, gzipSync(good.join('\n')));
    for (const [file, opts] of [
      [plain, {}],
      [plain, { fastPath: false }],
      [gz, {}],
      [gz, { fastPath: false }],
    ] as const) {
      const err = await failure(readK6Points(file, opts));
      expect(err.exitCode).toBe(2);
      expect(err.problems).toMatchObject([{ file, path: `line ${lineNo}`, message: expect.stringMatching(/not a JSON line/) }]);
    }
  });

  it('an impossible value on the fast path names its line', async () => {
    const dir = tmp();
    const file = join(dir, 'negative.jsonl');
    const lines = plainText('pass-points.jsonl.gz').trimEnd().split('\n');
    const at = lines.findIndex((l) => l.startsWith('{"metric":"http_req_duration","type":"Point"'));
    lines[at] = lines[at].replace(/"value":[^,]+/, '"value":-3');
    expect(new PointLineParser().parse(lines[at])?.value).toBe(-3);
    writeFileSync(file, lines.join('\n'));
    const err = await failure(readK6Points(file));
    expect(err.problems).toMatchObject([{ path: `line ${at + 1}`, message: expect.stringMatching(/value -3: http_req_duration is a time and never negative/) }]);
  });

  it('impossible values are refused with their line on both paths; the boundaries are not', async () => {
    const dir = tmp();
    const metric = (name: string, type: string, contains = 'default') =>
      JSON.stringify({ type: 'Metric', data: { name, type, contains, thresholds: [], submetrics: null }, metric: name });
    const declarations = [
      metric('http_req_duration', 'trend', 'time'),
      metric('http_req_failed', 'rate'),
      metric('http_reqs', 'counter'),
      metric('custom_delta', 'trend'),
      metric('vus', 'gauge'),
    ];
    // k6's own key order (fast path) and with metadata after the tags (general path).
    const point = (name: string, value: string, fast: boolean) =>
      `{"metric":"${name}","type":"Point","data":{"time":"2026-01-01T00:00:00.5Z","value":${value},"tags":{"a":"b"}${fast ? '' : ',"metadata":{"s":"1"}'}}}`;
    const refused: [string, string, RegExp][] = [
      ['http_req_duration', '-0.001', /value -0.001: http_req_duration is a time and never negative/],
      ['http_req_failed', '1.5', /value 1.5: a rate sample is 0 or 1/],
      ['http_req_failed', '-1', /value -1: a rate sample is 0 or 1/],
      ['http_reqs', '-2', /value -2: a counter never decreases/],
      ['custom_delta', '1e400', /value Infinity is not a finite number/],
    ];
    for (const fast of [true, false]) {
      for (const [name, value, message] of refused) {
        const file = join(dir, `refused-${fast}-${name}-${value}.jsonl`);
        writeFileSync(file, [...declarations, point('vus', '1', fast), point(name, value, fast)].join('\n'));
        const err = await failure(readK6Points(file));
        expect(err.exitCode).toBe(2);
        expect(err.problems, `${name} ${value}`).toMatchObject([{ file, path: `line ${declarations.length + 2}`, message: expect.stringMatching(message) }]);
      }
      const ok = join(dir, `boundaries-${fast}.jsonl`);
      const values: [string, string][] = [
        ['http_req_duration', '0'],
        ['http_req_failed', '0'],
        ['http_req_failed', '1'],
        ['http_reqs', '0'],
        ['custom_delta', '-5'],
        ['vus', '-1'],
      ];
      writeFileSync(ok, [...declarations, ...values.map(([n, v]) => point(n, v, fast))].join('\n'));
      const result = await readK6Points(ok);
      expect(result.metrics.custom_delta.stats.min).toBe(-5);
      expect(result.metrics.http_req_failed.stats).toMatchObject({ nonZero: 1, zero: 1 });
    }
  });

  it('a damaged gzip stream is damage, never a shorter file', async () => {
    const dir = tmp();
    const gz = gzipSync(bigText(4));
    const truncated = join(dir, 'truncated.jsonl.gz');
    writeFileSync(truncated, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const garbage = join(dir, 'garbage.jsonl.gz');
    writeFileSync(garbage, Buffer.concat([gz, Buffer.from('garbage after the gzip member\n')]));
    const cut = await failure(readK6Points(truncated));
    expect(cut.problems[0].message).toMatch(/^gzip stream is damaged: unexpected end of file/);
    expect(cut.problems[0].file).toBe(truncated);
    const trailing = await failure(readK6Points(garbage));
    expect(trailing.problems[0].message).toMatch(/^gzip stream is damaged: /);
  });
});
