// Recovery objectives per scenario: the table's defaults, then a service's overrides, then explicit ones
// (CLI flags). The defaults never silently stand in for a stricter promise a team makes.
import { SolidaError } from '../util/errors.ts';
import { SCENARIO_TABLE, SCENARIOS, type Objectives, type ScenarioName } from './table.ts';

export const DEFAULT_OBJECTIVES: Readonly<Record<ScenarioName, Objectives>> = Object.fromEntries(
  SCENARIOS.map((s) => [s, SCENARIO_TABLE[s].objectives]),
) as Record<ScenarioName, Objectives>;

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
