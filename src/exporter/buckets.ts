// Histogram bucket boundaries: OpenTelemetry's HTTP server defaults plus every latency-SLO threshold,
// so "requests faster than the threshold" is an exact bucket (le="<threshold>") instead of an interpolation.
import { SEMCONV_HTTP_BUCKETS } from '../slo/metrics.ts';
import type { Slo } from '../slo/model.ts';

/** OTel semantic conventions, http.server.request.duration explicit bucket boundaries (seconds). */
export const SEMCONV_HTTP_SERVER_BUCKETS: readonly number[] = Object.freeze([...SEMCONV_HTTP_BUCKETS]);

/** Latency thresholds (seconds) of the service's latency SLOs, golden or histogram-declared. */
export function sloLatencyThresholds(service: string, slos: readonly Slo[] = []): number[] {
  const out: number[] = [];
  for (const slo of slos) {
    if (slo.service !== service || slo.sli.source !== 'prometheus') continue;
    const origin = slo.sli.origin;
    if (origin.kind === 'latency') out.push(origin.thresholdSeconds);
    else if (origin.kind === 'golden' && origin.signal === 'latency' && origin.thresholdSeconds !== undefined) {
      out.push(origin.thresholdSeconds);
    }
  }
  return out.filter(isUsableBound);
}

export function histogramBuckets(service: string, slos: readonly Slo[] = [], extra: readonly number[] = []): number[] {
  const all = [...SEMCONV_HTTP_SERVER_BUCKETS, ...sloLatencyThresholds(service, slos), ...extra.filter(isUsableBound)];
  return [...new Set(all)].sort((a, b) => a - b);
}

/**
 * The `le` label value Prometheus will see for a bound: prom-client prints the JS number as-is
 * (0.3 → "0.3", 1 → "1"), so rules must use the same spelling.
 */
export function leLabel(bound: number): string {
  return `${bound}`;
}

function isUsableBound(n: number): boolean {
  return typeof n === 'number' && Number.isFinite(n) && n > 0;
}
