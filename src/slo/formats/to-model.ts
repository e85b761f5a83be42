// A foreign format's reading → the normalized model. Problems found after conversion (by solida's
// schema or normalizer) are reported at the file's own field paths, under the name of the format.
import { SolidaError, type Problem } from '../../util/errors.ts';
import { configSchema, type SolidaConfig } from '../config.ts';
import { normalizeConfig } from '../normalize.ts';
import { zodProblems } from '../issues.ts';
import type { SolidaModel } from '../model.ts';
import type { ForeignFormat, ReadResult } from './common.ts';
import type { Reading } from './read.ts';

export function foreignModel(reading: Exclude<Reading, { kind: 'solida' }>, file: string): { format: ForeignFormat; model: SolidaModel } {
  if (reading.kind === 'refused') throw refusal(file, reading.recognised, reading.problems);
  const problems: Problem[] = reading.results.flatMap((r) => r.problems);
  const recognised = reading.results.map((r) => r.recognised).join(' + ');
  if (problems.length) throw refusal(file, recognised, problems);
  const models = reading.results.map((r) => toModel(r, file, recognised));
  const model = models.reduce((a, b) => ({
    ...a,
    services: [...a.services, ...b.services.filter((s) => !a.services.some((x) => x.name === s.name))],
    slos: [...a.slos, ...b.slos],
  }));
  const ids = new Set<string>();
  for (const slo of model.slos) {
    if (ids.has(slo.id)) throw refusal(file, recognised, [{ file, message: `two SLOs with the id ${slo.id}`, fix: 'give each SLO of a service a unique name' }]);
    ids.add(slo.id);
  }
  return { format: reading.results[0].format, model };
}

function toModel(r: ReadResult, file: string, recognised: string): SolidaModel {
  const parsed = configSchema.safeParse(r.config, { reportInput: true });
  const translate = (p: Problem): Problem => ({ ...p, path: r.paths.translate(p.path) });
  if (!parsed.success) throw refusal(file, recognised, zodProblems(parsed.error, configSchema, file).map(translate).map(nameFix));
  const { model, problems } = normalizeConfig(parsed.data as SolidaConfig, file);
  if (problems.length) throw refusal(file, recognised, problems.map(translate));
  const byId = new Map(r.config.slos.map((s, i) => [`${s.service}-${s.name}`, i]));
  for (const slo of model.slos) {
    const i = byId.get(slo.id);
    if (i === undefined) continue;
    slo.source = r.sources[i];
    const origin = r.origins?.[i];
    if (origin && slo.sli.source === 'prometheus') slo.sli.origin = origin;
  }
  return model;
}

/** Names are checked by solida's schema, whose fix speaks of solida's fields; say what to rename. */
function nameFix(p: Problem): Problem {
  if (/names are letters/.test(p.message)) return { ...p, fix: 'rename it with letters, digits, "_", "." and "-" only (solida names files and rule groups after it)' };
  return p;
}

function refusal(file: string, recognised: string | undefined, problems: Problem[]): SolidaError {
  const n = problems.length;
  return new SolidaError(`${file}${recognised ? ` (read as ${recognised})` : ''}: ${n} problem${n === 1 ? '' : 's'}`, 2, problems);
}
