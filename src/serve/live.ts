// Keeps a snapshot of every SLO's figures, refreshed in the background so a page never waits on the
// backend: 1,000 SLOs are read a few at a time, and a failed refresh keeps the last good figures (marked
// with the error and its start) instead of blanking the view.
import type { Slo, SolidaModel } from '../slo/model.ts';
import { SolidaError } from '../util/errors.ts';
import type { ViewBackend } from './backend.ts';
import type { AlertState, SloRow, Snapshot } from './model.ts';
import { readRow, unreadRow } from './rows.ts';
import { prefetchEvents } from '../budget/prefetch.ts';

export interface LiveOptions {
  /** SLOs read at once (each is a handful of queries run together). */
  concurrency?: number;
  now?: () => Date;
}

export class LiveSnapshot {
  private snapshot: Snapshot;
  private running: Promise<Snapshot> | null = null;
  private readonly concurrency: number;
  private readonly now: () => Date;

  constructor(readonly model: SolidaModel, readonly backend: ViewBackend, opts: LiveOptions = {}) {
    this.concurrency = opts.concurrency ?? 8;
    this.now = opts.now ?? (() => new Date());
    const rows = model.slos.map((s) => (backend.budget.supports(s) ? unreadRow(s, 'no-data', 'not read yet') : unreadRow(s, 'error', `${s.sli.source} SLI: not readable from ${backend.name}`)));
    this.snapshot = { version: 0, at: null, tookMs: null, source: backend.name, rows, error: null };
  }

  current(): Snapshot {
    return this.snapshot;
  }

  slo(id: string): Slo | undefined {
    return this.model.slos.find((s) => s.id === id);
  }

  /** Reads every SLO once; concurrent callers share the refresh in flight. */
  refresh(): Promise<Snapshot> {
    this.running ??= this.read().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async read(): Promise<Snapshot> {
    const started = Date.now();
    const at = this.now();
    let alerts: Map<string, AlertState[]> | null = null;
    let alertError: string | null = null;
    try {
      alerts = await this.backend.alerts();
    } catch (err) {
      alertError = messageOf(err);
    }
    const previous = new Map(this.snapshot.rows.map((r) => [r.id, r]));
    const failures: string[] = [];
    // Every SLO's counts in a few batched queries first; the rows then read them from memory.
    const source = await prefetchEvents(this.backend.budget, this.model.slos, at, this.concurrency);
    const rows = await mapLimit(this.model.slos, this.concurrency, async (slo): Promise<SloRow> => {
      if (!this.backend.budget.supports(slo)) return previous.get(slo.id)!;
      try {
        return await readRow(slo, source, at, alerts ? alerts.get(slo.id) ?? [] : null);
      } catch (err) {
        const message = messageOf(err);
        failures.push(message);
        const old = previous.get(slo.id);
        // Keep the last good figures; the banner says they are stale and why.
        return old && old.readAt !== null ? old : unreadRow(slo, 'error', message);
      }
    });
    const readable = this.model.slos.filter((s) => this.backend.budget.supports(s)).length;
    const down = (readable > 0 && failures.length === readable) || (alertError !== null && failures.length > 0);
    const error = down ? { message: alertError ?? failures[0], since: this.snapshot.error?.since ?? started } : null;
    this.snapshot = { version: this.snapshot.version + 1, at: Date.now(), tookMs: Date.now() - started, source: this.backend.name, rows, error };
    return this.snapshot;
  }
}

export function messageOf(err: unknown): string {
  if (err instanceof SolidaError) return [err.message, ...err.problems.map((p) => p.message)].join(': ');
  return err instanceof Error ? err.message : String(err);
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping the order of the results. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
