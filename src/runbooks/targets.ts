// Targets a runbook can run against, by name: 'dry' (simulated, and says so in every output) is built in;
// targets that live in folders above runbooks (the lab, AWS) register themselves from the CLI, so this
// folder never imports them (see docs/architecture.md, layers).
import { SolidaError } from '../util/errors.ts';
import { DryRunTarget } from './dry-target.ts';
import type { TargetAdapter } from './types.ts';

export type TargetFactory = () => TargetAdapter | Promise<TargetAdapter>;

const factories = new Map<string, TargetFactory>([
  ['dry', () => new DryRunTarget()],
]);

export function registerTarget(name: string, factory: TargetFactory): void {
  factories.set(name, factory);
}

export function targetNames(): string[] {
  return [...factories.keys()];
}

export async function createTarget(name: string): Promise<TargetAdapter> {
  const factory = factories.get(name);
  if (!factory) {
    throw new SolidaError(`unknown runbook target '${name}'`, 2, [{ message: `'${name}' is not registered`, fix: `use one of: ${targetNames().join(', ')}` }]);
  }
  return factory();
}
