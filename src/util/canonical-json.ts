// The one canonical form plan/apply diffs compare: what is wanted and what AWS returns are written in
// different shapes (key order, unset fields, Dates), so both sides are reduced to this before comparing.
// (Dashboard fingerprints use their own text form, src/cloudwatch/ownership.ts: changing it would orphan
// every dashboard solida has written.)

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * Sorted keys, no undefined or null members, Dates as ISO text: two equal definitions give the same
 * JSON text. dropEmptyLists: an empty list member counts as unset (CloudWatch returns `[]` for lists
 * never given).
 */
export function canonicalJson(value: unknown, opts: { dropEmptyLists?: boolean } = {}): Json {
  const canon = (v: unknown): Json => {
    if (Array.isArray(v)) return v.map(canon);
    if (v instanceof Date) return v.toISOString();
    if (v && typeof v === 'object') {
      const out: Record<string, Json> = {};
      for (const k of Object.keys(v).sort()) {
        const member = (v as Record<string, unknown>)[k];
        if (member === undefined || member === null || (opts.dropEmptyLists && Array.isArray(member) && member.length === 0)) continue;
        out[k] = canon(member);
      }
      return out;
    }
    return v as Json;
  };
  return canon(value);
}
