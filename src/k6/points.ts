// k6's NDJSON output (`--out json=FILE`, gzipped when the name ends in .gz): `Metric` records declaring
// each metric (type, thresholds, sub-metrics) and `Point` records with one sample and its tags.
// Streamed line by line: a long test's output is gigabytes, and only the numbers of the tracked
// selectors are kept.
import { impossiblePoint } from './sanity.ts';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { SolidaError } from '../util/errors.ts';
import { SampleAggregator } from './sinks.ts';
import { parseMetricKey, type MetricSelector } from './selector.ts';
import type { K6Check, K6MetricType, K6ReportedThreshold, K6Result } from './types.ts';
import { PointLineParser } from './point-line.ts';

export interface K6MetricRecord {
  name: string;
  type: K6MetricType;
  contains?: string;
  thresholds: string[];
  /** Sub-metric keys, e.g. http_req_duration{scenario:steady}. */
  submetrics: string[];
}

export interface K6Point {
  metric: string;
  /** Epoch milliseconds. */
  time: number;
  value: number;
  tags: Record<string, string>;
  /** High-cardinality data k6 attaches without indexing (exec.vu.metrics.metadata), e.g. a write's sequence id. */
  metadata?: Record<string, string>;
}

export interface K6PointVisitor {
  onMetric?(m: K6MetricRecord): void;
  onPoint?(p: K6Point): void;
}

const TYPES = new Set(['counter', 'gauge', 'rate', 'trend']);

async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

function badInput(file: string, message: string, line?: number): SolidaError {
  return new SolidaError(`cannot read k6 points ${file}`, 2, [
    { file, path: line ? `line ${line}` : undefined, message, fix: 'pass the file k6 wrote with --out json=FILE (plain or .gz)' },
  ]);
}

/** Visit every record of a k6 NDJSON file in order, gzipped or not (told apart by content, not name). */
export async function forEachK6Record(file: string, visitor: K6PointVisitor): Promise<void> {
  let gz: boolean;
  try {
    gz = await isGzip(file);
  } catch (err) {
    throw badInput(file, `the file is missing or unreadable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const raw = createReadStream(file);
  const stream: Readable = gz ? raw.pipe(createGunzip()) : raw;
  // pipe() does not forward errors; surface the read side's too.
  const failure = new Promise<never>((_, reject) => {
    raw.on('error', reject);
    stream.on('error', reject);
  });
  failure.catch(() => undefined);
  // Lines are split by hand from decoded chunks: readline costs more than the parsing itself.
  stream.setEncoding('utf8');
  const fast = new PointLineParser();
  let n = 0;
  let carry = '';
  const visit = (line: string) => {
    n++;
    if (line.length === 0 || line.trim() === '') return;
    visitLine(line, n, file, visitor, fast);
  };
  try {
    const consume = (async () => {
      for await (const chunk of stream as AsyncIterable<string>) {
        let start = 0;
        let nl = chunk.indexOf('\n');
        if (nl >= 0 && carry !== '') {
          visit(stripCr(carry + chunk.slice(0, nl)));
          carry = '';
          start = nl + 1;
          nl = chunk.indexOf('\n', start);
        }
        while (nl >= 0) {
          visit(stripCr(chunk.slice(start, nl)));
          start = nl + 1;
          nl = chunk.indexOf('\n', start);
        }
        carry += chunk.slice(start);
      }
      if (carry !== '') visit(stripCr(carry));
    })();
    consume.catch(() => undefined); // the race below reports it; avoid a second, unhandled report
    await Promise.race([consume, failure]);
  } catch (err) {
    if (err instanceof SolidaError) throw err;
    throw badInput(file, `${gz ? 'gzip stream' : 'file'} is damaged: ${(err as Error).message}`, n || undefined);
  } finally {
    raw.destroy();
  }
  if (n === 0) throw badInput(file, 'the file is empty');
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/**
 * One NDJSON line (for a caller tailing a file k6 is still writing). `fast` reads k6's usual Point
 * lines without a full JSON.parse; any other line takes the general path below.
 */
export function visitLine(line: string, n: number, file: string, visitor: K6PointVisitor, fast?: PointLineParser): void {
  if (fast && visitor.onPoint) {
    const p = fast.parse(line);
    if (p) {
      visitor.onPoint(p);
      return;
    }
  }
  let rec: unknown;
  try {
    rec = JSON.parse(line);
  } catch {
    throw badInput(file, 'not a JSON line (truncated or not k6 NDJSON output)', n);
  }
  const r = rec as { type?: unknown; metric?: unknown; data?: Record<string, unknown> };
  if (typeof r.metric !== 'string' || typeof r.data !== 'object' || r.data === null) {
    throw badInput(file, 'expected {"type": "Metric"|"Point", "metric": ..., "data": {...}}', n);
  }
  const d = r.data;
  if (r.type === 'Metric') {
    if (typeof d.type !== 'string' || !TYPES.has(d.type)) throw badInput(file, `unknown metric type ${JSON.stringify(d.type)}`, n);
    const subs = Array.isArray(d.submetrics) ? d.submetrics : [];
    visitor.onMetric?.({
      name: r.metric,
      type: d.type as K6MetricType,
      contains: typeof d.contains === 'string' ? d.contains : undefined,
      thresholds: Array.isArray(d.thresholds) ? d.thresholds.filter((t): t is string => typeof t === 'string') : [],
      submetrics: subs.map((s) => (s && typeof s === 'object' && typeof (s as { name?: unknown }).name === 'string' ? (s as { name: string }).name : '')).filter(Boolean),
    });
  } else if (r.type === 'Point') {
    const time = typeof d.time === 'string' ? Date.parse(d.time) : NaN;
    if (typeof d.value !== 'number' || Number.isNaN(time)) throw badInput(file, 'a Point needs a numeric value and an ISO time', n);
    visitor.onPoint?.({
      metric: r.metric,
      time,
      value: d.value,
      tags: (d.tags as Record<string, string> | null) ?? {},
      metadata: (d.metadata as Record<string, string> | undefined) ?? undefined,
    });
  }
  // Other record types (future k6 versions) are skipped on purpose.
}

export interface ReadPointsOptions {
  /** Sub-metrics to compute besides the base metrics and the ones the file declares. */
  selectors?: MetricSelector[];
  /** Percentiles to compute for every trend (0..100), besides p(90), p(95) and p(99). */
  percentiles?: number[];
}

export async function readK6Points(file: string, opts: ReadPointsOptions = {}): Promise<K6Result> {
  const agg = new SampleAggregator(opts.selectors ?? [], opts.percentiles);
  const thresholds: K6ReportedThreshold[] = [];
  const checks = new Map<string, K6Check>();
  // Declared types and units, to refuse samples no k6 run can produce (src/k6/sanity.ts).
  const declared = new Map<string, { type: string; contains?: string }>();
  let line = 0;
  await forEachK6Record(file, {
    onMetric(m) {
      declared.set(m.name, { type: m.type, contains: m.contains });
      agg.declare(m.name, m.type);
      for (const s of m.submetrics) {
        const sel = parseMetricKey(s);
        if (sel) agg.track(sel);
      }
      // The NDJSON declares thresholds but never their verdict.
      for (const t of m.thresholds) thresholds.push({ metric: m.name, expression: t });
    },
    onPoint(p) {
      line++;
      const d = declared.get(p.metric);
      const impossible = impossiblePoint(p.metric, d?.type, p.value, d?.contains);
      if (impossible) throw badInput(file, `${p.metric} point #${line}: ${impossible}`);
      agg.add(p.metric, p.value, p.tags, p.time);
      if (p.metric === 'checks' && p.tags.check !== undefined) {
        const path = `${p.tags.group ?? ''}::${p.tags.check}`;
        const c = checks.get(path) ?? { name: p.tags.check, path, passes: 0, fails: 0 };
        if (p.value !== 0) c.passes++;
        else c.fails++;
        checks.set(path, c);
      }
    },
  });
  return {
    source: { kind: 'points', file },
    metrics: agg.metrics(),
    thresholds,
    checks: [...checks.values()],
    durationSeconds: agg.spanSeconds(),
  };
}
