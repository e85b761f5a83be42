// The live view over the Prometheus HTTP API: budget figures from the SLI queries (PrometheusSource),
// alert state from /api/v1/alerts (the generated rules, when Prometheus has them loaded), and error-ratio
// series from query_range over the SLI queries rendered with each tier's window.
import type { PrometheusSli, Slo } from '../slo/model.ts';
import { renderWindow } from '../slo/promql.ts';
import { PrometheusSource } from '../budget/sources/prometheus.ts';
import { SolidaError } from '../util/errors.ts';
import type { ChartPoint } from '../util/svg-chart.ts';
import type { ViewBackend } from './backend.ts';
import type { AlertState } from './model.ts';

interface ApiBody<T> {
  status: 'success' | 'error';
  error?: string;
  data?: T;
}

interface PromAlert {
  labels: Record<string, string>;
  state: string;
  activeAt?: string;
}

export class PrometheusBackend implements ViewBackend {
  readonly name: string;
  readonly budget: PrometheusSource;
  private readonly base: string;

  constructor(url: string, private readonly fetchImpl: typeof fetch = fetch) {
    this.base = url.replace(/\/+$/, '');
    this.name = `Prometheus at ${this.base}`;
    this.budget = new PrometheusSource(this.base, fetchImpl);
  }

  async alerts(): Promise<Map<string, AlertState[]>> {
    const data = await this.call<{ alerts: PromAlert[] }>('/api/v1/alerts', undefined);
    const out = new Map<string, AlertState[]>();
    for (const a of data.alerts ?? []) {
      const id = a.labels.sloth_id;
      if (!id || (a.state !== 'firing' && a.state !== 'pending')) continue;
      const tier = a.labels.solida_tier ?? (a.labels.alertname?.endsWith('NoData') ? 'no-data' : a.labels.alertname ?? 'alert');
      const list = out.get(id) ?? [];
      list.push({ tier, severity: a.labels.severity ?? a.labels.sloth_severity ?? '', state: a.state, activeAt: a.activeAt ?? null });
      out.set(id, list);
    }
    return out;
  }

  async ratioSeries(slo: Slo, windowSeconds: number, start: Date, end: Date, stepSeconds: number): Promise<ChartPoint[]> {
    const sli = slo.sli as PrometheusSli;
    const w = `${Math.round(windowSeconds)}s`;
    // Same guard as the recording rules: no traffic is no ratio, not 0% or a division by zero.
    const total = `(${renderWindow(sli.total, w)})`;
    const query = `clamp_max((${renderWindow(sli.errors, w)}) / (${total} > 0) or (${total} > 0) * 0, 1)`;
    const data = await this.call<{ result: { values: [number, string][] }[] }>('/api/v1/query_range', {
      query,
      start: String(start.getTime() / 1000),
      end: String(end.getTime() / 1000),
      step: String(stepSeconds),
    });
    return (data.result[0]?.values ?? []).map(([t, v]) => ({ t: Math.round(t * 1000), v: Number(v) })).filter((p) => Number.isFinite(p.v));
  }

  private async call<T>(path: string, params: Record<string, string> | undefined): Promise<T> {
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.base}${path}`, params
        ? { method: 'POST', body: new URLSearchParams(params), headers: { 'content-type': 'application/x-www-form-urlencoded' }, signal: AbortSignal.timeout(20_000) }
        : { signal: AbortSignal.timeout(20_000) });
    } catch (err) {
      throw new SolidaError(`cannot reach Prometheus at ${this.base}`, 2, [{ message: (err as Error).message, fix: 'check --prometheus and that the server is up' }]);
    }
    let body: ApiBody<T>;
    try {
      body = (await res.json()) as ApiBody<T>;
    } catch {
      throw new SolidaError(`${this.base}${path} answered HTTP ${res.status} without a Prometheus API response`, 2, [{ message: 'not JSON', fix: 'point --prometheus at the Prometheus server root' }]);
    }
    if (!res.ok || body.status !== 'success' || !body.data) {
      throw new SolidaError(`Prometheus rejected a request (HTTP ${res.status})`, 2, [{ message: `${body.error ?? 'unknown error'}${params?.query ? `: ${params.query}` : ''}` }]);
    }
    return body.data;
  }
}
