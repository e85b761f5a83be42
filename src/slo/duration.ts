// Prometheus-style durations (5m, 1h30m, 30d, 1w): parsed once, carried as text + seconds.
import type { Duration } from './model.ts';

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
const DURATION_RE = /^(?:(\d+)(ms|s|m|h|d|w|y))+$/;
const PART_RE = /(\d+)(ms|s|m|h|d|w|y)/g;

export function parseDuration(text: string): Duration | undefined {
  const trimmed = text.trim();
  if (!DURATION_RE.test(trimmed)) return undefined;
  let seconds = 0;
  for (const m of trimmed.matchAll(PART_RE)) seconds += Number(m[1]) * UNIT_SECONDS[m[2]];
  if (seconds <= 0) return undefined;
  return { text: trimmed, seconds };
}

/** The shortest Prometheus text for a number of seconds (used for scaled windows). */
export function formatDuration(seconds: number): string {
  if (seconds <= 0) return '0s';
  const units: [string, number][] = [['w', 604800], ['d', 86400], ['h', 3600], ['m', 60], ['s', 1]];
  // Prefer a single unit when it divides evenly (30d, not 4w2d), like people write windows.
  for (const [u, s] of units) if (seconds % s === 0 && u !== 'w') return `${seconds / s}${u}`;
  let rest = Math.round(seconds);
  let out = '';
  for (const [u, s] of units) {
    if (u === 'w') continue;
    const n = Math.floor(rest / s);
    if (n > 0) { out += `${n}${u}`; rest -= n * s; }
  }
  return out || '0s';
}

export function duration(seconds: number): Duration {
  return { text: formatDuration(seconds), seconds };
}

/** Human wording for explanations: 51.8s, 4.3m, 2.0h. */
export function humanSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'never';
  if (seconds < 120) return `${round(seconds, 1)}s`;
  if (seconds < 7200) return `${round(seconds / 60, 1)}m`;
  if (seconds < 172800) return `${round(seconds / 3600, 1)}h`;
  return `${round(seconds / 86400, 1)}d`;
}

function round(n: number, digits: number): string {
  return n.toFixed(digits).replace(/\.0+$/, '');
}
