// Hand-built SolidaModel objects (no reader involved), so threshold derivation is tested on its own.
import type { Slo, SliOrigin, SolidaModel, CloudWatchSli } from '../../src/slo/model.ts';
import { buildModel, buildSlo } from '../support/model.ts';

export function slo(service: string, name: string, objective: number, origin: SliOrigin | CloudWatchSli, expectedEventsPerSecond?: number): Slo {
  const sli = 'source' in origin ? origin : { source: 'prometheus' as const, errors: 'x', total: 'y', origin };
  return buildSlo({ service, name, objective, sli, ...(expectedEventsPerSecond !== undefined ? { expectedEventsPerSecond } : {}) });
}

export function model(slos: Slo[], source = 'hand-built.ts'): SolidaModel {
  return buildModel(slos, { source });
}

export const availability = (service: string, route?: string): SliOrigin => ({ kind: 'golden', signal: 'availability', service, ...(route ? { route } : {}) });
export const latency = (service: string, thresholdSeconds: number, route?: string): SliOrigin => ({ kind: 'golden', signal: 'latency', service, thresholdSeconds, ...(route ? { route } : {}) });
