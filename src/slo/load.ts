// Reads any supported spec (solida.config.ts, solida YAML, Sloth, OpenSLO v1, Pyrra) into the
// normalized model. All problems are gathered and thrown together as one SolidaError (exit code 2).
import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { SolidaError, type Problem } from '../util/errors.ts';
import { readSpecFile } from './read-spec-file.ts';
import { loadConfigModule } from './config-sandbox.ts';
import { configSchema, type SolidaConfig } from './config.ts';
import { normalizeConfig } from './normalize.ts';
import { zodProblems } from './issues.ts';
import { salvagedProblems } from './salvage.ts';
import { readDocuments } from './formats/read.ts';
import { foreignModel } from './formats/to-model.ts';
import type { SolidaModel } from './model.ts';

export type SpecFormat = 'typescript' | 'solida-yaml' | 'sloth' | 'openslo' | 'pyrra';

export interface LoadedSpec {
  format: SpecFormat;
  model: SolidaModel;
}

const SCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs']);

export async function loadModel(file: string): Promise<SolidaModel> {
  return (await loadSpec(file)).model;
}

export async function loadSpec(file: string): Promise<LoadedSpec> {
  const path = resolve(file);
  if (!existsSync(path)) throw new SolidaError(`${file}: no such file`, 2, [{ file, message: 'the config file does not exist', fix: 'pass --config with the path of solida.config.ts or a YAML spec' }]);
  if (SCRIPT_EXTENSIONS.has(extname(path))) await readSpecFile(path, file); // a regular file of sane size, not a directory or device
  if (SCRIPT_EXTENSIONS.has(extname(path))) return { format: 'typescript', model: fromConfig(await importConfig(path, file), file) };
  return parseSpecText(await readSpecFile(path, file), file);
}

/** Parses YAML/JSON text of any supported format (exported for tests and stdin use). */
export function parseSpecText(text: string, file: string): LoadedSpec {
  const docs = parseAllDocuments(text, { prettyErrors: true });
  const parseProblems: Problem[] = [];
  const values: unknown[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    for (const e of doc.errors) {
      const pos = e.linePos?.[0];
      parseProblems.push({ file: pos ? `${file}:${pos.line}:${pos.col}` : file, message: `YAML syntax: ${e.message.split('\n')[0]}`, fix: 'fix the YAML syntax at that line' });
    }
    let value: unknown;
    try {
      value = doc.toJS();
    } catch (err) {
      // yaml's own guard against alias bombs (maxAliasCount) and similar resource attacks.
      throw new SolidaError(`${file} is not a usable YAML document`, 2, [{ file, message: (err as Error).message, fix: 'write the values out instead of nesting aliases' }]);
    }
    if (value !== null && value !== undefined) values.push(value);
  }
  if (parseProblems.length) throw new SolidaError(`${file} is not valid YAML`, 2, parseProblems);
  if (values.length === 0) throw new SolidaError(`${file} is empty`, 2, [{ file, message: 'no document found', fix: 'write a solida, Sloth, OpenSLO or Pyrra spec' }]);

  // Sloth, OpenSLO and Pyrra documents (any number, any mix) go to their readers (formats/read.ts).
  const reading = readDocuments(values, file);
  if (reading.kind !== 'solida') return foreignModel(reading, file);
  return { format: 'solida-yaml', model: fromConfig(reading.value, file) };
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

function fromConfig(value: unknown, file: string): SolidaModel {
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
