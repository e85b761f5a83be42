// A solida config value (from a TypeScript config's default export or a solida YAML document) checked
// against the schema and normalized into the model; every problem is gathered into one SolidaError.
import { SolidaError, type Problem } from '../util/errors.ts';
import { configSchema, type SolidaConfig } from './config.ts';
import { normalizeConfig } from './normalize.ts';
import { zodProblems } from './issues.ts';
import { salvagedProblems } from './salvage.ts';
import type { SolidaModel } from './model.ts';

export function fromConfig(value: unknown, file: string): SolidaModel {
  const parsed = configSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    const problems = zodProblems(parsed.error, configSchema, file);
    throw invalid(file, [...problems, ...salvagedProblems(value, file, problems)]);
  }
  const { model, problems } = normalizeConfig(parsed.data as SolidaConfig, file);
  if (problems.length) throw invalid(file, problems);
  return model;
}

function invalid(file: string, problems: Problem[]): SolidaError {
  return new SolidaError(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`, 2, problems);
}
