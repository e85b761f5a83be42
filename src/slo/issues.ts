// zod issues → problems people can act on: bracketed field paths, plain wording, and a fix
// (for a misspelt field, the closest known field name).
import type { z } from 'zod';
import type { Problem } from '../util/errors.ts';

export function formatPath(path: PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(top level)';
}

export function zodProblems(error: z.ZodError, schema: z.ZodType, file: string): Problem[] {
  return error.issues.flatMap((issue) => toProblems(issue, schema, file));
}

function toProblems(issue: z.core.$ZodIssue, schema: z.ZodType, file: string): Problem[] {
  const path = formatPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(schema, issue.path);
      return issue.keys.map((key) => {
        const guess = closest(key, known);
        return {
          file,
          path: formatPath([...issue.path, key]),
          message: `unknown field "${key}"`,
          fix: guess ? `did you mean "${guess}"?` : known.length ? `remove it; known fields here: ${known.join(', ')}` : 'remove it',
        };
      });
    }
    case 'invalid_type': {
      const received = (issue as { input?: unknown }).input;
      if (received === undefined) return [{ file, path, message: 'is required', fix: `add ${String(issue.path[issue.path.length - 1] ?? 'it')} (${issue.expected})` }];
      return [{ file, path, message: `expected ${issue.expected}, got ${describe(received)}`, fix: `write ${/^[aeiou]/.test(String(issue.expected)) ? 'an' : 'a'} ${issue.expected}${issue.expected === 'object' ? ' (indented fields under the key)' : ''}` }];
    }
    case 'invalid_value':
      return [{ file, path, message: issue.message, fix: `use one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` }];
    case 'too_small':
    case 'too_big':
      return [{ file, path, message: issue.message, fix: rangeFix(issue.path) }];
    case 'invalid_union':
      return [{ file, path, message: 'does not match any accepted form', fix: unionFix(issue.path) }];
    default:
      return [{ file, path, message: issue.message }];
  }
}

function rangeFix(path: PropertyKey[]): string | undefined {
  const last = String(path[path.length - 1]);
  if (last === 'objective') return 'write a percentage above 0 and below 100, e.g. 99.9';
  return undefined;
}

function unionFix(path: PropertyKey[]): string | undefined {
  const last = String(path[path.length - 1]);
  if (last === 'window') return 'write a rolling window such as 30d, or { calendar: month } / { calendar: week }';
  if (last === 'threshold' || last === 'latencyThreshold') return 'write seconds (0.3) or a duration (300ms)';
  return undefined;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}

interface ZodDefLike {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
}

function def(schema: z.ZodType): ZodDefLike {
  return schema._zod.def as ZodDefLike;
}

/** Walks the schema along an issue path to list the fields the object there accepts. */
function knownKeys(schema: z.ZodType, path: PropertyKey[]): string[] {
  let node: z.ZodType | undefined = schema;
  const unwrap = (s: z.ZodType): z.ZodType => {
    let d = def(s);
    while ((d.type === 'optional' || d.type === 'default' || d.type === 'nullable') && d.innerType) {
      s = d.innerType;
      d = def(s);
    }
    if (d.type === 'union' && d.options) return d.options.find((o) => def(unwrapShallow(o)).type === 'object') ?? s;
    return s;
  };
  for (const key of path) {
    if (!node) return [];
    node = unwrap(node);
    const d = def(node);
    if (d.type === 'object' && d.shape) node = d.shape[String(key)];
    else if (d.type === 'array') node = d.element;
    else if (d.type === 'record') node = d.valueType;
    else return [];
  }
  if (!node) return [];
  const d = def(unwrap(node));
  return d.type === 'object' && d.shape ? Object.keys(d.shape) : [];
}

function unwrapShallow(s: z.ZodType): z.ZodType {
  const d = def(s);
  return d.type === 'optional' && d.innerType ? d.innerType : s;
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = levenshtein(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) { best = c; bestDistance = d; }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}
