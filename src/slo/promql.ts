// PromQL checks with the Prometheus project's own grammar, so a typo in a spec's query is caught when
// the spec is read, not when Prometheus loads the generated rules.
import { createRequire } from 'node:module';
import type { LRParser } from '@lezer/lr';

let loadedParser: LRParser | undefined;
/**
 * The PromQL grammar, loaded on the first query that needs parsing: its tables take longer to load than the
 * rest of `solida validate` (start-up time, issue 19), and many specs (golden SLIs on the default selector)
 * never need them. Loaded through require because the checks calling it are synchronous; the package ships a
 * CommonJS build next to its ES one.
 */
export function promqlParser(): LRParser {
  loadedParser ??= (createRequire(import.meta.url)('@prometheus-io/lezer-promql') as { parser: LRParser }).parser;
  return loadedParser;
}

export const WINDOW_PLACEHOLDER = '{{.window}}';

/** Go templates allow `{{ .window }}` (Sloth's docs write both); one spelling inside solida. */
export function normalizeWindowPlaceholder(query: string): string {
  return query.replace(/\{\{-?\s*\.window\s*-?\}\}/g, WINDOW_PLACEHOLDER);
}

/**
 * Functions only VictoriaMetrics' MetricsQL has. A query using one does not parse as PromQL, and the
 * real blocker is the function, not the syntax error the parser reports at it.
 */
const METRICSQL_ONLY = [
  'histogram_share', 'histogram_over_time', 'histogram_avg', 'histogram_stddev', 'histogram_stdvar', 'histogram_quantiles',
  'share_le_over_time', 'share_gt_over_time', 'share_eq_over_time', 'count_le_over_time', 'count_gt_over_time', 'count_eq_over_time', 'count_ne_over_time',
  'rollup', 'rollup_rate', 'rollup_increase', 'rollup_delta', 'rollup_deriv', 'rollup_candlestick', 'rollup_scrape_interval',
  'range_avg', 'range_max', 'range_min', 'range_sum', 'range_first', 'range_last', 'range_median', 'range_quantile',
  'increase_pure', 'increase_prometheus', 'rate_prometheus', 'delta_prometheus', 'lag', 'lifetime', 'tlast_over_time', 'tfirst_over_time',
  'median_over_time', 'distinct_over_time', 'ideriv', 'integrate', 'zscore_over_time', 'ascent_over_time', 'descent_over_time',
  'running_sum', 'running_avg', 'running_max', 'running_min', 'remove_resets', 'keep_last_value', 'keep_next_value', 'interpolate',
  'label_set', 'label_del', 'label_keep', 'label_copy', 'label_move', 'label_transform', 'label_value', 'label_map', 'label_uppercase', 'label_lowercase',
  'union', 'alias', 'limit_offset', 'outliersk', 'any', 'mode', 'zscore', 'share', 'bitmap_and', 'bitmap_or', 'prometheus_buckets', 'buckets_limit',
  'range_normalize', 'rand', 'now', 'step',
];

/** MetricsQL-only functions a query calls (empty when it uses none). */
export function metricsQLFunctions(query: string): string[] {
  const found = new Set<string>();
  for (const m of query.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*\(/g)) if (METRICSQL_ONLY.includes(m[1])) found.add(m[1]);
  // `vector(1)[5m]`: MetricsQL lets a range follow any expression; PromQL needs a subquery `[5m:]`.
  if (/\)\s*\[(?:\{\{\.window\}\}|\d+[smhdwy])\]/.test(query)) found.add('a range on an expression (…)[w]');
  return [...found];
}

export interface PromQLError {
  /** Offset of the first syntax error in the query text. */
  offset: number;
  message: string;
}

/** Returns the first syntax error, or undefined when the query parses. `{{.window}}` is accepted. */
export function checkPromQL(query: string): PromQLError | undefined {
  const text = renderWindow(query, '5m');
  if (text.trim() === '') return { offset: 0, message: 'empty query' };
  const tree = promqlParser().parse(text);
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
  const tree = promqlParser().parse(text);
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
