// Metric names and bucket conventions shared by the exporter (which emits them) and the SLO presets
// (which query them): one place, so the two can never drift apart.

/** OpenTelemetry HTTP server semantic conventions, in Prometheus form. */
export const EXPORTER_HISTOGRAM = 'http_server_request_duration_seconds';
export const EXPORTER_LABELS = {
  method: 'http_request_method',
  route: 'http_route',
  status: 'http_response_status_code',
  errorType: 'error_type',
} as const;

/** Prometheus client libraries' default histogram buckets (seconds). */
export const PROMETHEUS_DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** OTel semconv's advised buckets for http.server.request.duration (seconds). */
export const SEMCONV_HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/**
 * The `le` matcher for a bucket boundary. Clients print whole numbers as "1" while Prometheus 3
 * normalises classic-histogram `le` to "1.0", so whole numbers match both spellings.
 */
export function formatLe(seconds: number): string {
  const text = String(seconds);
  return Number.isInteger(seconds) ? `le=~"${text}(\\\\.0)?"` : `le="${text}"`;
}

export function nearestBuckets(buckets: number[], value: number): [number | undefined, number | undefined] {
  const sorted = [...buckets].sort((a, b) => a - b);
  const below = sorted.filter((b) => b < value).pop();
  const above = sorted.find((b) => b > value);
  return [below, above];
}
