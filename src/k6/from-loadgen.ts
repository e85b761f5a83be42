// The built-in generator's records as k6 metrics (http_reqs, http_req_duration, http_req_failed,
// dropped_iterations), tagged as k6 tags them, so `solida gate --url` and a k6 run are judged by
// the same thresholds and the same code.
import type { RequestRecord, OpenModelSummary } from '../loadgen/open-model.ts';
import { SampleAggregator } from './sinks.ts';
import type { MetricSelector } from './selector.ts';
import type { K6Result } from './types.ts';

export class LoadgenRecorder {
  private readonly agg: SampleAggregator;

  constructor(selectors: MetricSelector[] = [], percentiles?: number[]) {
    this.agg = new SampleAggregator(selectors, percentiles);
    this.agg.declare('http_reqs', 'counter');
    this.agg.declare('http_req_duration', 'trend');
    this.agg.declare('http_req_failed', 'rate');
    this.agg.declare('iterations', 'counter');
    this.agg.declare('dropped_iterations', 'counter');
  }

  /** Pass as the generator's onResult. */
  readonly onResult = (rec: RequestRecord): void => {
    if (rec.dropped) {
      this.agg.add('dropped_iterations', 1, rec.tags, rec.scheduledAt);
      return;
    }
    const tags: Record<string, string> = {
      scenario: 'default',
      method: rec.method,
      name: rec.path,
      url: rec.path,
      ...rec.tags,
      status: String(rec.status),
      expected_response: String(rec.ok),
    };
    this.agg.add('http_reqs', 1, tags, rec.startedAt);
    this.agg.add('http_req_duration', rec.latencyMs, tags, rec.startedAt);
    this.agg.add('http_req_failed', rec.ok ? 0 : 1, tags, rec.startedAt);
    this.agg.add('iterations', 1, tags, rec.startedAt);
  };

  result(summary: OpenModelSummary, target: string): K6Result {
    const duration = (summary.endedAt - summary.startedAt) / 1000;
    return {
      source: { kind: 'loadgen', file: target },
      metrics: this.agg.metrics(duration),
      thresholds: [],
      checks: [],
      durationSeconds: duration,
    };
  }
}
