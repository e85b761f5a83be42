// The exact interval an SLO is judged over at a given instant: rolling windows end at `at`; calendar
// windows start at the beginning of the UTC month or ISO week (Monday) and end at its close.
import type { SloWindow } from '../slo/model.ts';

export type CalendarPeriod = 'current' | 'previous';

export interface ReportWindow {
  kind: 'rolling' | 'calendar';
  /** 30d, month, week. */
  text: string;
  start: Date;
  /** Where the data ends: `at` for rolling and current calendar periods, the period's close for previous. */
  end: Date;
  /** The period's nominal close (the ideal burn-down line reaches 0 here). */
  close: Date;
  /** Seconds of data actually covered (end - start). */
  elapsedSeconds: number;
  /** Seconds of the whole period (close - start). */
  periodSeconds: number;
}

const DAY = 86_400_000;

export function reportWindow(window: SloWindow, at: Date, period: CalendarPeriod = 'current'): ReportWindow {
  if (window.kind === 'rolling') {
    const start = new Date(at.getTime() - window.duration.seconds * 1000);
    return build('rolling', window.duration.text, start, at, at);
  }
  let start = periodStart(window.unit, at);
  let close = nextPeriodStart(window.unit, start);
  let end = at;
  if (period === 'previous') {
    close = start;
    start = periodStart(window.unit, new Date(start.getTime() - 1));
    end = close;
  }
  return build('calendar', window.unit, start, end, close);
}

function build(kind: ReportWindow['kind'], text: string, start: Date, end: Date, close: Date): ReportWindow {
  return {
    kind,
    text,
    start,
    end,
    close,
    elapsedSeconds: (end.getTime() - start.getTime()) / 1000,
    periodSeconds: (close.getTime() - start.getTime()) / 1000,
  };
}

function periodStart(unit: 'week' | 'month', at: Date): Date {
  if (unit === 'month') return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const midnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const sinceMonday = (at.getUTCDay() + 6) % 7;
  return new Date(midnight - sinceMonday * DAY);
}

function nextPeriodStart(unit: 'week' | 'month', start: Date): Date {
  if (unit === 'month') return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  return new Date(start.getTime() + 7 * DAY);
}
