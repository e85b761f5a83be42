// What a correct read is during a game day: the rows seeded before the run ("<prefix><i>" with quantity i,
// i = 1..rows), exactly. A 200 with rows missing (a bad bulk delete), changed or from another point in
// time is corruption or stale data, and counts as a failed request, so RTO ends only when clients read
// the right data again — not when the service merely answers. The k6 script applies the same rule.
import type { ReadCheck } from './load.ts';

/** The read path without the prefix: a limit that lets every seeded row through (the k6 script adds the prefix). */
export function checkedReadBase(check: ReadCheck | undefined): string {
  return `/items?limit=${Math.max(1000, check?.rows ?? 0)}`;
}

/** The read path for a check: every row the run seeded, filtered by its prefix. */
export function checkedReadPath(check: ReadCheck | undefined): string {
  return check ? `${checkedReadBase(check)}&prefix=${encodeURIComponent(check.prefix)}` : '/items?limit=10';
}

export function seededRow(check: ReadCheck, i: number): { name: string; quantity: number } {
  return { name: `${check.prefix}${i}`, quantity: i };
}

export function readIsCorrect(body: string | undefined, check: ReadCheck): boolean {
  let items: unknown;
  try {
    items = (JSON.parse(body ?? '') as { items?: unknown }).items;
  } catch {
    return false;
  }
  if (!Array.isArray(items) || items.length !== check.rows) return false;
  const seen = new Map<unknown, unknown>(items.map((it: { name?: unknown; quantity?: unknown }) => [it?.name, it?.quantity]));
  for (let i = 1; i <= check.rows; i++) {
    const row = seededRow(check, i);
    if (seen.get(row.name) !== row.quantity) return false;
  }
  return true;
}
