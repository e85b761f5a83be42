// A fast path for the one line shape that makes up nearly all of a k6 NDJSON file:
//   {"metric":"NAME","type":"Point","data":{"time":"RFC3339","value":NUMBER,"tags":{...}}}
// k6 writes these keys in this order. A long test's file has tens of millions of such lines but only a
// few hundred distinct tag sets and metric names and one distinct minute per minute, so those are
// parsed once and recognised afterwards by comparing text in place, without slicing the line. Anything
// that deviates from the shape by a byte (other key order, metadata, escapes, whitespace, a truncated
// line, a time Date.parse might read differently) returns undefined and is read by JSON.parse instead,
// so the fast path can only be faster, never more lenient.

export interface FastPoint {
  metric: string;
  time: number;
  value: number;
  tags: Record<string, string>;
}

/**
 * The line up to its tags, in JSON's grammar and k6's key order: a name without escapes or control
 * characters, an RFC 3339 time with seconds 00-59, a JSON number. None of it can match a line break,
 * so a match never runs past the line.
 */
const SHAPE =
  /\{"metric":"[^"\\\x00-\x1f]+","type":"Point","data":\{"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)","value":-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?,"tags":/y;
const HEAD = '{"metric":"';
const MID = '","type":"Point","data":{"time":"';
const VALUE = '","value":';
const TAGS = ',"tags":';
const TAIL = '}}';
/** 'YYYY-MM-DDTHH:MM:' — the part of a time shared by a minute's lines. */
const MINUTE_LEN = 17;

const ZERO = 0x30;
const NINE = 0x39;

/** Exact powers of ten: an integer mantissa below 2^53 divided or multiplied by one is correctly rounded. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const MAX_EXACT_DIGITS = 15;

/** Bounded so memory stays flat however many distinct names or tag sets a hostile file holds. */
const CACHE_LIMIT = 4096;
/** Tag sets compared in place before a slice-and-hash lookup: k6 interleaves a few requests' lines. */
const RECENT_TAGS = 8;

/** Cached text recognised in place: irregexp matches a literal several times faster than startsWith does. */
class Literal {
  private readonly re: RegExp | undefined;
  readonly length: number;

  constructor(readonly text: string) {
    this.length = text.length;
    // Irregexp refuses very long patterns; such rare texts are compared with startsWith.
    this.re = text.length <= LITERAL_REGEX_MAX ? new RegExp(text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'), 'y') : undefined;
  }

  /** Whether s holds exactly this text at `at`. */
  at(s: string, at: number): boolean {
    if (this.re === undefined) return s.startsWith(this.text, at);
    this.re.lastIndex = at;
    return this.re.test(s);
  }
}
const LITERAL_REGEX_MAX = 2048;

interface TagsEntry {
  text: Literal;
  tags: Record<string, string>;
}

/**
 * A copy that does not keep the decoded chunk it was sliced from alive: cached keys outlive chunks,
 * and a sliced string would pin a whole chunk per cache entry.
 */
function detach(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

export class PointLineParser {
  private namesByLength: Literal[][] = [];
  private nameCount = 0;
  private tagsByText = new Map<string, Record<string, string>>();
  private recentTags: TagsEntry[] = [];
  private minuteBase = new Map<string, number>();
  /** Never matches before the first time is read: no time starts with a quote. */
  private lastMinute = new Literal('"');
  private lastZone = '';
  private lastMinuteMs = 0;

  /** The Point in line, or undefined when the line is not of the usual shape. */
  parse(line: string): FastPoint | undefined {
    return this.parseAt(line, 0, line.length);
  }

  /** As parse, for the line s[start, end) (no line break inside): lines are read in place in a decoded chunk. */
  parseAt(s: string, start: number, end: number): FastPoint | undefined {
    // One native pass checks the whole shape up to the tags; what follows only reads known positions.
    SHAPE.lastIndex = start;
    if (!SHAPE.test(s)) return undefined;
    const tagsStart = SHAPE.lastIndex;
    const tagsEnd = end - TAIL.length;
    if (tagsEnd <= tagsStart || !s.startsWith(TAIL, tagsEnd)) return undefined;
    const nameStart = start + HEAD.length;
    const nameEnd = s.indexOf('"', nameStart);
    const timeStart = nameEnd + MID.length;
    const time = this.time(s, timeStart);
    if (time === undefined) return undefined;
    const value = this.number(s, this.timeEnd + VALUE.length, tagsStart - TAGS.length);
    const tags = this.tags(s, tagsStart, tagsEnd);
    if (tags === undefined) return undefined;
    return { metric: this.name(s, nameStart, nameEnd), time, value, tags };
  }

  /** The same string instance for every line of a metric, so callers' map lookups hash it once. */
  private name(s: string, from: number, to: number): string {
    const len = to - from;
    // k6's metric names mostly differ in length: a handful of candidates, compared in place.
    const candidates = this.namesByLength[len];
    if (candidates !== undefined) {
      for (let k = 0; k < candidates.length; k++) {
        if (candidates[k].at(s, from)) return candidates[k].text;
      }
    }
    const name = detach(s.slice(from, to));
    if (++this.nameCount > CACHE_LIMIT) {
      this.namesByLength = [];
      this.nameCount = 1;
    }
    (this.namesByLength[len] ??= []).push(new Literal(name));
    return name;
  }

  /** undefined: not a flat object or null (let JSON.parse decide). null tags read as {}, as the general path does. */
  private tags(s: string, from: number, to: number): Record<string, string> | undefined {
    const len = to - from;
    const recent = this.recentTags;
    for (let k = 0; k < recent.length; k++) {
      const e = recent[k];
      if (e.text.length === len && e.text.at(s, from)) {
        // Move to front: the next line most likely has the same tags.
        for (let j = k; j > 0; j--) recent[j] = recent[j - 1];
        recent[0] = e;
        return e.tags;
      }
    }
    const text = s.slice(from, to);
    let tags = this.tagsByText.get(text);
    if (tags === undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return undefined;
      }
      if (parsed === null) tags = Object.freeze({}) as Record<string, string>;
      else if (typeof parsed === 'object' && !Array.isArray(parsed)) tags = Object.freeze(parsed as Record<string, string>);
      else return undefined;
      if (this.tagsByText.size >= CACHE_LIMIT) this.tagsByText.clear();
      this.tagsByText.set(detach(text), tags);
    }
    recent.unshift({ text: new Literal(detach(text)), tags });
    if (recent.length > RECENT_TAGS) recent.pop();
    return tags;
  }

  /** Where the last time read ended (its closing quote). */
  private timeEnd = 0;

  /**
   * Epoch ms of the time at t, which SHAPE checked: 'YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)'.
   * Date.parse reads each distinct minute and zone once; seconds and milliseconds are added here.
   * Date.parse keeps milliseconds only; so does this (k6's nanoseconds are truncated, as there).
   */
  private time(s: string, t: number): number | undefined {
    let p = t + MINUTE_LEN;
    const sec = (s.charCodeAt(p) - ZERO) * 10 + (s.charCodeAt(p + 1) - ZERO);
    p += 2;
    let ms = 0;
    if (s.charCodeAt(p) === 0x2e /* . */) {
      p++;
      const fracStart = p;
      while (isDigit(s.charCodeAt(p))) p++;
      const digits = p - fracStart;
      ms = (s.charCodeAt(fracStart) - ZERO) * 100;
      if (digits > 1) ms += (s.charCodeAt(fracStart + 1) - ZERO) * 10;
      if (digits > 2) ms += s.charCodeAt(fracStart + 2) - ZERO;
    }
    const zoneStart = p;
    p += s.charCodeAt(p) === 0x5a /* Z */ ? 1 : 6;
    this.timeEnd = p;

    if (this.lastMinute.at(s, t) && this.sameZone(s, zoneStart, p)) return this.lastMinuteMs + sec * 1000 + ms;
    // Hour 24 is midnight of the next day to Date.parse at minute 00 second 00 only: leave it to it.
    if (s.charCodeAt(t + 11) === 0x32 && s.charCodeAt(t + 12) === 0x34) return undefined;
    const minuteText = s.slice(t, t + MINUTE_LEN);
    const zoneText = s.slice(zoneStart, p);
    const key = minuteText + zoneText;
    let base = this.minuteBase.get(key);
    if (base === undefined) {
      // Date.parse checks the date (month 13, February 30th…) and the zone as the general path would.
      base = Date.parse(`${minuteText}00${zoneText}`);
      if (Number.isNaN(base)) return undefined;
      if (this.minuteBase.size >= CACHE_LIMIT) this.minuteBase.clear();
      this.minuteBase.set(detach(key), base);
    }
    this.lastMinute = new Literal(detach(minuteText));
    this.lastZone = detach(zoneText);
    this.lastMinuteMs = base;
    return base + sec * 1000 + ms;
  }

  private sameZone(s: string, from: number, to: number): boolean {
    const zone = this.lastZone;
    if (zone.length !== to - from) return false;
    for (let k = 0; k < zone.length; k++) if (s.charCodeAt(from + k) !== zone.charCodeAt(k)) return false;
    return true;
  }

  /**
   * The JSON number s[p, end), which SHAPE checked, as Number() reads it: up to 15 significant digits
   * without exponent exactly by integer arithmetic (one correctly rounded division), the rest by Number().
   */
  private number(s: string, p: number, end: number): number {
    const start = p;
    const neg = s.charCodeAt(p) === 0x2d;
    if (neg) p++;
    let mantissa = 0;
    let digits = 0;
    let scale = -1;
    for (; p < end; p++) {
      const c = s.charCodeAt(p);
      if (c === 0x2e) scale = 0;
      else if (c > NINE || c < ZERO)
        return Number(s.slice(start, end)); // an exponent
      else {
        mantissa = mantissa * 10 + (c - ZERO);
        if (mantissa !== 0) digits++;
        if (scale >= 0) scale++;
      }
    }
    if (digits > MAX_EXACT_DIGITS || scale >= POW10.length) return Number(s.slice(start, end));
    const v = scale <= 0 ? mantissa : mantissa / POW10[scale];
    return neg ? -v : v;
  }
}
