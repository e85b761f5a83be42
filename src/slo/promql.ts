// PromQL checks with the Prometheus project's own grammar, so a typo in a spec's query is caught when
// the spec is read, not when Prometheus loads the generated rules.
import { parser } from '@prometheus-io/lezer-promql';

export const WINDOW_PLACEHOLDER = '{{.window}}';

export interface PromQLError {
  /** Offset of the first syntax error in the query text. */
  offset: number;
  message: string;
}

/** Returns the first syntax error, or undefined when the query parses. `{{.window}}` is accepted. */
export function checkPromQL(query: string): PromQLError | undefined {
  const text = renderWindow(query, '5m');
  if (text.trim() === '') return { offset: 0, message: 'empty query' };
  const tree = parser.parse(text);
  let error: PromQLError | undefined;
  tree.iterate({
    enter: (node) => {
      if (error) return false;
      if (node.type.isError) {
        // Map the offset back through the placeholder substitution for the caret.
        const offset = mapOffset(query, node.from);
        const near = text.slice(node.from, node.from + 12);
        error = { offset, message: near ? `syntax error near "${near}"` : 'unexpected end of query' };
        return false;
      }
      return undefined;
    },
  });
  return error;
}

/** A two-line picture of where the error is: the query and a caret under the offset. */
export function caret(query: string, offset: number): string {
  return `${query}\n${' '.repeat(Math.max(0, offset))}^`;
}

/** True when the whole query is one vector selector such as `http_requests_total{job="x"}`. */
export function isVectorSelector(query: string): boolean {
  const text = query.trim();
  const tree = parser.parse(text);
  const top = tree.topNode.firstChild;
  return !!top && top.type.name === 'VectorSelector' && top.from === 0 && top.to === text.length && !checkPromQL(text);
}

export function renderWindow(template: string, window: string): string {
  return template.split(WINDOW_PLACEHOLDER).join(window);
}

function mapOffset(template: string, renderedOffset: number): number {
  const parts = template.split(WINDOW_PLACEHOLDER);
  let rendered = 0;
  let original = 0;
  for (let i = 0; i < parts.length; i++) {
    const len = parts[i].length;
    if (renderedOffset <= rendered + len) return original + (renderedOffset - rendered);
    rendered += len + 2; // '5m'
    original += len + WINDOW_PLACEHOLDER.length;
  }
  return template.length;
}

/**
 * Adds label matchers to a vector selector: `m{a="1"}` + `le="0.3"` → `m{a="1",le="0.3"}`.
 * Matchers are given as text without braces.
 */
export function withMatchers(selector: string, extra: string[]): string {
  const s = selector.trim();
  const open = s.indexOf('{');
  if (open === -1) return extra.length ? `${s}{${extra.join(',')}}` : s;
  const name = s.slice(0, open);
  const inner = s.slice(open + 1, s.lastIndexOf('}')).trim().replace(/,\s*$/, '');
  const all = [inner, ...extra].filter((x) => x.length > 0);
  return `${name}{${all.join(',')}}`;
}

/** A PromQL double-quoted string literal (label matcher values): backslashes, quotes and line breaks escaped. */
export function promqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}
