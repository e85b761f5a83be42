// The Prometheus side: one request-duration histogram (traffic and errors come from its _count),
// saturation gauges, and prom-client's process metrics, all in a registry owned by the exporter.
import { performance } from 'node:perf_hooks';
import { EXPORTER_HISTOGRAM, EXPORTER_LABELS } from '../slo/metrics.ts';
import { NewSeriesGate } from './new-series.ts';
import { collectDefaultMetrics, Gauge, Histogram, Registry, type RegistryContentType } from 'prom-client';

// Names shared with the SLO presets (src/slo/metrics.ts), which query exactly these series.
export const DURATION_METRIC = EXPORTER_HISTOGRAM;
export const ACTIVE_REQUESTS_METRIC = 'http_server_active_requests';
export const EVENT_LOOP_UTILIZATION_METRIC = 'nodejs_eventloop_utilization_ratio';
export const LABEL_NAMES = [EXPORTER_LABELS.method, EXPORTER_LABELS.route, EXPORTER_LABELS.status, EXPORTER_LABELS.errorType] as const;

export type AnyRegistry = Registry<RegistryContentType>;

/** prom-client's typings omit the Registry constructor's content-type parameter. */
export function newRegistry(type: RegistryContentType): AnyRegistry {
  return new (Registry as unknown as new (t: RegistryContentType) => AnyRegistry)(type);
}

export type SeriesLabels = Record<(typeof LABEL_NAMES)[number], string>;

export interface ExporterMetrics {
  registry: AnyRegistry;
  duration: Histogram<(typeof LABEL_NAMES)[number]>;
  exemplars: boolean;
  /** Holds the first observations of a new series until a scrape read it at zero (new-series.ts). */
  newSeries: NewSeriesGate;
}

export interface MetricsConfig {
  buckets: number[];
  exemplars: boolean;
  processMetrics: boolean;
  /** Read at scrape time so the request path only touches a plain integer. */
  activeRequests: () => number;
  prefix?: string;
}

export function createMetrics(cfg: MetricsConfig): ExporterMetrics {
  // Exemplars only exist in OpenMetrics; the classic view is derived per scrape (see scrape.ts).
  const registry = newRegistry(cfg.exemplars ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE);
  const duration = new Histogram({
    name: DURATION_METRIC,
    help: 'Duration of HTTP server requests (OpenTelemetry http.server.request.duration).',
    labelNames: [...LABEL_NAMES],
    buckets: cfg.buckets,
    registers: [registry],
    enableExemplars: cfg.exemplars,
  });
  new Gauge({
    name: ACTIVE_REQUESTS_METRIC,
    help: 'Number of HTTP server requests in flight (OpenTelemetry http.server.active_requests).',
    registers: [registry],
    collect() {
      this.set(cfg.activeRequests());
    },
  });
  let last = performance.eventLoopUtilization();
  new Gauge({
    name: EVENT_LOOP_UTILIZATION_METRIC,
    help: 'Fraction of time the event loop was busy since the previous scrape (perf_hooks eventLoopUtilization).',
    registers: [registry],
    collect() {
      const now = performance.eventLoopUtilization();
      this.set(performance.eventLoopUtilization(now, last).utilization);
      last = now;
    },
  });
  // Includes the event-loop delay (nodejs_eventloop_lag_*_seconds, from perf_hooks monitorEventLoopDelay).
  if (cfg.processMetrics) {
    collectDefaultMetrics({ register: registry as Registry, prefix: cfg.prefix });
    // prom-client names these gauges *_total, which Prometheus lint rejects (only counters end in
    // _total); the per-type gauges without the suffix carry the same information.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
      registry.removeSingleMetric(`${cfg.prefix ?? ''}${name}`);
    }
  }
  const newSeries = new NewSeriesGate(duration);
  return { registry, duration, exemplars: cfg.exemplars, newSeries };
}
