// The game day's load: an open model (constant arrival rate) of reads and sequence-marked writes against
// the service's front door, running until stopped. Every request's outcome is kept, and every
// acknowledged write goes into the ledger that is later checked against the database.
import { runOpenModel, type OpenModelSummary, type RequestRecord } from '../loadgen/open-model.ts';
import type { AckedWrite, RequestSample } from './measure.ts';
import { checkedReadPath, readIsCorrect } from './read-check.ts';

export interface GamedayLoadOptions {
  target: string;
  /** Tags the writes in the database (`writes.run`), so a run reads back only its own. */
  runId: string;
  ratePerSecond: number;
  /** Every n-th request is a write (2: half of them). */
  writeEvery: number;
  timeoutMs: number;
  /** The known rows every read must return ("<prefix><i>", quantity i, i = 1..rows); none: status only. */
  check?: ReadCheck;
}

export interface ReadCheck {
  prefix: string;
  rows: number;
}

export type LoadSummary = Pick<OpenModelSummary, 'sent' | 'ok' | 'failed' | 'dropped'>;

export interface RunningLoad {
  readonly samples: RequestSample[];
  readonly ledger: AckedWrite[];
  readonly startedAt: number;
  /** Stop scheduling, wait for the requests in flight, return the summary (idempotent). */
  stop(): Promise<LoadSummary>;
  /** What the report should say about how this load was measured (filled by stop()). */
  readonly notes?: string[];
}

/** Effectively unbounded: the game day stops the load itself. */
const MAX_SECONDS = 24 * 3600;

export function startGamedayLoad(opts: GamedayLoadOptions): RunningLoad {
  const samples: RequestSample[] = [];
  const ledger: AckedWrite[] = [];
  const controller = new AbortController();
  const isWrite = (seq: number) => seq % opts.writeEvery === 0;
  const readPath = checkedReadPath(opts.check);
  const onResult = (r: RequestRecord) => {
    const kind = r.tags.kind === 'write' ? 'write' : 'read';
    const incorrect = kind === 'read' && opts.check !== undefined && r.status >= 200 && r.status < 300 && !readIsCorrect(r.body, opts.check);
    const sample: RequestSample = { kind, seq: r.seq, scheduledAt: r.scheduledAt, endedAt: r.endedAt, latencyMs: r.latencyMs, status: r.status, ok: r.ok && !incorrect, dropped: r.dropped };
    if (incorrect) sample.incorrect = true;
    samples.push(sample);
    if (kind === 'write' && r.ok) ledger.push({ seq: r.seq, ackedAt: r.endedAt });
  };
  const done = runOpenModel({
    target: opts.target,
    ratePerSecond: opts.ratePerSecond,
    durationSeconds: MAX_SECONDS,
    timeoutMs: opts.timeoutMs,
    signal: controller.signal,
    // Reads are judged on their content; the bodies are dropped once judged.
    captureBody: opts.check !== undefined,
    // A write is acknowledged only by 201/200 from POST /writes: the row is committed.
    isOk: (status) => status >= 200 && status < 300,
    request: ({ seq }) =>
      isWrite(seq)
        ? {
            method: 'POST',
            path: '/writes',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ seq, run: opts.runId }),
            tags: { kind: 'write' },
          }
        : { path: readPath, tags: { kind: 'read' } },
    onResult: (r) => {
      onResult(r);
      delete r.body;
    },
  });
  return {
    samples,
    ledger,
    startedAt: Date.now(),
    stop: async () => {
      controller.abort();
      return done;
    },
  };
}
