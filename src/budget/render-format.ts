// Number wording shared by the Markdown and HTML reports, so both say the same thing the same way.
export const percent = (x: number | null, digits = 1): string => (x === null ? 'no data' : `${(x * 100).toFixed(digits)}%`);

/** SLIs need more digits than budgets: 99.95% vs 99.9% matters. */
export const sliPercent = (x: number | null): string => (x === null ? 'no data' : `${(x * 100).toFixed(3)}%`);

export const burn = (x: number | null): string => (x === null ? 'no data' : `${x.toFixed(2)}×`);

export function minutes(x: number | null): string {
  if (x === null) return 'no data';
  const sign = x < 0 ? '-' : '';
  const m = Math.abs(x);
  return m >= 120 ? `${sign}${(m / 60).toFixed(1)} h` : `${sign}${m.toFixed(1)} min`;
}

export function duration(seconds: number | null): string {
  if (seconds === null) return 'not burning';
  if (seconds === 0) return 'exhausted';
  if (seconds < 3600) return `${(seconds / 60).toFixed(0)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

export const count = (x: number | null): string => (x === null ? 'no data' : Math.round(x).toLocaleString('en-US'));

export const STATUS_LABEL: Record<string, string> = {
  ok: 'OK',
  'feature-freeze': 'FEATURE FREEZE',
  'fixes-only': 'FIXES ONLY',
  'no-data': 'NO DATA',
};
