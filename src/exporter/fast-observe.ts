// Histogram observations for one label set without prom-client's per-call work (label validation,
// building the series key string, number-to-string bucket keys): ~1 µs per request on the hot path.
//
// It updates the series record prom-client itself keeps (the same fields its own observe() updates),
// found once per series through prom-client's own zero(). That record is internal, so every step is
// checked: if this prom-client lays out histograms differently, the public observe() is used instead.
import type { Histogram } from 'prom-client';

interface SeriesRecord {
  labels: object;
  bucketValues: Record<string, number>;
  /** With exemplars on: the last exemplar per bucket (prom-client's Exemplar, or null before the first). */
  bucketExemplars?: Record<string, ExemplarRecord | null | undefined>;
  sum: number;
  count: number;
}

export interface ExemplarRecord {
  labelSet: Record<string, string>;
  value: number;
  timestamp?: number;
}

interface HistogramInternals {
  hashMap?: Record<string, SeriesRecord | undefined>;
  upperBounds?: unknown;
  sortedLabelNames?: unknown;
  updateExemplar?: unknown;
}

/** One observation; `exemplar` (trace_id, span_id) only on a histogram created with exemplars. */
export type Observe = (value: number, exemplar?: Record<string, string>) => void;

/**
 * Observations held back from a series (see new-series.ts), folded into fixed-size counters so a
 * burst of traffic costs no memory: per bucket (index = bound, last = past the last bound) a count
 * and the last exemplar with the time it was taken.
 */
export interface ObservationBatch {
  count: number;
  sum: number;
  buckets: Float64Array;
  exemplars: (ExemplarRecord | undefined)[];
}

/** One label set of a histogram, written without prom-client's per-call work. */
export interface SeriesWriter {
  observe: Observe;
  /** Adds a batch to the series (creating it at zero first if a reset() removed it). */
  add(batch: ObservationBatch): void;
  /** Creates the series at zero in prom-client's map, as zero() does; false if its layout is not the expected one. */
  create(): boolean;
  /** prom-client held this label set before the writer was made (someone else created it). */
  existed: boolean;
  /** Index of a value's bucket in an ObservationBatch. */
  bucketIndex(value: number): number;
  emptyBatch(): ObservationBatch;
}

/**
 * `exemplars`: the histogram was created with enableExemplars. Its observe() then takes one object
 * and also records the exemplar, as prom-client's updateExemplar() does: for the bucket the value
 * falls in (its bound, or '-1' past the last), the exemplar's labels, value and time in seconds.
 * The fast path updates that Exemplar in place; the first one of a bucket is created by prom-client.
 */
export function seriesObserver<L extends string>(hist: Histogram<L>, labels: Record<L, string>, exemplars = false): Observe {
  return seriesWriter(hist, labels, exemplars)?.observe ?? slowObserver(hist, labels, exemplars);
}

/** prom-client's own observe() for one label set (with the exemplar object form when exemplars are on). */
export function slowObserver<L extends string>(hist: Histogram<L>, labels: Record<L, string>, exemplars: boolean): Observe {
  return exemplars ? (value, exemplar) => (hist.observe as unknown as (o: object) => void)({ labels, value, exemplarLabels: exemplar }) : (value) => hist.observe(labels, value);
}

/** undefined when this prom-client's histogram internals are not the expected ones (then use observe()). */
export function seriesWriter<L extends string>(hist: Histogram<L>, labels: Record<L, string>, exemplars = false): SeriesWriter | undefined {
  const slow = slowObserver(hist, labels, exemplars);
  const h = hist as unknown as HistogramInternals;
  if (exemplars && typeof h.updateExemplar !== 'function') return undefined;
  const bounds = h.upperBounds;
  const names = h.sortedLabelNames;
  if (!Array.isArray(bounds) || !bounds.every((b) => typeof b === 'number') || !Array.isArray(names)) return undefined;
  const bucketKeys = bounds.map(String);
  // prom-client's series key: `name:value,` for each defined label, in sorted label-name order.
  let key = '';
  for (const n of names as string[]) if ((labels as Record<string, string | undefined>)[n] !== undefined) key += `${n}:${labels[n as L]},`;
  const existed = typeof h.hashMap === 'object' && h.hashMap !== null && h.hashMap[key] !== undefined;

  let map: HistogramInternals['hashMap'];
  let record: SeriesRecord | undefined;
  let usable = true;
  const locate = (): boolean => {
    map = h.hashMap;
    if (!map || typeof map !== 'object') return false;
    if (map[key] === undefined) hist.zero(labels);
    const r = map[key];
    const ok =
      r !== undefined &&
      r.labels === labels &&
      typeof r.sum === 'number' &&
      typeof r.count === 'number' &&
      typeof r.bucketValues === 'object' &&
      bucketKeys.every((k) => typeof r.bucketValues[k] === 'number') &&
      (!exemplars || (typeof r.bucketExemplars === 'object' && r.bucketExemplars !== null));
    record = ok ? r : undefined;
    return ok;
  };
  // reset() swaps the map; look the series up again (once) when that happened.
  const ready = () => usable && (h.hashMap === map || (usable = locate()));
  const updateExemplar = h.updateExemplar as (labels: object, value: number, exemplar: Record<string, string>) => void;
  const setExemplar = (bucket: string, labelSet: Record<string, string>, value: number, timestamp: number) => {
    const ex = record!.bucketExemplars![bucket];
    if (ex !== null && typeof ex === 'object') {
      ex.labelSet = labelSet;
      ex.value = value;
      ex.timestamp = timestamp;
    } else {
      updateExemplar.call(hist, labels, value, labelSet);
      const made = record!.bucketExemplars![bucket];
      if (made) made.timestamp = timestamp;
    }
  };
  const bucketIndex = (value: number): number => {
    for (let i = 0; i < bounds.length; i++) if (value <= (bounds[i] as number)) return i;
    return bounds.length;
  };
  // prom-client's key of a bucket; past the last bound its exemplars sit under '-1'.
  const bucketKey = (i: number): string => (i < bounds.length ? bucketKeys[i] : '-1');
  const observe: Observe = (value, exemplar) => {
    if (!ready()) return slow(value, exemplar);
    const r = record!;
    r.sum += value;
    r.count += 1;
    const i = bucketIndex(value);
    if (i < bounds.length) r.bucketValues[bucketKeys[i]] += 1;
    if (exemplar !== undefined) setExemplar(bucketKey(i), exemplar, value, Date.now() / 1000);
  };
  return {
    observe,
    existed,
    create: () => ready(),
    bucketIndex,
    emptyBatch: () => ({ count: 0, sum: 0, buckets: new Float64Array(bounds.length + 1), exemplars: [] }),
    add(batch) {
      if (batch.count === 0) return;
      if (!ready()) {
        // Unreachable once create() succeeded (the layout was checked); keep count and sum exact.
        for (let i = 0; i < batch.count; i++) slow(batch.sum / batch.count);
        return;
      }
      const r = record!;
      r.sum += batch.sum;
      r.count += batch.count;
      for (let i = 0; i < bounds.length; i++) r.bucketValues[bucketKeys[i]] += batch.buckets[i];
      if (!exemplars) return;
      batch.exemplars.forEach((ex, i) => {
        if (ex) setExemplar(bucketKey(i), ex.labelSet, ex.value, ex.timestamp ?? Date.now() / 1000);
      });
    },
  };
}
