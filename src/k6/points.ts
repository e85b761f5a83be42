// k6's NDJSON output (`--out json=FILE`, gzipped when the name ends in .gz): `Metric` records declaring
// each metric (type, thresholds, sub-metrics) and `Point` records with one sample and its tags.
// Streamed line by line: a long test's output is gigabytes, and only the numbers of the tracked
// selectors are kept.
import { pointCheck } from './sanity.ts';
import { SolidaError } from '../util/errors.ts';
import { SampleAggregator } from './sinks.ts';
import { parseMetricKey, type MetricSelector } from './selector.ts';
import type { K6Check, K6MetricType, K6ReportedThreshold, K6Result } from './types.ts';
import { PointLineParser } from './point-line.ts';
import { LineSplitter } from './ndjson-lines.ts';
import { fileChunks, isGzipFile } from './ndjson-source.ts';

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
  /** lineNo: the point's line in the file, for errors. */
  onPoint?(p: K6Point, lineNo: number): void;
}

const TYPES = new Set(['counter', 'gauge', 'rate', 'trend']);

function badInput(file: string, message: string, line?: number): SolidaError {
  return new SolidaError(`cannot read k6 points ${file}`, 2, [
    { file, path: line ? `line ${line}` : undefined, message, fix: 'pass the file k6 wrote with --out json=FILE (plain or .gz)' },
  ]);
}

export interface ReadRecordsOptions {
  /** false: every line through JSON.parse (the general path), to check the fast path against it. */
  fastPath?: boolean;
}

/** Visit every record of a k6 NDJSON file in order, gzipped or not (told apart by content, not name). */
export async function forEachK6Record(file: string, visitor: K6PointVisitor, opts: ReadRecordsOptions = {}): Promise<void> {
  let gz: boolean;
  try {
    gz = await isGzipFile(file);
  } catch (err) {
    throw badInput(file, `the file is missing or unreadable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const fast = opts.fastPath === false || !visitor.onPoint ? undefined : new PointLineParser();
  const splitter = new LineSplitter((text, start, end, n) => {
    const p = fast?.parseAt(text, start, end);
    if (p) visitor.onPoint!(p, n);
    else visitLine(text.slice(start, end), n, file, visitor);
  });
  const chunks = fileChunks(file, gz);
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await chunks.next();
      } catch (err) {
        // Only the source's errors are damage; a visitor's own errors pass through as they are.
        throw badInput(file, `${gz ? 'gzip stream' : 'file'} is damaged: ${(err as Error).message}`, splitter.lines || undefined);
      }
      if (next.done) break;
      splitter.push(next.value);
    }
  } finally {
    await chunks.return(undefined); // closes the file when a line was refused
  }
  // Only after the source ended cleanly: a cut-off last line of a damaged stream is reported as damage.
  splitter.end();
  if (splitter.lines === 0) throw badInput(file, 'the file is empty');
}

/**
 * One NDJSON line (for a caller tailing a file k6 is still writing). `fast` reads k6's usual Point
 * lines without a full JSON.parse; any other line takes the general path below.
 */
export function visitLine(line: string, n: number, file: string, visitor: K6PointVisitor, fast?: PointLineParser): void {
  if (fast && visitor.onPoint) {
    const p = fast.parse(line);
    if (p) {
      visitor.onPoint(p, n);
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
    visitor.onPoint?.(
      {
        metric: r.metric,
        time,
        value: d.value,
        tags: (d.tags as Record<string, string> | null) ?? {},
        metadata: (d.metadata as Record<string, string> | undefined) ?? undefined,
      },
      n,
    );
  }
  // Other record types (future k6 versions) are skipped on purpose.
}

export interface ReadPointsOptions {
  /** Sub-metrics to compute besides the base metrics and the ones the file declares. */
  selectors?: MetricSelector[];
  /** Percentiles to compute for every trend (0..100), besides p(90), p(95) and p(99). */
  percentiles?: number[];
  /** false: no fast Point path (see ReadRecordsOptions). */
  fastPath?: boolean;
}

export async function readK6Points(file: string, opts: ReadPointsOptions = {}): Promise<K6Result> {
  const agg = new SampleAggregator(opts.selectors ?? [], opts.percentiles);
  const thresholds: K6ReportedThreshold[] = [];
  const checks = new Map<string, K6Check>();
  const declaredSubmetrics = new Set<string>();
  // Declared types and units, to refuse samples no k6 run can produce (src/k6/sanity.ts).
  const declared = new Map<string, { type: string; contains?: string }>();
  // Per metric, what every point of it needs, found once: its sanity check and its sinks. Consecutive
  // points are usually of one request, not one metric, so a map (keyed by the parser's shared name
  // strings, hashed once) rather than only the last one.
  const perMetric = new Map<string, { check: (value: number) => string | null; add: ReturnType<SampleAggregator['adder']> }>();
  let count = 0;
  const visitor: K6PointVisitor = {
    onMetric(m) {
      perMetric.clear(); // a declaration changes what the metric's points are checked against
      declared.set(m.name, { type: m.type, contains: m.contains });
      agg.declare(m.name, m.type);
      for (const s of m.submetrics) {
        declaredSubmetrics.add(s);
        const sel = parseMetricKey(s);
        if (sel) agg.track(sel);
      }
      // The NDJSON declares thresholds but never their verdict.
      for (const t of m.thresholds) thresholds.push({ metric: m.name, expression: t });
    },
    onPoint(p, lineNo) {
      count++;
      let m = perMetric.get(p.metric);
      if (m === undefined) {
        const d = declared.get(p.metric);
        m = { check: pointCheck(p.metric, d?.type, d?.contains), add: agg.adder(p.metric) };
        perMetric.set(p.metric, m);
      }
      const impossible = m.check(p.value);
      if (impossible) throw badInput(file, `${p.metric} point #${count}: ${impossible}`, lineNo);
      m.add(p.value, p.tags, p.time);
      if (p.metric === 'checks' && p.tags.check !== undefined) {
        const path = `${p.tags.group ?? ''}::${p.tags.check}`;
        const c = checks.get(path) ?? { name: p.tags.check, path, passes: 0, fails: 0 };
        if (p.value !== 0) c.passes++;
        else c.fails++;
        checks.set(path, c);
      }
    },
  };
  await forEachK6Record(file, visitor, { fastPath: opts.fastPath });
  return {
    source: { kind: 'points', file },
    metrics: agg.metrics(),
    thresholds,
    checks: [...checks.values()],
    durationSeconds: agg.spanSeconds(),
    declaredSubmetrics: [...declaredSubmetrics],
  };
}
