// Pieces every subcommand uses: the --config default, finding-or-creating parent commands.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { SolidaError } from '../util/errors.ts';

const DEFAULT_CONFIGS = ['solida.config.ts', 'solida.config.mts', 'solida.config.js', 'solida.yaml', 'solida.yml'];

/** --config, or the first solida.config.* in the working directory. */
export function resolveConfigPath(given: string | undefined): string {
  if (given) return given;
  const found = DEFAULT_CONFIGS.find((f) => existsSync(f));
  if (!found) throw new SolidaError('no config given', 2, [{ message: 'no --config and no solida.config.ts in this directory', fix: 'pass --config FILE (TypeScript, solida YAML, Sloth or OpenSLO)' }]);
  return found;
}

/** `generate`, `export`, `plan`… are shared parents: each area adds its own subcommand to them. */
export function parentCommand(program: Command, name: string, description: string): Command {
  const existing = program.commands.find((c) => c.name() === name);
  if (existing) return existing;
  return program.command(name).description(description);
}
