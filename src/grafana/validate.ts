// Checks generated dashboards against Grafana's published JSON Schemas (shipped in ./schema): the
// dashboard model, each Prometheus target, and each panel type's options and custom field config.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import type { Json } from './panels.ts';

const load = (name: string) => JSON.parse(readFileSync(new URL(`./schema/${name}.jsonschema.json`, import.meta.url), 'utf8')) as Json;

interface Validators {
  dashboard: ValidateFunction;
  target: ValidateFunction;
  options: Record<string, ValidateFunction>;
  custom: Record<string, ValidateFunction>;
}

let cached: Validators | undefined;

function validators(): Validators {
  if (cached) return cached;
  // Grafana's schemas carry descriptive keywords Ajv does not know; formats are not what is checked here.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const part = (schema: Json, def: string) => ajv.compile({ ...schema, $ref: `#/definitions/${def}` });
  const panels = { stat: load('stat'), timeseries: load('timeseries'), table: load('table') };
  cached = {
    dashboard: ajv.compile(load('dashboard')),
    target: part(load('prometheus'), 'Dataquery'),
    options: Object.fromEntries(Object.entries(panels).map(([k, s]) => [k, part(s, 'Options')])),
    custom: { timeseries: part(panels.timeseries, 'FieldConfig'), table: part(panels.table, 'FieldConfig') },
  };
  return cached;
}

/** Problems as "path: message" lines; empty when the dashboard is valid. */
export function validateDashboard(dashboard: Json): string[] {
  const v = validators();
  const out: string[] = [];
  const check = (fn: ValidateFunction, value: unknown, at: string) => {
    if (!fn(value)) out.push(...(fn.errors ?? []).map((e: ErrorObject) => `${at}${e.instancePath}: ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`));
  };
  check(v.dashboard, dashboard, '');
  const panels = (dashboard.panels as Json[] | undefined) ?? [];
  panels.forEach((p, i) => {
    const type = String(p.type);
    if (type === 'row') return;
    ((p.targets as Json[] | undefined) ?? []).forEach((t, j) => check(v.target, t, `/panels/${i}/targets/${j}`));
    const options = v.options[type];
    if (!options) out.push(`/panels/${i}/type: ${type} has no shipped schema`);
    else check(options, p.options, `/panels/${i}/options`);
    const custom = v.custom[type];
    const defaults = (p.fieldConfig as Json | undefined)?.defaults as Json | undefined;
    if (custom && defaults?.custom !== undefined) check(custom, defaults.custom, `/panels/${i}/fieldConfig/defaults/custom`);
  });
  return out;
}
