// Label values with bounded cardinality: whatever clients send, the series count stays fixed.

/** HTTP methods known to OTel semconv; anything else is reported as `_OTHER`. */
export const KNOWN_METHODS: readonly string[] = ['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE'];
export const OTHER_METHOD = '_OTHER';

export function methodLabeler(known: readonly string[] = KNOWN_METHODS): (method: string | undefined) => string {
  const set = new Set(known.map((m) => m.toUpperCase()));
  return (method) => (method !== undefined && set.has(method) ? method : OTHER_METHOD);
}

const STATUS_TEXT: string[] = [];
for (let code = 100; code < 600; code++) STATUS_TEXT[code] = String(code);

/** Node only lets 100-999 through writeHead; precomputed strings avoid an allocation per request. */
export function statusLabel(code: number): string {
  return STATUS_TEXT[code] ?? (Number.isInteger(code) && code >= 100 && code <= 999 ? String(code) : '');
}

/**
 * Caps the distinct status codes like routes and methods: the first `max` codes are kept as seen; later
 * new codes collapse into their class (`5XX`), so a client sending hundreds of odd codes adds at most nine
 * series, and `code=~"5.."`-style queries still count them in the right class.
 */
export class BoundedStatus {
  private readonly seen = new Set<string>();
  constructor(readonly max: number) {}

  label(code: number): string {
    const text = statusLabel(code);
    if (text === '' || this.seen.has(text)) return text;
    if (this.seen.size >= this.max) return `${text[0]}XX`;
    this.seen.add(text);
    return text;
  }
}

/**
 * Caps the distinct values one label can take. The first `max` values are kept as seen;
 * later new values collapse into `overflow`, so a flood of new values adds at most one series.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();
  constructor(
    readonly max: number,
    readonly overflow: string,
  ) {}

  label(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return this.overflow;
    this.seen.add(value);
    return value;
  }

  get size(): number {
    return this.seen.size;
  }
}
