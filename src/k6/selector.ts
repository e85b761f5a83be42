// k6 metric keys with a tag filter (`http_req_duration{scenario:steady,name:/items}`), parsed the way
// k6 parses threshold keys: split on commas, then on the FIRST colon (values such as URLs keep theirs),
// trim spaces and surrounding quotes.

export interface MetricSelector {
  name: string;
  tags: Record<string, string>;
}

const KEY_RE = /^\s*([^{}\s]+)\s*(?:\{(.*)\})?\s*$/s;

export function parseMetricKey(key: string): MetricSelector | undefined {
  const m = KEY_RE.exec(key);
  if (!m) return undefined;
  const tags: Record<string, string> = {};
  if (m[2] !== undefined && m[2].trim() !== '') {
    for (const part of m[2].split(',')) {
      const colon = part.indexOf(':');
      if (colon <= 0) return undefined;
      const k = part.slice(0, colon).trim();
      const v = part.slice(colon + 1).trim().replace(/^(["'])(.*)\1$/s, '$2');
      if (!k) return undefined;
      tags[k] = v;
    }
  }
  return { name: m[1], tags };
}

/** Canonical key: tags in the order given (k6 keeps the script's spelling, so we do too). */
export function formatMetricKey(sel: MetricSelector): string {
  const entries = Object.entries(sel.tags);
  if (entries.length === 0) return sel.name;
  return `${sel.name}{${entries.map(([k, v]) => `${k}:${v}`).join(',')}}`;
}

/** Order-insensitive identity, to match `{a:1,b:2}` with `{b:2,a:1}`. */
export function selectorIdentity(sel: MetricSelector): string {
  const tags = Object.entries(sel.tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([sel.name, tags]);
}

export function selectorMatches(sel: MetricSelector, metric: string, tags: Record<string, string> | null | undefined): boolean {
  if (sel.name !== metric) return false;
  for (const [k, v] of Object.entries(sel.tags)) {
    if (!tags || tags[k] !== v) return false;
  }
  return true;
}
