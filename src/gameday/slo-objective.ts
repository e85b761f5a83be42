// The availability objective the game day judges recovery against: the service's availability SLO over
// all its routes (the inventory's 99.9 % in the example spec).
import { explainSlo } from '../slo/explain.ts';
import { loadModel } from '../slo/load.ts';
import { SolidaError } from '../util/errors.ts';

export interface AvailabilityObjective {
  sloId: string;
  objectivePercent: number;
}

export async function availabilityObjective(configFile: string, service: string): Promise<AvailabilityObjective> {
  const model = await loadModel(configFile);
  const candidates = model.slos.filter((s) => {
    const origin = s.sli.source === 'prometheus' ? s.sli.origin : null;
    return s.service === service && origin?.kind === 'golden' && origin.signal === 'availability' && !origin.route;
  });
  const slo = candidates[0];
  if (!slo) {
    throw new SolidaError(`no availability SLO for service ${service} in ${configFile}`, 2, [
      { file: configFile, path: 'slos', message: 'the game day judges recovery against the service-wide availability SLO', fix: `add { service: '${service}', sli: { golden: { signal: 'availability' } } }` },
    ]);
  }
  return { sloId: slo.id, objectivePercent: slo.objective };
}

/**
 * What `solida validate --explain` predicts for a total outage of this SLO: the fastest enabled page
 * tier's detection time (seconds), or null when no page tier can fire.
 */
export async function predictedDetection(configFile: string, sloId: string): Promise<{ seconds: number; tier: string } | null> {
  const model = await loadModel(configFile);
  const slo = model.slos.find((s) => s.id === sloId);
  if (!slo) return null;
  const tiers = explainSlo(slo, model).tiers.filter((t) => t.enabled && t.severity === 'page' && Number.isFinite(t.detectionSeconds));
  const best = tiers.sort((a, b) => a.detectionSeconds - b.detectionSeconds)[0];
  return best ? { seconds: best.detectionSeconds, tier: best.tier } : null;
}
