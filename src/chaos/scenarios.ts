// The three DR scenarios of the reference architecture and their recovery objectives.
// Objectives come from the reference runbooks (RTO/RPO table); a team overrides them per service when its
// own commitments differ, so the defaults never silently stand in for a stricter promise.
import { SolidaError } from '../util/errors.ts';

export const SCENARIOS = ['az-failure', 'region-failover', 'pitr'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface Objectives {
  /** Recovery time objective, seconds from fault to sustained recovery. */
  rtoSeconds: number;
  /** Recovery point objective, seconds of acknowledged writes that may be lost. */
  rpoSeconds: number;
}

export const DEFAULT_OBJECTIVES: Readonly<Record<ScenarioName, Objectives>> = {
  'az-failure': { rtoSeconds: 120, rpoSeconds: 300 },
  'region-failover': { rtoSeconds: 1500, rpoSeconds: 900 },
  pitr: { rtoSeconds: 1200, rpoSeconds: 300 },
};

/** Per-service overrides: service name → scenario → objective fields to replace. */
export type ObjectiveOverrides = Record<string, Partial<Record<ScenarioName, Partial<Objectives>>>>;

export function isScenario(name: string): name is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(name);
}

export function parseScenario(name: string): ScenarioName {
  if (isScenario(name)) return name;
  throw new SolidaError(`unknown scenario '${name}'`, 2, [
    { message: `'${name}' is not a DR scenario`, fix: `use one of: ${SCENARIOS.join(', ')}` },
  ]);
}

/** The objectives for a scenario: defaults, then the service's overrides, then explicit ones (e.g. CLI flags). */
export function objectivesFor(
  scenario: ScenarioName,
  opts: { service?: string; overrides?: ObjectiveOverrides; explicit?: Partial<Objectives> } = {},
): Objectives {
  const perService = opts.service ? opts.overrides?.[opts.service]?.[scenario] : undefined;
  const merged = { ...DEFAULT_OBJECTIVES[scenario], ...definedOnly(perService), ...definedOnly(opts.explicit) };
  for (const [field, value] of Object.entries(merged)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new SolidaError(`invalid ${field} objective for ${scenario}`, 2, [
        { message: `${field} = ${value}`, fix: 'objectives are non-negative numbers of seconds' },
      ]);
    }
  }
  return merged;
}

function definedOnly(o: Partial<Objectives> | undefined): Partial<Objectives> {
  if (!o) return {};
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<Objectives>;
}
