// Aggregation of raw samples with k6's own semantics, so stats computed from NDJSON points or from the
// built-in generator equal the ones k6 prints (percentiles: linear interpolation between closest
// ranks, as k6's TrendSink.P does).
import { percentileKey } from './threshold-expr.ts';
import { formatMetricKey, selectorIdentity, type MetricSelector } from './selector.ts';
import type { K6Metric, K6MetricType, K6Stats } from './types.ts';

/** Growable Float64Array: a long test keeps millions of durations without boxing each one. */
class Samples {
  private buf = new Float64Array(1024);
  length = 0;
  private sorted = true;

  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    if (this.length > 0 && v < this.buf[this.length - 1]) this.sorted = false;
    this.buf[this.length++] = v;
  }

  view(): Float64Array {
    const v = this.buf.subarray(0, this.length);
    if (!this.sorted) {
      v.sort();
      this.sorted = true;
    }
    return v;
  }
}

/** k6's percentile: pct in 0..1 over sorted values. */
export function k6Percentile(sorted: ArrayLike<number>, pct: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  if (n === 1) return sorted[0];
  const i = pct * (n - 1);
  const lo = sorted[Math.floor(i)];
  const hi = sorted[Math.ceil(i)];
  return lo + (hi - lo) * (i - Math.floor(i));
}

export interface Sink {
  add(value: number, time: number): void;
  /** Percentiles to report for trends (canonical numbers, 0..100). */
  stats(percentiles: number[], durationSeconds: number | undefined): K6Stats;
  readonly count: number;
}

class TrendSink implements Sink {
  private values = new Samples();
  private sum = 0;
  get count(): number { return this.values.length; }
  add(value: number): void {
    this.values.push(value);
    this.sum += value;
  }
  stats(percentiles: number[]): K6Stats {
    const sorted = this.values.view();
    const n = sorted.length;
    const out: K6Stats = {
      count: n,
      avg: n === 0 ? 0 : this.sum / n,
      min: n === 0 ? 0 : sorted[0],
      max: n === 0 ? 0 : sorted[n - 1],
      med: k6Percentile(sorted, 0.5),
    };
    for (const p of percentiles) out[percentileKey(p)] = k6Percentile(sorted, p / 100);
    return out;
  }
}

class RateSink implements Sink {
  private nonZero = 0;
  private total = 0;
  get count(): number { return this.total; }
  add(value: number): void {
    this.total++;
    if (value !== 0) this.nonZero++;
  }
  stats(): K6Stats {
    return { rate: this.total === 0 ? 0 : this.nonZero / this.total, nonZero: this.nonZero, zero: this.total - this.nonZero, count: this.total };
  }
}

class CounterSink implements Sink {
  private sum = 0;
  private n = 0;
  get count(): number { return this.n; }
  add(value: number): void {
    this.sum += value;
    this.n++;
  }
  stats(_p: number[], durationSeconds: number | undefined): K6Stats {
    const out: K6Stats = { count: this.sum };
    if (durationSeconds && durationSeconds > 0) out.rate = this.sum / durationSeconds;
    return out;
  }
}

class GaugeSink implements Sink {
  private last = 0;
  private lastTime = -Infinity;
  private lo = Infinity;
  private hi = -Infinity;
  private n = 0;
  get count(): number { return this.n; }
  add(value: number, time: number): void {
    // Points may arrive out of order across VUs; the gauge's value is the latest by time.
    if (time >= this.lastTime) {
      this.last = value;
      this.lastTime = time;
    }
    this.lo = Math.min(this.lo, value);
    this.hi = Math.max(this.hi, value);
    this.n++;
  }
  stats(): K6Stats {
    return this.n === 0 ? { value: 0, min: 0, max: 0 } : { value: this.last, min: this.lo, max: this.hi };
  }
}

function matchesFilter(filter: [string, string][], tags: Record<string, string> | null | undefined): boolean {
  for (let i = 0; i < filter.length; i++) {
    if (!tags || tags[filter[i][0]] !== filter[i][1]) return false;
  }
  return true;
}

export function newSink(type: K6MetricType): Sink {
  switch (type) {
    case 'trend': return new TrendSink();
    case 'rate': return new RateSink();
    case 'counter': return new CounterSink();
    case 'gauge': return new GaugeSink();
  }
}

interface Tracked {
  selector: MetricSelector;
  /** The selector's tag filter as pairs, computed once: matching runs for every sample. */
  filter: [string, string][];
  type?: K6MetricType;
  sink?: Sink;
}

/**
 * Feeds samples to a sink per selector: the base metrics always, plus whichever tag-filtered
 * sub-metrics were asked for. A sample with tags {scenario: steady} counts for the base metric and
 * for `{scenario:steady}` alike, as in k6.
 */
export class SampleAggregator {
  private byName = new Map<string, Tracked[]>();
  private types = new Map<string, K6MetricType>();
  private baseTracked = new Set<string>();
  private firstTime = Infinity;
  private lastTime = -Infinity;

  private readonly percentiles: number[];

  /** `percentiles` are computed on top of k6's defaults p(90), p(95), plus p(99). */
  constructor(selectors: MetricSelector[] = [], percentiles: number[] = []) {
    this.percentiles = [...new Set([90, 95, 99, ...percentiles])].sort((a, b) => a - b);
    for (const s of selectors) this.track(s);
  }

  /** Start tracking a selector (idempotent). Samples seen before are not replayed. */
  track(selector: MetricSelector): void {
    const list = this.byName.get(selector.name) ?? [];
    const id = selectorIdentity(selector);
    if (list.some((t) => selectorIdentity(t.selector) === id)) return;
    list.push({ selector, filter: Object.entries(selector.tags), type: this.types.get(selector.name) });
    this.byName.set(selector.name, list);
  }

  declare(name: string, type: K6MetricType): void {
    this.types.set(name, type);
    this.trackBase(name);
    for (const t of this.byName.get(name) ?? []) t.type ??= type;
  }

  /** The untagged metric is always reported, even when only a sub-metric was asked for. */
  private trackBase(name: string): void {
    if (this.baseTracked.has(name)) return;
    this.baseTracked.add(name);
    this.track({ name, tags: {} });
  }

  add(name: string, value: number, tags: Record<string, string> | null | undefined, timeMs: number, type?: K6MetricType): void {
    if (type && !this.types.has(name)) this.declare(name, type);
    this.adder(name)(value, tags, timeMs);
  }

  /**
   * add() for one metric with its lookups done once, for a reader's per-sample loop. It sees selectors
   * tracked later too (the list is shared); a later declare() of the name does not change a sink made.
   */
  adder(name: string): (value: number, tags: Record<string, string> | null | undefined, timeMs: number) => void {
    this.trackBase(name);
    const list = this.byName.get(name)!;
    return (value, tags, timeMs) => {
      if (timeMs < this.firstTime) this.firstTime = timeMs;
      if (timeMs > this.lastTime) this.lastTime = timeMs;
      for (let i = 0; i < list.length; i++) {
        const t = list[i];
        if (!matchesFilter(t.filter, tags)) continue;
        t.type ??= this.types.get(name) ?? 'trend';
        t.sink ??= newSink(t.type);
        t.sink.add(value, timeMs);
      }
    };
  }

  /** Seconds between the first and the last sample, k6's denominator for counter rates. */
  spanSeconds(): number | undefined {
    return Number.isFinite(this.firstTime) && this.lastTime > this.firstTime ? (this.lastTime - this.firstTime) / 1000 : undefined;
  }

  metrics(durationSeconds = this.spanSeconds()): Record<string, K6Metric> {
    const out: Record<string, K6Metric> = {};
    for (const list of this.byName.values()) {
      for (const t of list) {
        const type = t.type ?? this.types.get(t.selector.name);
        if (!type) continue; // never declared, never sampled: nothing to say
        const sink = t.sink ?? newSink(type);
        const key = formatMetricKey(t.selector);
        out[key] = { key, name: t.selector.name, tags: { ...t.selector.tags }, type, stats: sink.stats(this.percentiles, durationSeconds) };
      }
    }
    return out;
  }
}
