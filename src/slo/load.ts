// Reads any supported spec (solida.config.ts, solida YAML, Sloth prometheus/v1, OpenSLO v1) into the
// normalized model. All problems are gathered and thrown together as one SolidaError (exit code 2).
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { SolidaError, type Problem } from '../util/errors.ts';
import { configSchema, type SolidaConfig } from './config.ts';
import { normalizeConfig } from './normalize.ts';
import { zodProblems } from './issues.ts';
import { NATIVE_SLOTH_PLUGINS, isSlothDocument, slothSchema, slothToConfig } from './formats/sloth.ts';
import { isOpenSloDocument, openSloToConfig } from './formats/openslo.ts';
import type { SolidaModel } from './model.ts';
import { importConfigModule } from './import-config.ts';

export type SpecFormat = 'typescript' | 'solida-yaml' | 'sloth' | 'openslo';

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
  if (SCRIPT_EXTENSIONS.has(extname(path))) return { format: 'typescript', model: fromConfig(await importConfig(path, file), file) };
  const text = await readFile(path, 'utf8');
  return parseSpecText(text, file);
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
    const value = doc.toJS();
    if (value !== null && value !== undefined) values.push(value);
  }
  if (parseProblems.length) throw new SolidaError(`${file} is not valid YAML`, 2, parseProblems);
  if (values.length === 0) throw new SolidaError(`${file} is empty`, 2, [{ file, message: 'no document found', fix: 'write a solida, Sloth or OpenSLO spec' }]);

  if (values.every(isOpenSloDocument)) {
    const { config, problems } = openSloToConfig(values, file);
    if (problems.length) throw invalid(file, problems);
    return { format: 'openslo', model: fromConfig(config, file) };
  }
  if (values.length > 1) throw invalid(file, [{ file, message: `${values.length} YAML documents`, fix: 'only OpenSLO files may hold several documents; split the file' }]);
  const value = values[0];
  if (isSlothDocument(value)) {
    const parsed = slothSchema.safeParse(value, { reportInput: true });
    if (!parsed.success) throw invalid(file, zodProblems(parsed.error, slothSchema, file));
    const plugins = parsed.data.slos.flatMap((s, i) => (s.sli.plugin !== undefined ? [{ file, path: `slos[${i}].sli.plugin`, message: 'Sloth SLI plugins are not supported', fix: 'write the SLI as events (error_query/total_query)' }] : []));
    const chains = [
      ...(parsed.data.slo_plugins?.chain ?? []).map((p, j) => ({ p, path: `slo_plugins.chain[${j}]` })),
      ...parsed.data.slos.flatMap((s, i) => (s.plugins?.chain ?? []).map((p, j) => ({ p, path: `slos[${i}].plugins.chain[${j}]` }))),
    ];
    for (const { p, path } of chains) {
      if (!NATIVE_SLOTH_PLUGINS.has(p.id)) plugins.push({ file, path: `${path}.id`, message: `Sloth SLO plugin ${p.id} is not supported`, fix: `remove it; solida supports ${[...NATIVE_SLOTH_PLUGINS].join(', ')} natively` });
    }
    if (plugins.length) throw invalid(file, plugins);
    return { format: 'sloth', model: fromConfig(slothToConfig(parsed.data), file) };
  }
  return { format: 'solida-yaml', model: fromConfig(value, file) };
}

async function importConfig(path: string, file: string): Promise<unknown> {
  try {
    // Cache-busting query: a long-lived process (tests, watch) re-reads an edited config.
    const mod = await importConfigModule(`${pathToFileURL(path).href}?t=${Date.now()}`);
    if (mod.default === undefined) throw new SolidaError(`${file} has no default export`, 2, [{ file, message: 'no default export', fix: 'end the file with: export default defineConfig({ services, slos })' }]);
    return mod.default;
  } catch (err) {
    if (err instanceof SolidaError) throw err;
    const message = (err as Error).message.split('\n')[0];
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec(message)?.[1];
    const fix = missing && !missing.startsWith('.') && !missing.startsWith('/') ? `install it in this project: npm install ${missing}` : 'fix the TypeScript error (run: npx tsc --noEmit)';
    throw new SolidaError(`${file} could not be loaded`, 2, [{ file, message, fix }]);
  }
}

function fromConfig(value: unknown, file: string): SolidaModel {
  const parsed = configSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw invalid(file, zodProblems(parsed.error, configSchema, file));
  const { model, problems } = normalizeConfig(parsed.data as SolidaConfig, file);
  if (problems.length) throw invalid(file, problems);
  return model;
}

function invalid(file: string, problems: Problem[]): SolidaError {
  return new SolidaError(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`, 2, problems);
}
