// Asks a source for the counts each SLO's report needs and turns them into reports (and, for HTML,
// burn-down samples). Queries per SLO: the window, the last week, and each distinct burn window.
import type { SolidaModel, Slo } from '../slo/model.ts';
import { burnWindows, computeBudget, type EventCounts, type SloBudgetReport } from './arithmetic.ts';
import { DEFAULT_POLICY, type BudgetPolicy } from './policy.ts';
import type { BudgetSource } from './source.ts';
import { reportWindow, type CalendarPeriod, type ReportWindow } from './window.ts';

export interface BurnDownPoint {
  /** ms since epoch. */
  t: number;
  /** Budget remaining (1 = untouched, may go below 0). */
  remaining: number;
}

export interface SloReportEntry {
  report: SloBudgetReport;
  /** Budget remaining over the window, when asked for; empty without data. */
  burnDown?: BurnDownPoint[];
}

export interface CollectOptions {
  at: Date;
  period?: CalendarPeriod;
  policy?: BudgetPolicy;
  burnDown?: boolean;
  /** Samples per burn-down chart. */
  burnDownSamples?: number;
}

export interface CollectResult {
  entries: SloReportEntry[];
  /** SLOs the source cannot read, with why. */
  skipped: { id: string; reason: string }[];
}

export async function collectReports(model: SolidaModel, source: BudgetSource, opts: CollectOptions): Promise<CollectResult> {
  const entries: SloReportEntry[] = [];
  const skipped: CollectResult['skipped'] = [];
  for (const slo of model.slos) {
    if (!source.supports(slo)) {
      skipped.push({ id: slo.id, reason: `${slo.sli.source} SLI, not readable from this source` });
      continue;
    }
    entries.push(await collectOne(slo, source, opts));
  }
  return { entries, skipped };
}

/** The windows (seconds, ending at `window.end`) whose event counts one SLO's budget needs: the window, the last week, each burn window. */
export function budgetWindowSeconds(slo: Slo, window: ReportWindow, policy: BudgetPolicy): number[] {
  return [...(window.elapsedSeconds > 0 ? [window.elapsedSeconds] : []), policy.weekSeconds, ...burnWindows(slo).map((w) => w.seconds)];
}

/** One SLO's budget over `window`: the counts a report needs (window, last week, each burn window), then the arithmetic. */
export async function readBudget(slo: Slo, source: BudgetSource, window: ReportWindow, policy: BudgetPolicy): Promise<{ report: SloBudgetReport; overWindow: EventCounts | null }> {
  const windows = burnWindows(slo);
  const [overWindow, lastWeek, ...burns] = await Promise.all([
    window.elapsedSeconds > 0 ? source.events(slo, window.elapsedSeconds, window.end) : Promise.resolve(null),
    source.events(slo, policy.weekSeconds, window.end),
    ...windows.map((w) => source.events(slo, w.seconds, window.end)),
  ]);
  const byWindow = new Map<string, EventCounts | null>(windows.map((w, i) => [w.text, burns[i]]));
  return { report: computeBudget(slo, { window, overWindow, lastWeek, byWindow }, policy), overWindow };
}

async function collectOne(slo: Slo, source: BudgetSource, opts: CollectOptions): Promise<SloReportEntry> {
  // The SLO's own policy (from its config) unless the caller overrides it.
  const policy = opts.policy ?? slo.budgetPolicy ?? DEFAULT_POLICY;
  const window = reportWindow(slo.window, opts.at, opts.period);
  const { report, overWindow } = await readBudget(slo, source, window, policy);
  if (!opts.burnDown) return { report };
  if (!overWindow) return { report, burnDown: [] };
  return { report, burnDown: await burnDownPoints(slo, source, window, overWindow.total, opts.burnDownSamples ?? 120) };
}

/**
 * Budget remaining at the end of each step of the window that has data. Only real samples: no point is
 * invented at the window's start, so ten minutes of data draw as ten minutes, not as a slope from the
 * start of a 30-day window. `windowTotal` is the window's event count, so the last point equals `consumed`.
 */
export async function burnDownPoints(slo: Slo, source: BudgetSource, window: ReportWindow, windowTotal: number, samples = 120): Promise<BurnDownPoint[]> {
  const step = Math.max(60, Math.round(window.periodSeconds / samples));
  const steps = await source.steps(slo, window.start, window.end, step);
  const allowed = slo.errorBudget * windowTotal;
  let errors = 0;
  const burnDown: BurnDownPoint[] = [];
  for (const s of steps) {
    errors += s.errors;
    burnDown.push({ t: s.t, remaining: 1 - errors / allowed });
  }
  return burnDown;
}
