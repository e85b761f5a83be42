// Wording of figures in the view (the report's, so both say the same thing the same way).
import { burn, percent, sliPercent, STATUS_LABEL } from '../budget/render-format.ts';
import type { RowState } from './model.ts';

export { burn, percent, sliPercent };

export const STATE_LABEL: Record<RowState, string> = { ...(STATUS_LABEL as Record<Exclude<RowState, 'error'>, string>), error: 'ERROR' };

export function clock(ms: number | null): string {
  return ms === null ? 'never' : `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

/** 25 min, 1.5 h, 3 d: how people say durations (objectives, windows, detection times). */
export function humanDuration(seconds: number | null): string {
  if (seconds === null) return 'n/a';
  if (!Number.isFinite(seconds)) return 'never';
  const round = (x: number) => String(Number(x.toFixed(1)));
  if (seconds < 120) return `${round(seconds)} s`;
  if (seconds < 7200) return `${round(seconds / 60)} min`;
  if (seconds < 172_800) return `${round(seconds / 3600)} h`;
  return `${round(seconds / 86_400)} d`;
}
