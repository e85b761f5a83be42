// A solida config value (from a TypeScript config's default export or a solida YAML document) checked
// against the schema and normalized into the model; every problem is gathered into one SolidaError.
// A valid value takes the precompiled validator (valid-config.ts); zod runs only to word what is wrong.
import { configSchema, type SolidaConfig } from './config.ts';
import { normalizeConfig } from './normalize.ts';
import { zodProblems } from './issues.ts';
import { salvagedProblems } from './salvage.ts';
import { invalidConfig, modelOfValidConfig } from './valid-config.ts';
import type { SolidaModel } from './model.ts';

export function fromConfig(value: unknown, file: string): SolidaModel {
  return modelOfValidConfig(value, file) ?? fromConfigByZod(value, file);
}

/**
 * The model of a value the precompiled validator rejected, by zod: its problems worded, or the value
 * zod accepts after transforming it (a URL with spaces around it, trimmed).
 */
export function fromConfigByZod(value: unknown, file: string): SolidaModel {
  const parsed = configSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    const problems = zodProblems(parsed.error, configSchema, file);
    throw invalidConfig(file, [...problems, ...salvagedProblems(value, file, problems)]);
  }
  const { model, problems } = normalizeConfig(parsed.data as SolidaConfig, file);
  if (problems.length) throw invalidConfig(file, problems);
  return model;
}
