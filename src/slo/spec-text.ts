// YAML/JSON spec text of any supported format (solida YAML, Sloth, OpenSLO v1, Pyrra) into the model.
// Its own module so a TypeScript config never loads the YAML parser and the foreign readers.
import { parseAllDocuments } from 'yaml';
import { SolidaError, type Problem } from '../util/errors.ts';
import { fromConfig } from './from-config.ts';
import { readDocuments } from './formats/read.ts';
import { foreignModel } from './formats/to-model.ts';
import type { SolidaModel } from './model.ts';

export type SpecFormat = 'typescript' | 'solida-yaml' | 'sloth' | 'openslo' | 'pyrra';

export interface LoadedSpec {
  format: SpecFormat;
  model: SolidaModel;
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
