// One SLO's detail, read on demand: the burn-down over its window, recent requests and errors, the error
// ratio of each tier's windows against its threshold, the explain figures, game days and queries.
// Each chart is read on its own: one failing query leaves the others on the page, with the problem named.
import type { Slo, SolidaModel } from '../slo/model.ts';
import { explainSlo } from '../slo/explain.ts';
import { burnDownPoints } from '../budget/collect.ts';
import { reportWindow } from '../budget/window.ts';
import type { ChartPoint } from '../util/svg-chart.ts';
import type { ViewBackend } from './backend.ts';
import { latestForService, readGamedays } from './gamedays.ts';
import { messageOf } from './live.ts';
import type { SloDetail, SloRow, TierSeries } from './model.ts';
import { sloQueries } from './queries.ts';

export interface DetailOptions {
  at: Date;
  /** Span of the request and error-ratio charts. */
  recentSeconds?: number;
  /** Directory of game-day JSON reports. */
  gamedayDir?: string;
}

const SAMPLES = 120;

export async function readDetail(model: SolidaModel, slo: Slo, row: SloRow, backend: ViewBackend, opts: DetailOptions): Promise<SloDetail> {
  const recent = opts.recentSeconds ?? 6 * 3600;
  const end = opts.at;
  const start = new Date(end.getTime() - recent * 1000);
  const step = Math.max(60, Math.round(recent / SAMPLES));
  const window = reportWindow(slo.window, end);
  const problems: string[] = [];
  const attempt = async <T>(what: string, fallback: T, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      problems.push(`${what}: ${messageOf(err)}`);
      return fallback;
    }
  };
  const supported = backend.budget.supports(slo);
  const [burnDown, traffic, tierSeries, gamedays] = await Promise.all([
    attempt('burn-down', [] as ChartPoint[], async () => {
      if (!supported || window.elapsedSeconds <= 0) return [];
      const total = await backend.budget.events(slo, window.elapsedSeconds, window.end);
      if (!total) return [];
      const points = await burnDownPoints(slo, backend.budget, window, total.total, SAMPLES);
      return points.map((p) => ({ t: p.t, v: p.remaining }));
    }),
    attempt('requests', { requests: [] as ChartPoint[], errors: [] as ChartPoint[] }, async () => {
      if (!supported) return { requests: [], errors: [] };
      const steps = await backend.budget.steps(slo, start, end, step);
      return { requests: steps.map((s) => ({ t: s.t, v: s.total / step })), errors: steps.map((s) => ({ t: s.t, v: s.errors / step })) };
    }),
    attempt('error ratio per tier', [] as TierSeries[], async () => {
      const ratio = backend.ratioSeries?.bind(backend);
      if (!supported || !ratio) return [];
      const tiers = slo.alerting.tiers.filter((t) => t.enabled);
      return Promise.all(tiers.map(async (t): Promise<TierSeries> => {
        const [long, short] = await Promise.all([ratio(slo, t.longWindow.seconds, start, end, step), ratio(slo, t.shortWindow.seconds, start, end, step)]);
        return { tier: t.name, threshold: t.burnRate * slo.errorBudget, long: { window: t.longWindow.text, points: long }, short: { window: t.shortWindow.text, points: short } };
      }));
    }),
    opts.gamedayDir ? readGamedays(opts.gamedayDir) : Promise.resolve([]),
  ]);
  const explained = explainSlo(slo, model);
  return {
    row,
    description: slo.description ?? null,
    errorBudget: slo.errorBudget,
    windowStart: window.start.toISOString(),
    windowClose: window.close.toISOString(),
    burnDown,
    requests: traffic.requests,
    errors: traffic.errors,
    tierSeries,
    explain: explained.tiers,
    warnings: explained.warnings,
    gamedays: latestForService(gamedays, model.slos, slo.service),
    queries: sloQueries(model, slo),
    recentSpanMs: recent * 1000,
    problems,
  };
}
