// Open-model load: requests are scheduled at a constant arrival rate, whatever the server does. A
// closed model (N users in a loop) sends less when the server slows down or fails, which hides an
// outage; here request i is due at start + i/rate and is sent then even if earlier ones are still
// waiting, up to an in-flight bound (beyond it the request is recorded as dropped, like k6's
// dropped_iterations, so client saturation is visible instead of silently lowering the rate).
//
// Reusable beyond the CI gate: the game day builds its read/write mix with `request` (each call gets
// the client sequence number, for write markers) and keeps its ledger with `onResult`.
import { HttpSender } from './http-sender.ts';
import { setTimeout as wait } from 'node:timers/promises';

export interface LoadRequest {
  method?: string;
  /** Path appended to the target (`/items/42`), or an absolute URL. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Copied to the record; `name` groups URLs like k6's name tag (a route template). */
  tags?: Record<string, string>;
}

export interface RequestContext {
  /** Client sequence number, 0-based, unique within the run: the write marker for game days. */
  seq: number;
  /** Epoch ms at which the open model schedules this request. */
  scheduledAt: number;
}

export interface RequestRecord {
  seq: number;
  method: string;
  path: string;
  tags: Record<string, string>;
  /** Epoch ms (wall clock) the request was due. */
  scheduledAt: number;
  /** Epoch ms it was actually sent; later than scheduledAt when the client lags. */
  startedAt: number;
  /** Epoch ms the response ended (or the request failed). */
  endedAt: number;
  /** Send to end of response, ms. */
  latencyMs: number;
  /** HTTP status; 0 when there was no response (refused, reset, timeout) or the request was dropped. */
  status: number;
  /** Success as the run's `isOk` judges it (default: a response with status 200..399, like k6). */
  ok: boolean;
  /** Never sent: the in-flight bound was reached. */
  dropped: boolean;
  error?: string;
  /** Response body, when `captureBody` is set. */
  body?: string;
}

export interface OpenModelOptions {
  /** Base URL, e.g. http://127.0.0.1:8080. */
  target: string;
  /** Requests per second (> 0). */
  ratePerSecond: number;
  /** How long requests keep being scheduled. */
  durationSeconds: number;
  /** Hard cap on requests scheduled, whatever rate × duration says. */
  maxRequests?: number;
  /** Requests in flight at once; beyond it a due request is dropped. Default 256. */
  maxInFlight?: number;
  /** Per-request timeout, ms. Default 10 000. */
  timeoutMs?: number;
  /** Builds each request; default GET `/`. */
  request?: (ctx: RequestContext) => LoadRequest;
  isOk?: (status: number, record: Omit<RequestRecord, 'ok'>) => boolean;
  /** Called once per request (dropped ones too), in completion order. */
  onResult?: (record: RequestRecord) => void;
  captureBody?: boolean;
  /** Stops scheduling; requests in flight are awaited (bounded by their timeout). */
  signal?: AbortSignal;
}

export interface OpenModelSummary {
  startedAt: number;
  endedAt: number;
  /** Requests the schedule called for (rate × duration, capped). */
  scheduled: number;
  sent: number;
  ok: number;
  failed: number;
  dropped: number;
  /** True when the signal stopped the schedule early. */
  aborted: boolean;
  /** Sent requests per second over the scheduling period (first due .. last sent). */
  achievedRatePerSecond: number;
}

const defaultIsOk = (status: number) => status >= 200 && status < 400;

function resolveUrl(target: string, path: string): URL {
  if (/^https?:\/\//i.test(path)) return new URL(path);
  return new URL(`${target.replace(/\/+$/, '')}${path.startsWith('/') ? '' : '/'}${path}`);
}

/** Waits, or stops waiting early (without error) when the run is aborted. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return wait(ms, undefined, { signal }).catch(() => undefined);
}

export function validateOpenModel(opts: OpenModelOptions): string[] {
  const errs: string[] = [];
  if (!(opts.ratePerSecond > 0) || !Number.isFinite(opts.ratePerSecond)) errs.push('ratePerSecond must be a positive number');
  if (!(opts.durationSeconds > 0) || !Number.isFinite(opts.durationSeconds)) errs.push('durationSeconds must be a positive number');
  if (opts.maxRequests !== undefined && !(opts.maxRequests >= 1)) errs.push('maxRequests must be at least 1');
  if (opts.maxInFlight !== undefined && !(opts.maxInFlight >= 1)) errs.push('maxInFlight must be at least 1');
  try {
    const u = new URL(opts.target);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') errs.push(`target must be http(s), got ${u.protocol}`);
  } catch {
    errs.push(`target is not a URL: ${opts.target}`);
  }
  return errs;
}

export async function runOpenModel(opts: OpenModelOptions): Promise<OpenModelSummary> {
  const errs = validateOpenModel(opts);
  if (errs.length) throw new Error(`invalid load options: ${errs.join('; ')}`);
  const interval = 1000 / opts.ratePerSecond;
  const planned = Math.ceil(opts.ratePerSecond * opts.durationSeconds - 1e-9);
  const scheduled = Math.min(planned, opts.maxRequests ?? Infinity);
  const maxInFlight = opts.maxInFlight ?? 256;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const isOk = opts.isOk ?? defaultIsOk;
  const build: (ctx: RequestContext) => LoadRequest = opts.request ?? (() => ({ path: '/' }));
  const sender = new HttpSender(maxInFlight);

  // Monotonic clock for the schedule, wall clock only for the records' timestamps.
  const t0 = performance.now();
  const wall0 = Date.now();
  const wallAt = (perf: number) => wall0 + (perf - t0);
  const inFlight = new Set<Promise<void>>();
  const counts = { sent: 0, ok: 0, failed: 0, dropped: 0 };
  let lastSent = t0;
  let seq = 0;

  const emit = (rec: RequestRecord) => {
    if (rec.dropped) counts.dropped++;
    else if (rec.ok) counts.ok++;
    else counts.failed++;
    opts.onResult?.(rec);
  };

  try {
    for (; seq < scheduled && !opts.signal?.aborted; seq++) {
      const due = t0 + seq * interval;
      // Timers run on a whole-ms loop clock and can fire a fraction early: sleep until really due.
      for (let wait = due - performance.now(); wait > 0 && !opts.signal?.aborted; wait = due - performance.now()) {
        await sleep(Math.ceil(wait), opts.signal);
      }
      if (opts.signal?.aborted) break;
      const ctx: RequestContext = { seq, scheduledAt: wallAt(due) };
      const req = build(ctx);
      const method = (req.method ?? 'GET').toUpperCase();
      const base = { seq, method, path: req.path, tags: { ...(req.tags ?? {}) }, scheduledAt: ctx.scheduledAt };
      if (inFlight.size >= maxInFlight) {
        const now = Date.now();
        emit({ ...base, startedAt: now, endedAt: now, latencyMs: 0, status: 0, ok: false, dropped: true, error: `dropped: ${maxInFlight} requests already in flight` });
        continue;
      }
      const started = performance.now();
      lastSent = started;
      counts.sent++;
      const p = sender
        .send({ url: resolveUrl(opts.target, req.path), method, headers: req.headers ?? {}, body: req.body, timeoutMs, captureBody: !!opts.captureBody })
        .then((out) => {
          const ended = performance.now();
          const partial = {
            ...base,
            startedAt: wallAt(started),
            endedAt: wallAt(ended),
            latencyMs: ended - started,
            status: out.status,
            dropped: false,
            ...(out.error ? { error: out.error } : {}),
            ...(out.body !== undefined ? { body: out.body } : {}),
          };
          emit({ ...partial, ok: out.status !== 0 && isOk(out.status, partial) });
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  } finally {
    sender.close();
  }
  const span = (lastSent - t0) / 1000;
  return {
    startedAt: wall0,
    endedAt: Date.now(),
    scheduled,
    ...counts,
    aborted: seq < scheduled,
    // n sends span n-1 intervals: rate = (n-1)/span recovers the configured rate on schedule.
    achievedRatePerSecond: counts.sent > 1 && span > 0 ? (counts.sent - 1) / span : counts.sent,
  };
}
