// A new series is first exposed at zero. rate() and increase() only count what a counter gained
// between two samples, so a series whose first sample is already 1 hides that first event: the
// first 500 of a route (a new error_type/status label set) would never reach an error-rate SLI, and
// a low-traffic service would lose every new error class. So the first observations of a label set
// the exporter has never exposed are held back: the series is created at zero at once, and what it
// observed is added only after a read of the registry (a scrape) has taken the zero. The next scrape
// then shows the increase. Existing series are untouched: only a brand-new series takes this path,
// until the release swaps its observer for the fast one.
//
// Several scrapers (a Prometheus HA pair): the first read releases the held observations, so the
// replica that scrapes first sees 0 then N and counts the first events; the other replica's first
// sample may already be N, and it misses them, as every scraper did before. Telling scrapers apart
// would mean trusting their addresses or headers and holding observations per scraper; not done.
import type { Histogram } from 'prom-client';
import type { Observe, ObservationBatch, SeriesWriter } from './fast-observe.ts';

/**
 * How long held observations wait for a scrape before they are added anyway (no scraper: EMF-only
 * users, a misconfigured scrape job). 2 minutes is longer than any working Prometheus scrape
 * interval (the 5-minute staleness window makes longer intervals break queries; 2m is the usual
 * ceiling), so a scraper always reads the zero first; and short enough that the events, when a
 * late first scraper counts them, land in the 5-minute windows of the fast-burn alerts around the
 * time they happened, instead of as a burst replaying minutes of traffic in one scrape interval.
 */
export const HOLD_LIMIT_MS = 120_000;

interface Held {
  writer: SeriesWriter;
  batch: ObservationBatch;
  since: number;
  /** Called once the observations were added: the owner switches to writer.observe. */
  released: () => void;
}

export interface NewSeriesGateOptions {
  holdLimitMs?: number;
  now?: () => number;
}

export class NewSeriesGate {
  private readonly held = new Set<Held>();
  private timer: NodeJS.Timeout | undefined;
  private readonly holdLimitMs: number;
  private readonly now: () => number;

  /** Hooks the histogram's reads: every read (registry.metrics(), either format) counts as a scrape. */
  constructor(hist: Histogram<string>, opts: NewSeriesGateOptions = {}) {
    this.holdLimitMs = opts.holdLimitMs ?? HOLD_LIMIT_MS;
    this.now = opts.now ?? Date.now;
    // Registry.metrics() reads a histogram through getForPromString(), get() (JSON) calls it too.
    // It copies the values while it runs; the series held when it started are in that copy at zero,
    // so they are released once it resolved. A series created meanwhile waits for the next read.
    // A scrape that fails after this copy (another metric's collect throws) still releases them: the
    // zero was not delivered, and those first events are missed as before; rare enough to accept.
    const h = hist as unknown as { getForPromString(): Promise<unknown> };
    const read = h.getForPromString.bind(hist);
    h.getForPromString = async () => {
      const exposed = this.held.size === 0 ? undefined : [...this.held];
      const data = await read();
      if (exposed) for (const entry of exposed) this.release(entry);
      return data;
    };
  }

  /** Held series waiting for a read. */
  get size(): number {
    return this.held.size;
  }

  /**
   * Creates the series at zero and returns the observer that holds its observations; `released`
   * runs when they were added. Falls back to writer.observe if the series cannot be created.
   */
  hold(writer: SeriesWriter, released: () => void): Observe {
    if (!writer.create()) return writer.observe;
    const entry: Held = { writer, batch: writer.emptyBatch(), since: this.now(), released };
    this.held.add(entry);
    this.arm();
    const { batch } = entry;
    return (value, exemplar) => {
      // A late call (an observer fetched before the release): add it directly.
      if (!this.held.has(entry)) return writer.observe(value, exemplar);
      const i = writer.bucketIndex(value);
      batch.count += 1;
      batch.sum += value;
      batch.buckets[i] += 1;
      if (exemplar !== undefined) batch.exemplars[i] = { labelSet: exemplar, value, timestamp: this.now() / 1000 };
    };
  }

  /** Adds every held observation now (shutdown: nothing is lost). */
  releaseAll(): void {
    for (const entry of [...this.held]) this.release(entry);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private release(entry: Held): void {
    if (!this.held.delete(entry)) return;
    entry.writer.add(entry.batch);
    entry.released();
  }

  /** One timer for all held series, due when the oldest reaches the limit. */
  private arm(): void {
    if (this.timer !== undefined || this.held.size === 0) return;
    let oldest = Infinity;
    for (const e of this.held) oldest = Math.min(oldest, e.since);
    this.timer = setTimeout(() => this.expire(), Math.max(0, oldest + this.holdLimitMs - this.now()));
    this.timer.unref();
  }

  private expire(): void {
    this.timer = undefined;
    const due = this.now() - this.holdLimitMs;
    for (const entry of [...this.held]) if (entry.since <= due) this.release(entry);
    this.arm();
  }
}
