// k6's NDJSON points turned into the request records and the ledger of acknowledged writes the built-in
// load produces, so RTO/RPO are measured the same way whichever load ran.
//
// One request = one `http_req_duration` point: its time is when the response ended, its value the
// request's duration, its tags the status, method and the script's `op` (read/write); a write's sequence
// id rides on the point's metadata (`seq`). k6 records no scheduled time, so a request counts as started
// at end − duration (connection set-up, `http_req_blocked`, is not included). A `dropped_iterations`
// point is a request the open model could not send (no free VU): a failure, as in the built-in load.
// The ledger comes from `solida_write_acked` points (their metadata `seq`); a script without that counter
// falls back to the writes answered 2xx.
import type { K6PointVisitor } from '../k6/points.ts';
import type { AckedWrite, RequestSample } from './measure.ts';

export const ACKED_METRIC = 'solida_write_acked';

export interface K6LoadRecords {
  samples: RequestSample[];
  readonly ledger: AckedWrite[];
  /** Sent, ok (2xx), failed, dropped, as the built-in load summarises them. */
  summary(): { sent: number; ok: number; failed: number; dropped: number };
}

export interface K6RecordCollector extends K6LoadRecords {
  visitor: K6PointVisitor;
}

function seqOf(metadata: Record<string, string> | undefined): number {
  const seq = Number(metadata?.seq);
  return metadata?.seq !== undefined && Number.isSafeInteger(seq) ? seq : -1;
}

export function collectK6Records(): K6RecordCollector {
  const samples: RequestSample[] = [];
  const acked: AckedWrite[] = [];
  let ackedCounterSeen = false;
  const visitor: K6PointVisitor = {
    onMetric(m) {
      if (m.name === ACKED_METRIC) ackedCounterSeen = true;
    },
    onPoint(p) {
      if (p.metric === 'http_req_duration') {
        const status = Number(p.tags.status ?? 0) || 0;
        const kind = p.tags.op === 'write' || (p.tags.op === undefined && p.tags.method === 'POST') ? 'write' : 'read';
        samples.push({
          kind,
          // Reads carry no sequence id in k6's output (only writes set the metadata).
          seq: kind === 'write' ? seqOf(p.metadata) : -1,
          scheduledAt: p.time - p.value,
          endedAt: p.time,
          latencyMs: p.value,
          status,
          ok: status >= 200 && status < 300,
          dropped: false,
        });
      } else if (p.metric === 'dropped_iterations') {
        for (let i = 0; i < p.value; i++) {
          samples.push({ kind: 'read', seq: -1, scheduledAt: p.time, endedAt: p.time, latencyMs: 0, status: 0, ok: false, dropped: true });
        }
      } else if (p.metric === ACKED_METRIC && p.value > 0) {
        ackedCounterSeen = true;
        const seq = seqOf(p.metadata);
        if (seq >= 0) acked.push({ seq, ackedAt: p.time });
      }
    },
  };
  return {
    visitor,
    samples,
    // Derived on read, so it follows the samples while k6 is still writing.
    get ledger(): AckedWrite[] {
      if (ackedCounterSeen) return acked;
      return samples.filter((s) => s.kind === 'write' && s.ok && s.seq >= 0).map((s) => ({ seq: s.seq, ackedAt: s.endedAt }));
    },
    summary() {
      const dropped = samples.filter((s) => s.dropped).length;
      const sent = samples.length - dropped;
      const ok = samples.filter((s) => s.ok).length;
      return { sent, ok, failed: sent - ok, dropped };
    },
  };
}
