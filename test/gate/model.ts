// Hand-built SolidaModel objects (no reader involved), so threshold derivation is tested on its own.
import type { Slo, SliOrigin, SolidaModel, CloudWatchSli } from '../../src/slo/model.ts';

const d = (text: string, seconds: number) => ({ text, seconds });

export function slo(service: string, name: string, objective: number, origin: SliOrigin | CloudWatchSli, expectedEventsPerSecond?: number): Slo {
  const sli = 'source' in origin
    ? origin
    : { source: 'prometheus' as const, errors: 'x', total: 'y', presence: 'z', origin };
  return {
    id: `${service}-${name}`,
    service,
    name,
    objective,
    errorBudget: 1 - objective / 100,
    window: { kind: 'rolling', duration: d('30d', 2592000) },
    periodSeconds: 2592000,
    sli,
    alerting: { name: 'SloBurn', labels: {}, annotations: {}, tiers: [], noData: { enabled: false, for: d('10m', 600), severity: 'ticket' } },
    labels: {},
    budgetPolicy: { freezeWeeklyConsumed: 0.5, fixesOnlyConsumed: 1, weekSeconds: 604800 },
    ...(expectedEventsPerSecond !== undefined ? { expectedEventsPerSecond } : {}),
  };
}

export function model(slos: Slo[], source = 'hand-built.ts'): SolidaModel {
  const services = [...new Set(slos.map((s) => s.service))].map((name) => ({ name, selector: `{job="${name}"}`, labels: {}, runbooks: {} }));
  return { source, scrapeInterval: d('30s', 30), evaluationInterval: d('30s', 30), services, slos };
}

export const availability = (service: string, route?: string): SliOrigin => ({ kind: 'golden', signal: 'availability', service, ...(route ? { route } : {}) });
export const latency = (service: string, thresholdSeconds: number, route?: string): SliOrigin => ({ kind: 'golden', signal: 'latency', service, thresholdSeconds, ...(route ? { route } : {}) });
