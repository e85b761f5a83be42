// When a config breaks the schema, the checks that need a well-formed config (PromQL, unknown services,
// tiers, text) would otherwise wait for the next run: a person fixes one round of problems and gets a
// second. So the parts that are well-formed on their own are checked now, at their own indexes.
import type { Problem } from '../util/errors.ts';
import { budgetPolicyInput, serviceInput, sloInput, type SolidaConfig } from './config.ts';
import { normalizeConfig } from './normalize.ts';

const record = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Problems of the well-formed services and SLOs of a config that failed the schema (none found twice). */
export function salvagedProblems(value: unknown, file: string, known: readonly Problem[]): Problem[] {
  if (!record(value)) return [];
  const services: SolidaConfig['services'] = [];
  const slos: SolidaConfig['slos'] = [];
  if (Array.isArray(value.services)) {
    value.services.forEach((s, i) => {
      if (serviceInput.safeParse(s).success) services[i] = s as SolidaConfig['services'][number];
      // A broken service still has its name: SLOs that name it are not "unknown service" problems.
      else if (record(s) && typeof s.name === 'string') services[i] = { name: s.name };
    });
  }
  // A broken SLO still has an SLI and a service to check: it is checked as a stand-in that keeps those two
  // (and its grouping, which the queries use) with a placeholder objective, and only their problems are kept.
  const partial = new Set<number>();
  if (Array.isArray(value.slos)) {
    value.slos.forEach((s, i) => {
      if (sloInput.safeParse(s).success) slos[i] = s as SolidaConfig['slos'][number];
      else if (record(s)) {
        const standIn = { service: s.service, name: `slo-${i}`, objective: 99, sli: s.sli, grouping: s.grouping };
        if (sloInput.safeParse(standIn).success) {
          slos[i] = standIn as SolidaConfig['slos'][number];
          partial.add(i);
        } else if (sloInput.safeParse({ ...standIn, grouping: undefined }).success) {
          slos[i] = { ...standIn, grouping: undefined } as SolidaConfig['slos'][number];
          partial.add(i);
        }
      }
    });
  }
  const fromStandIn = (path: string | undefined) => /^slos\[(\d+)\](.*)$/.exec(path ?? '');
  const keep = (p: Problem) => {
    const m = fromStandIn(p.path);
    if (!m || !partial.has(Number(m[1]))) return true;
    return m[2] === '.service' || m[2].startsWith('.sli.') || m[2] === '.sli';
  };
  const duration = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const config: SolidaConfig = {
    scrapeInterval: duration(value.scrapeInterval),
    evaluationInterval: duration(value.evaluationInterval),
    budgetPolicy: budgetPolicyInput.safeParse(value.budgetPolicy).success ? (value.budgetPolicy as SolidaConfig['budgetPolicy']) : undefined,
    // Holes keep every element at its index (forEach skips them), so paths name the user's own entries.
    services,
    slos,
  };
  const seen = new Set(known.map((p) => `${p.file}\u0000${p.message}`));
  return normalizeConfig(config, file).problems.filter((p) => keep(p) && !seen.has(`${p.file}\u0000${p.message}`));
}
