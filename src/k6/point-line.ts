// A fast path for the one line shape that makes up nearly all of a k6 NDJSON file:
//   {"metric":"NAME","type":"Point","data":{"time":"ISO","value":NUMBER,"tags":{...}}}
// k6 writes these keys in this order. A long test's file has tens of millions of such lines but only a
// few hundred distinct tag sets and one distinct second per second, so the tags object and the time's
// whole-second part are parsed once and reused. Anything that deviates from the shape by a byte (other
// key order, metadata, escapes in the name, a truncated line) returns undefined and is read by
// JSON.parse instead, so the fast path can only be faster, never more lenient.

export interface FastPoint {
  metric: string;
  time: number;
  value: number;
  tags: Record<string, string>;
}

const HEAD = '{"metric":"';
const MID = '","type":"Point","data":{"time":"';
const VALUE = '","value":';
const TAGS = ',"tags":';
const TAIL = '}}';
/** JSON's number grammar: what JSON.parse accepts, so the fast path accepts nothing more. */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** RFC 3339 as k6 writes it: whole seconds, optional fraction (up to nanoseconds), Z or an offset. */
const TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/** Bounded so memory stays flat however many distinct tag sets a hostile file holds. */
const CACHE_LIMIT = 4096;

export class PointLineParser {
  private tagsCache = new Map<string, Record<string, string> | null>();
  private secondCache = new Map<string, number>();
  // Consecutive lines usually belong to one request (http_reqs, http_req_duration, … share time and
  // tags): comparing with the previous line's text is cheaper than hashing it into a map.
  private lastTagsText = '';
  private lastTags: Record<string, string> | null = null;
  private lastTimeText = '';
  private lastTime = 0;

  parse(line: string): FastPoint | undefined {
    if (!line.startsWith(HEAD)) return undefined;
    const nameEnd = line.indexOf(MID, HEAD.length);
    if (nameEnd < 0) return undefined;
    const metric = line.slice(HEAD.length, nameEnd);
    if (metric.includes('"') || metric.includes('\\')) return undefined;
    const timeStart = nameEnd + MID.length;
    const timeEnd = line.indexOf(VALUE, timeStart);
    if (timeEnd < 0) return undefined;
    const time = this.time(line.slice(timeStart, timeEnd));
    if (time === undefined) return undefined;
    const valueStart = timeEnd + VALUE.length;
    const valueEnd = line.indexOf(TAGS, valueStart);
    if (valueEnd < 0) return undefined;
    const valueText = line.slice(valueStart, valueEnd);
    if (!JSON_NUMBER.test(valueText)) return undefined;
    const tagsStart = valueEnd + TAGS.length;
    if (!line.endsWith(TAIL) || line.length - TAIL.length < tagsStart) return undefined;
    const tags = this.tags(line.slice(tagsStart, line.length - TAIL.length));
    if (tags === undefined) return undefined;
    return { metric, time, value: Number(valueText), tags: tags ?? {} };
  }

  /** undefined: not a flat string map (let JSON.parse decide); null: JSON null. */
  private tags(text: string): Record<string, string> | null | undefined {
    if (text === this.lastTagsText) return this.lastTags;
    const tags = this.lookupTags(text);
    if (tags !== undefined) {
      this.lastTagsText = text;
      this.lastTags = tags;
    }
    return tags;
  }

  private lookupTags(text: string): Record<string, string> | null | undefined {
    const hit = this.tagsCache.get(text);
    if (hit !== undefined || this.tagsCache.has(text)) return hit;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return undefined;
    }
    let tags: Record<string, string> | null;
    if (parsed === null) tags = null;
    else if (typeof parsed === 'object' && !Array.isArray(parsed)) tags = Object.freeze(parsed as Record<string, string>);
    else return undefined;
    if (this.tagsCache.size >= CACHE_LIMIT) this.tagsCache.clear();
    this.tagsCache.set(text, tags);
    return tags;
  }

  private time(text: string): number | undefined {
    if (text === this.lastTimeText) return this.lastTime;
    const t = this.parseTime(text);
    if (t !== undefined) {
      this.lastTimeText = text;
      this.lastTime = t;
    }
    return t;
  }

  private parseTime(text: string): number | undefined {
    const m = TIME.exec(text);
    if (!m) return undefined;
    const key = m[1] + m[3];
    let base = this.secondCache.get(key);
    if (base === undefined) {
      base = Date.parse(`${m[1]}${m[3]}`);
      if (Number.isNaN(base)) return undefined;
      if (this.secondCache.size >= CACHE_LIMIT) this.secondCache.clear();
      this.secondCache.set(key, base);
    }
    // Date.parse keeps milliseconds only; so does this (k6's nanoseconds are truncated, as there).
    return m[2] === undefined ? base : base + Number(m[2].slice(0, 3).padEnd(3, '0'));
  }
}
