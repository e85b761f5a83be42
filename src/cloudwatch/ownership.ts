// Proof that solida wrote a dashboard. Alarms carry an ownership tag; dashboards cannot be tagged through
// PutDashboard, and a marker text alone proves nothing (anyone can paste it). So each generated dashboard
// carries a fingerprint: the SHA-256 of its name and canonical body. A dashboard whose fingerprint matches
// is exactly what solida wrote under that name; a foreign one, a copy under another name, or one edited in
// the console does not match, and is only overwritten with --adopt and never deleted by --prune.
import { createHash } from 'node:crypto';

const LABEL = 'solida-fingerprint: ';
// Same length as a real fingerprint, so stamping never changes the body's size (checked against limits).
export const FINGERPRINT_PLACEHOLDER = `${LABEL}${'0'.repeat(64)}`;
const STAMP = new RegExp(`${LABEL}([0-9a-f]{64})`);

function canonicalText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalText).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalText((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function fingerprint(name: string, unstampedBody: string): string {
  return createHash('sha256').update(`${name}\n${canonicalText(JSON.parse(unstampedBody))}`).digest('hex');
}

/** The body with its placeholder replaced by the fingerprint of (name, body). */
export function stampDashboard(name: string, body: string): string {
  if (!body.includes(FINGERPRINT_PLACEHOLDER)) return body;
  return body.replace(FINGERPRINT_PLACEHOLDER, `${LABEL}${fingerprint(name, body)}`);
}

/** True only when the body is exactly what solida generated for this name. */
export function provesOwnership(name: string, body: string): boolean {
  const m = STAMP.exec(body);
  if (!m || m[1] === '0'.repeat(64)) return false;
  try {
    return fingerprint(name, body.replace(m[0], FINGERPRINT_PLACEHOLDER)) === m[1];
  } catch {
    return false;
  }
}
