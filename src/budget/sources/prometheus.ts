// Budget source over the Prometheus HTTP API, straight from the SLI's PromQL templates rendered with
// the exact window (in seconds), so no recording rule or rule evaluation history is needed and a
// calendar month is measured to the second. Templates are rates: rate × window = events.
import type { PrometheusSli, Slo } from '../../slo/model.ts';
import { renderWindow } from '../../slo/promql.ts';
import { SolidaError } from '../../util/errors.ts';
import { DEFAULT_HTTP_LIMITS, fetchLimited, redactUrl, type HttpLimits } from '../../util/http.ts';
import type { EventCounts } from '../arithmetic.ts';
import type { BudgetSource, StepCounts } from '../source.ts';

interface PromSeries {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

/** The HTTP API's data: a scalar is one [time, value] pair, vectors and matrices are lists of series. */
type PromData = { resultType: 'scalar'; result: [number, string] } | { resultType: 'vector' | 'matrix' | 'string'; result: PromSeries[] };

interface PromResponse {
  status: 'success' | 'error';
  error?: string;
  data?: PromData;
}

/** Expressions per batched query: a few kilobytes of PromQL per request. */
const BATCH = 100;
const BATCH_LABEL = 'solida_batch_index';

export class PrometheusSource implements BudgetSource {
  private readonly base: string;
  /** The base URL as messages show it (credentials redacted). */
  private readonly shown: string;

  constructor(
    url: string,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly limits: HttpLimits = DEFAULT_HTTP_LIMITS,
  ) {
    this.base = url.replace(/\/+$/, '');
    this.shown = redactUrl(this.base);
  }

  supports(slo: Slo): boolean {
    return slo.sli.source === 'prometheus';
  }

  async events(slo: Slo, windowSeconds: number, at: Date): Promise<EventCounts | null> {
    const sli = prometheusSli(slo);
    const w = `${Math.round(windowSeconds)}s`;
    const time = String(at.getTime() / 1000);
    const [errors, total] = await Promise.all([
      this.instant(renderWindow(sli.errors, w), time),
      this.instant(renderWindow(sli.total, w), time),
    ]);
    if (total === null || !(total > 0)) return null;
    // An error query over a healthy service often has no series at all (no 5xx yet): that is 0 errors.
    return { errors: (errors ?? 0) * windowSeconds, total: total * windowSeconds };
  }

  /**
   * One query per chunk of distinct SLI expressions: each expression tagged with a label naming its index
   * (`label_replace`), joined with `or`. Identical SLIs (two SLOs on the same traffic) are asked once.
   */
  async eventsMany(slos: Slo[], windowSeconds: number, at: Date): Promise<Map<string, EventCounts | null | Error>> {
    const w = `${Math.round(windowSeconds)}s`;
    const time = String(at.getTime() / 1000);
    const expressions = [...new Set(slos.flatMap((slo) => { const sli = prometheusSli(slo); return [renderWindow(sli.errors, w), renderWindow(sli.total, w)]; }))];
    const values = new Map<string, number | null | Error>();
    for (let i = 0; i < expressions.length; i += BATCH) {
      const chunk = expressions.slice(i, i + BATCH);
      const query = chunk.map((e, j) => `label_replace((${e}), "${BATCH_LABEL}", "${j}", "", "")`).join(' or ');
      const body = await this.call('/api/v1/query', { query, time });
      const result = body.data && body.data.resultType !== 'scalar' ? body.data.result : [];
      const series = new Map<string, PromSeries[]>();
      for (const r of result) {
        const j = r.metric[BATCH_LABEL];
        if (j !== undefined) series.set(j, [...(series.get(j) ?? []), r]);
      }
      chunk.forEach((e, j) => {
        const found = series.get(String(j)) ?? [];
        if (found.length > 1) values.set(e, new SolidaError(`the query returns ${found.length} series, not one`, 2, [{ message: e, fix: 'wrap the SLI query in sum()' }]));
        else {
          const v = found[0]?.value ? Number(found[0].value[1]) : NaN;
          values.set(e, Number.isFinite(v) ? v : null);
        }
      });
    }
    const out = new Map<string, EventCounts | null | Error>();
    for (const slo of slos) {
      const sli = prometheusSli(slo);
      const errors = values.get(renderWindow(sli.errors, w));
      const total = values.get(renderWindow(sli.total, w));
      if (errors instanceof Error || total instanceof Error) out.set(slo.id, (errors instanceof Error ? errors : total) as Error);
      else if (total === null || total === undefined || !(total > 0)) out.set(slo.id, null);
      else out.set(slo.id, { errors: (errors ?? 0) * windowSeconds, total: total * windowSeconds });
    }
    return out;
  }

  async steps(slo: Slo, start: Date, end: Date, stepSeconds: number): Promise<StepCounts[]> {
    const sli = prometheusSli(slo);
    const w = `${Math.round(stepSeconds)}s`;
    const first = new Date(start.getTime() + stepSeconds * 1000);
    if (first > end) return [];
    const [errors, total] = await Promise.all([
      this.range(renderWindow(sli.errors, w), first, end, stepSeconds),
      this.range(renderWindow(sli.total, w), first, end, stepSeconds),
    ]);
    const out: StepCounts[] = [];
    for (const [t, rate] of total) {
      if (!(rate > 0)) continue;
      out.push({ t, total: rate * stepSeconds, errors: (errors.get(t) ?? 0) * stepSeconds });
    }
    return out;
  }

  private async instant(query: string, time: string): Promise<number | null> {
    const body = await this.call('/api/v1/query', { query, time });
    if (body.data?.resultType === 'scalar') return Number(body.data.result[1]);
    const result = body.data?.result ?? [];
    if (result.length === 0 || !result[0].value) return null;
    if (result.length > 1) throw new SolidaError(`the query returns ${result.length} series, not one`, 2, [{ message: query, fix: 'wrap the SLI query in sum()' }]);
    const v = Number(result[0].value[1]);
    return Number.isFinite(v) ? v : null;
  }

  private async range(query: string, start: Date, end: Date, step: number): Promise<Map<number, number>> {
    const body = await this.call('/api/v1/query_range', { query, start: String(start.getTime() / 1000), end: String(end.getTime() / 1000), step: String(step) });
    const series = body.data && body.data.resultType !== 'scalar' ? body.data.result : [];
    const out = new Map<number, number>();
    for (const [t, v] of series[0]?.values ?? []) {
      const n = Number(v);
      if (Number.isFinite(n)) out.set(Math.round(t * 1000), n);
    }
    return out;
  }

  private async call(path: string, params: Record<string, string>): Promise<PromResponse> {
    const url = `${this.base}${path}`;
    const res = await fetchLimited(
      url,
      { method: 'POST', body: new URLSearchParams(params), headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      this.limits,
      this.fetchImpl,
    ).catch((err: SolidaError) => {
      if (err.message.startsWith('cannot reach')) {
        throw new SolidaError(`cannot reach Prometheus at ${this.shown}`, 2, [{ message: err.problems[0]?.message ?? err.message, fix: 'check --url (e.g. http://prometheus:9090) and that the server is up' }]);
      }
      throw err;
    });
    let body: PromResponse;
    try {
      body = JSON.parse(res.text) as PromResponse;
    } catch {
      throw new SolidaError(`${this.shown}${path} answered HTTP ${res.status} without a Prometheus API response`, 2, [{ message: 'not JSON', fix: 'point --url at the Prometheus server root' }]);
    }
    if (!res.ok || body?.status !== 'success') {
      throw new SolidaError(`Prometheus rejected a query (HTTP ${res.status})`, 2, [{ message: `${body?.error ?? 'unknown error'}: ${params.query}`, fix: 'check the SLI query in the config' }]);
    }
    return body;
  }
}

function prometheusSli(slo: Slo): PrometheusSli {
  if (slo.sli.source !== 'prometheus') throw new SolidaError(`${slo.id} has a CloudWatch SLI`, 2, [{ message: 'the Prometheus source reads Prometheus SLIs only' }]);
  return slo.sli;
}
