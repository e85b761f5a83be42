// Reads any supported spec (solida.config.ts, solida YAML, Sloth, OpenSLO v1, Pyrra) into the
// normalized model. All problems are gathered and thrown together as one SolidaError (exit code 2).
import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SolidaError } from '../util/errors.ts';
import { readSpecFile } from './read-spec-file.ts';
import { loadConfigModule } from './config-sandbox.ts';
import { modelOfValidConfig } from './valid-config.ts';
import type { LoadedSpec } from './spec-text.ts';
import type { SolidaModel } from './model.ts';
import { SCRIPT_EXTENSIONS } from './script-extensions.ts';

export type { LoadedSpec, SpecFormat } from './spec-text.ts';

const SCRIPT_EXTENSION_SET = new Set(SCRIPT_EXTENSIONS);

export async function loadModel(file: string): Promise<SolidaModel> {
  return (await loadSpec(file)).model;
}

export async function loadSpec(file: string): Promise<LoadedSpec> {
  const path = resolve(file);
  if (!existsSync(path)) throw new SolidaError(`${file}: no such file`, 2, [{ file, message: 'the config file does not exist', fix: 'pass --config with the path of solida.config.ts or a YAML spec' }]);
  if (SCRIPT_EXTENSION_SET.has(extname(path))) {
    await readSpecFile(path, file); // a regular file of sane size, not a directory or device
    const value = await importConfig(path, file);
    // zod loads only to word the problems of a config the precompiled schema rejects (start-up time).
    return { format: 'typescript', model: modelOfValidConfig(value, file) ?? (await import('./from-config.ts')).fromConfigByZod(value, file) };
  }
  // YAML and the Sloth/OpenSLO/Pyrra readers load only for a YAML spec (start-up time of a .ts config).
  const { parseSpecText } = await import('./spec-text.ts');
  return parseSpecText(await readSpecFile(path, file), file);
}

// A config is someone's code: it runs in a worker with a deadline (config-sandbox.ts). A long-lived process
// (tests, serve) loading the same unchanged file again reuses the value instead of paying for a worker.
const loadedConfigs = new Map<string, { stamp: string; value: unknown }>();

async function importConfig(path: string, file: string): Promise<unknown> {
  const st = statSync(path);
  const stamp = `${st.mtimeMs}:${st.size}`;
  const cached = loadedConfigs.get(path);
  if (cached?.stamp === stamp) return structuredClone(cached.value);
  const value = await loadConfigModule(pathToFileURL(path).href, file);
  loadedConfigs.set(path, { stamp, value });
  return structuredClone(value);
}
