// RTO, RPO, time to mitigate and the request timeline, computed from what the load generator saw. Pure
// functions of the request records, so every figure in a game-day report can be recomputed by hand.
//
// RTO: windows of `windowSeconds` slide from the fault in steps of `stepSeconds`; a window is good when it
// holds requests and their success ratio is at or above the objective. Recovery is the start of the first
// window from which every window up to `sustainSeconds` later is good. Requests count in the window they
// were *scheduled* in (open model: when the client wanted them), so a request that hangs until its timeout
// is charged to the moment it was due, and a dropped request (client saturated) is a failure.
//
// RPO: an acknowledged write is lost when its sequence id is not in the database after recovery, whether
// it was acknowledged before the fault or after it. The measured RPO spans the data-loss window: from the
// last write kept before the first lost one to the fault or the last lost write, whichever is later; when
// nothing acknowledged was lost it is 0.
//
// A read is a success only when its content is right (the known rows): RTO is the first moment after
// which *correct* responses are sustained, so corruption and stale data count as an outage.

export interface RequestSample {
  kind: 'read' | 'write';
  /** Client sequence id (the write marker for writes). */
  seq: number;
  /** Epoch ms the open model scheduled the request. */
  scheduledAt: number;
  /** Epoch ms the response ended (acknowledgement time for a write). */
  endedAt: number;
  latencyMs: number;
  status: number;
  /** Answered in time with the right content (a read that returned wrong rows is not ok). */
  ok: boolean;
  dropped: boolean;
  /** A 2xx read whose content was wrong: corrupted or stale data. */
  incorrect?: boolean;
}

export interface RtoOptions {
  faultAt: number;
  /** SLO objective in percent, e.g. 99.9. */
  objectivePercent: number;
  windowSeconds: number;
  sustainSeconds: number;
  stepSeconds: number;
  /** Records are complete up to this epoch ms (windows ending later are not judged yet). */
  observedUntil: number;
  /** Recovery cannot be earlier than this (e.g. the cut-over, when the fault does not fail requests). */
  notBefore?: number;
}

export interface RtoResult {
  /** Epoch ms of the sustained recovery, or null when it was not observed. */
  recoveredAt: number | null;
  seconds: number | null;
  /** Windows judged after the fault (for the report). */
  windowsJudged: number;
}

interface Window {
  start: number;
  ok: number;
  total: number;
}

function isGood(w: Window, objectivePercent: number): boolean {
  // Compared as integers of "ok × 100 000 ≥ objective × 1000 × total" so 99.9 % of 1000 is exactly 999.
  return w.total > 0 && Math.round(w.ok * 100_000) >= Math.round(objectivePercent * 1000) * w.total;
}

export function computeRto(samples: RequestSample[], opts: RtoOptions): RtoResult {
  const step = opts.stepSeconds * 1000;
  const width = opts.windowSeconds * 1000;
  const sustain = Math.max(opts.sustainSeconds * 1000, width);
  const sorted = samples.filter((s) => s.scheduledAt >= opts.faultAt).sort((a, b) => a.scheduledAt - b.scheduledAt);
  // Window i covers [fault + i·step, fault + i·step + width).
  const windows: Window[] = [];
  for (let start = opts.faultAt; start + width <= opts.observedUntil; start += step) windows.push({ start, ok: 0, total: 0 });
  // Two pointers: each sample belongs to every window whose span contains its scheduled time.
  for (const s of sorted) {
    const first = Math.max(0, Math.floor((s.scheduledAt - opts.faultAt - width) / step) + 1);
    for (let i = first; i < windows.length && windows[i].start <= s.scheduledAt; i++) {
      windows[i].total++;
      if (s.ok) windows[i].ok++;
    }
  }
  const good = windows.map((w) => isGood(w, opts.objectivePercent));
  // Windows needed after a candidate start so that they reach `sustain` past it.
  const needed = Math.floor((sustain - width) / step) + 1;
  for (let i = 0; i + needed <= windows.length; i++) {
    if (opts.notBefore !== undefined && windows[i].start < opts.notBefore) continue;
    let all = true;
    for (let j = i; j < i + needed; j++) {
      if (!good[j]) {
        all = false;
        i = j; // no start before j+1 can succeed
        break;
      }
    }
    if (all) {
      const at = windows[i].start;
      return { recoveredAt: at, seconds: (at - opts.faultAt) / 1000, windowsJudged: windows.length };
    }
  }
  return { recoveredAt: null, seconds: null, windowsJudged: windows.length };
}

export interface AckedWrite {
  seq: number;
  ackedAt: number;
}

export interface LossWindow {
  /** Acknowledgement time (epoch ms) of the last write kept before the first lost one: what recovery kept up to. */
  from: number;
  /** Acknowledgement time of the last lost write. */
  to: number;
  /** Lost writes acknowledged before the fault, and after it (a pitr restore drops what the corrupted database took). */
  beforeFault: number;
  afterFault: number;
}

export interface RpoResult {
  acknowledgedWrites: number;
  lostWrites: number;
  /** Sequence ids acknowledged but missing, ascending. */
  lostSeqs: number[];
  /** = lossWindow.from: the last write kept before the loss. */
  lastSurvivingAckAt: number | null;
  lossWindow: LossWindow | null;
  /**
   * Seconds of acknowledged writes lost: from the last write kept before the first loss to the fault or
   * to the last lost write, whichever is later — every acknowledged write missing counts, before the
   * fault (in flight, behind the restore point) and after it (taken by a database recovery abandoned).
   */
  seconds: number | null;
}

export function computeRpo(acked: AckedWrite[], surviving: Iterable<number>, faultAt: number): RpoResult {
  const present = new Set(surviving);
  const lost = acked.filter((w) => !present.has(w.seq));
  const base = { acknowledgedWrites: acked.length, lostWrites: lost.length, lostSeqs: lost.map((w) => w.seq).sort((a, b) => a - b) };
  if (lost.length === 0) return { ...base, lastSurvivingAckAt: null, lossWindow: null, seconds: 0 };
  const firstLost = Math.min(...lost.map((w) => w.ackedAt));
  const lastLost = Math.max(...lost.map((w) => w.ackedAt));
  let from: number | null = null;
  for (const w of acked) if (w.ackedAt < firstLost && present.has(w.seq) && (from === null || w.ackedAt > from)) from = w.ackedAt;
  const beforeFault = lost.filter((w) => w.ackedAt <= faultAt).length;
  // Everything before the loss is gone too: the window has no start, the RPO is unbounded.
  if (from === null) return { ...base, lastSurvivingAckAt: null, lossWindow: null, seconds: null };
  return {
    ...base,
    lastSurvivingAckAt: from,
    lossWindow: { from, to: lastLost, beforeFault, afterFault: lost.length - beforeFault },
    seconds: Math.max(0, (Math.max(faultAt, lastLost) - from) / 1000),
  };
}

/**
 * Seconds from the fault to the first write sent after it that was acknowledged and is in the database
 * afterwards (`surviving`): a write the corrupted or abandoned database took does not count.
 */
export function timeToMitigate(samples: RequestSample[], faultAt: number, surviving?: Iterable<number>): number | null {
  const present = surviving ? new Set(surviving) : null;
  let first: number | null = null;
  for (const s of samples) {
    if (s.kind !== 'write' || !s.ok || s.scheduledAt < faultAt || (present && !present.has(s.seq))) continue;
    if (first === null || s.endedAt < first) first = s.endedAt;
  }
  return first === null ? null : (first - faultAt) / 1000;
}

export interface TimelineBucket {
  /** Seconds relative to the fault (negative before it) at the bucket's start. */
  t: number;
  requests: number;
  errors: number;
  /** Median and 95th percentile latency of the bucket's completed requests, ms. */
  p50Ms: number | null;
  p95Ms: number | null;
}

function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Per-bucket request rate, errors and latency, by scheduled time, aligned on the fault. */
export function timeline(samples: RequestSample[], faultAt: number, bucketSeconds = 1): TimelineBucket[] {
  if (samples.length === 0) return [];
  const size = bucketSeconds * 1000;
  const index = (t: number) => Math.floor((t - faultAt) / size);
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of samples) {
    const i = index(s.scheduledAt);
    lo = Math.min(lo, i);
    hi = Math.max(hi, i);
  }
  const buckets = Array.from({ length: hi - lo + 1 }, (_, k) => ({ i: lo + k, requests: 0, errors: 0, latencies: [] as number[] }));
  for (const s of samples) {
    const b = buckets[index(s.scheduledAt) - lo];
    b.requests++;
    if (!s.ok) b.errors++;
    if (!s.dropped) b.latencies.push(s.latencyMs);
  }
  return buckets.map((b) => {
    const sorted = b.latencies.sort((x, y) => x - y);
    return { t: b.i * bucketSeconds, requests: b.requests, errors: b.errors, p50Ms: quantile(sorted, 0.5), p95Ms: quantile(sorted, 0.95) };
  });
}
