// Escaping for the view's HTML: every value from a config, a metric or a report goes through esc().
import { escapeXml } from '../util/escape.ts';

export function esc(value: string | number): string {
  return escapeXml(String(value));
}

/** A query string from parameters, leaving out empty ones. */
export function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
