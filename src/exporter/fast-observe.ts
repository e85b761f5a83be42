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

interface ExemplarRecord {
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
 * `exemplars`: the histogram was created with enableExemplars. Its observe() then takes one object
 * and also records the exemplar, as prom-client's updateExemplar() does: for the bucket the value
 * falls in (its bound, or '-1' past the last), the exemplar's labels, value and time in seconds.
 * The fast path updates that Exemplar in place; the first one of a bucket is created by prom-client.
 */
export function seriesObserver<L extends string>(hist: Histogram<L>, labels: Record<L, string>, exemplars = false): Observe {
  const slow: Observe = exemplars
    ? (value, exemplar) => (hist.observe as unknown as (o: object) => void)({ labels, value, exemplarLabels: exemplar })
    : (value) => hist.observe(labels, value);
  const h = hist as unknown as HistogramInternals;
  if (exemplars && typeof h.updateExemplar !== 'function') return slow;
  const bounds = h.upperBounds;
  const names = h.sortedLabelNames;
  if (!Array.isArray(bounds) || !bounds.every((b) => typeof b === 'number') || !Array.isArray(names)) return slow;
  const bucketKeys = bounds.map(String);
  // prom-client's series key: `name:value,` for each defined label, in sorted label-name order.
  let key = '';
  for (const n of names as string[]) if ((labels as Record<string, string | undefined>)[n] !== undefined) key += `${n}:${labels[n as L]},`;

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
  const updateExemplar = h.updateExemplar as (labels: object, value: number, exemplar: Record<string, string>) => void;
  return (value, exemplar) => {
    // reset() swaps the map; look the series up again (once) when that happened.
    if (!usable || (h.hashMap !== map && !(usable = locate()))) return slow(value, exemplar);
    const r = record!;
    r.sum += value;
    r.count += 1;
    let bucket = '-1';
    for (let i = 0; i < bounds.length; i++) {
      if (value <= (bounds[i] as number)) {
        bucket = bucketKeys[i];
        r.bucketValues[bucket] += 1;
        break;
      }
    }
    if (exemplar === undefined) return;
    const ex = r.bucketExemplars![bucket];
    if (ex !== null && typeof ex === 'object') {
      ex.labelSet = exemplar;
      ex.value = value;
      ex.timestamp = Date.now() / 1000;
    } else {
      updateExemplar.call(hist, labels, value, exemplar);
    }
  };
}
