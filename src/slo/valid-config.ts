// The fast path of reading a config value: the schema's precompiled validator (config-validator.generated.js,
// plain JavaScript made from the zod schema at development time) instead of zod itself. A value it accepts is
// one zod would accept and return unchanged, so it goes straight to normalization; zod (from-config.ts, ~90
// modules to load) is needed only to word the problems of a value it rejects. Start-up time of `solida
// validate`: issue 19.
import { SolidaError, type Problem } from '../util/errors.ts';
import type { SolidaConfig } from './config.ts';
import { validate } from './config-validator.generated.js';
import { normalizeConfig } from './normalize.ts';
import type { SolidaModel } from './model.ts';

/** The model of a config value the precompiled schema accepts; undefined when it does not (ask zod why). */
export function modelOfValidConfig(value: unknown, file: string): SolidaModel | undefined {
  if (!validate(value)) return undefined;
  const { model, problems } = normalizeConfig(value as SolidaConfig, file);
  if (problems.length) throw invalidConfig(file, problems);
  return model;
}

export function invalidConfig(file: string, problems: Problem[]): SolidaError {
  return new SolidaError(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`, 2, problems);
}
