// Finds game-day reports (`solida gameday … --json FILE`) in a directory so a service's page can show
// its latest DR results. Files that are not game-day reports are passed over; the directory is read
// again on each call, so a game day finished while the view runs shows up without a restart.
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { existsSync } from 'node:fs';
import type { Slo } from '../slo/model.ts';
import type { GamedaySummary } from './model.ts';

export async function readGamedays(dir: string): Promise<GamedaySummary[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const out: GamedaySummary[] = [];
  for (const name of names) {
    try {
      const doc = JSON.parse(await readFile(join(dir, name), 'utf8')) as Record<string, unknown>;
      const summary = summarize(doc, name, dir);
      if (summary) out.push(summary);
    } catch {
      // Not JSON, or not ours: other files may live in the same directory.
    }
  }
  return out.sort((a, b) => b.endedAt.localeCompare(a.endedAt));
}

function summarize(doc: Record<string, unknown>, file: string, dir: string): GamedaySummary | undefined {
  const rto = doc.rto as GamedaySummary['rto'] | undefined;
  const rpo = doc.rpo as (GamedaySummary['rpo'] & { lostWrites: number | null }) | undefined;
  const sli = doc.sli as { slo?: string } | undefined;
  if (typeof doc.scenario !== 'string' || typeof doc.verdict !== 'string' || !rto || !rpo || typeof sli?.slo !== 'string') return undefined;
  const html = `${basename(file, '.json')}.html`;
  return {
    file,
    html: existsSync(join(dir, html)) ? html : null,
    scenario: doc.scenario,
    verdict: doc.verdict,
    endedAt: typeof doc.endedAt === 'string' ? doc.endedAt : '',
    slo: sli.slo,
    rto: { measuredSeconds: rto.measuredSeconds ?? null, objectiveSeconds: rto.objectiveSeconds, met: !!rto.met },
    rpo: { measuredSeconds: rpo.measuredSeconds ?? null, objectiveSeconds: rpo.objectiveSeconds, met: !!rpo.met, lostWrites: rpo.lostWrites ?? null },
    timeToDetectSeconds: typeof doc.timeToDetectSeconds === 'number' ? doc.timeToDetectSeconds : null,
  };
}

/** The latest report per scenario judged against one of the service's SLOs. */
export function latestForService(all: GamedaySummary[], slos: Slo[], service: string): GamedaySummary[] {
  const ids = new Set(slos.filter((s) => s.service === service).map((s) => s.id));
  const latest = new Map<string, GamedaySummary>();
  for (const g of all) if (ids.has(g.slo) && !latest.has(g.scenario)) latest.set(g.scenario, g);
  return [...latest.values()];
}
