// A refresh of many SLOs asks for the same few windows (30d, 7d, 5m … 3d) of every SLO at one instant. When
// the source can answer many SLOs per query (`eventsMany`), those counts are read first, grouped by window,
// and the per-SLO budget arithmetic then reads them from memory: a thousand SLOs cost a few dozen queries
// instead of twenty thousand. Anything the batch did not answer is read one SLO at a time, as before.
import type { Slo } from '../slo/model.ts';
import type { EventCounts } from './arithmetic.ts';
import { budgetWindowSeconds } from './collect.ts';
import type { BudgetSource } from './source.ts';
import { reportWindow } from './window.ts';

const key = (id: string, seconds: number, at: Date) => `${id}\u0000${seconds}\u0000${at.getTime()}`;

/**
 * A source that answers `events` of `slos` at `at` from batched reads of `source` (each SLO with its own
 * policy's look-back). `limit` caps the batches in flight.
 */
export async function prefetchEvents(source: BudgetSource, slos: Slo[], at: Date, limit = 4): Promise<BudgetSource> {
  const many = source.eventsMany?.bind(source);
  if (!many) return source;
  const bySeconds = new Map<number, { slos: Slo[]; end: Date }>();
  for (const slo of slos) {
    if (!source.supports(slo)) continue;
    const window = reportWindow(slo.window, at);
    for (const seconds of budgetWindowSeconds(slo, window, slo.budgetPolicy)) {
      // Every window ends at `at` here (rolling and current calendar periods alike).
      const group = bySeconds.get(seconds) ?? { slos: [], end: window.end };
      group.slos.push(slo);
      bySeconds.set(seconds, group);
    }
  }
  const memo = new Map<string, EventCounts | null | Error>();
  const groups = [...bySeconds.entries()];
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const [seconds, { slos: members, end }] = groups[next++];
      // A batch that fails as a whole (Prometheus down, a scalar SLI) leaves its SLOs to be read one by one,
      // so each row gets its own error message.
      const answer = await many(members, seconds, end).catch(() => undefined);
      for (const [id, value] of answer ?? []) memo.set(key(id, seconds, end), value);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, groups.length) }, worker));
  return {
    supports: (slo) => source.supports(slo),
    events: async (slo, windowSeconds, end) => {
      const hit = memo.get(key(slo.id, windowSeconds, end));
      if (hit instanceof Error) throw hit;
      return hit !== undefined ? hit : source.events(slo, windowSeconds, end);
    },
    steps: (slo, start, end, step) => source.steps(slo, start, end, step),
  };
}
