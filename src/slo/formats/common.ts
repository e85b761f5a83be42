// What every foreign-format reader shares: the result shape, coercion of YAML scalars people write
// unquoted, and the map from solida's config paths back to the file's own field paths (so a problem
// found after conversion still points at `error_query`, not at solida's `sli.events.errors`).
import { z } from 'zod';
import type { Problem } from '../../util/errors.ts';
import type { SolidaConfig } from '../config.ts';
import type { SliOrigin, SloSource } from '../model.ts';
import { zodProblems } from '../issues.ts';

export type ForeignFormat = 'sloth' | 'openslo' | 'pyrra';

export interface ReadResult {
  format: ForeignFormat;
  /** What the headline of an error names, e.g. "Sloth prometheus/v1". */
  recognised: string;
  config: SolidaConfig;
  /** One per config.slos entry, same order. */
  sources: SloSource[];
  /** SLI origins that replace the one solida would infer (same order; undefined = keep). */
  origins?: (SliOrigin | undefined)[];
  paths: PathMap;
  problems: Problem[];
}

/** A document of the file, with the path prefix its fields are reported under. */
export interface Doc {
  value: unknown;
  /** '' for a file of one document; `documents[2]`, `[1]`, `documents[0].items[3]` otherwise. */
  at: string;
}

/** Joins a document prefix and a field path: ('documents[1]', 'spec.slos[0]') → 'documents[1].spec.slos[0]'. */
export function join(prefix: string, rest: string): string {
  if (!prefix) return rest;
  if (!rest) return prefix;
  return rest.startsWith('[') ? `${prefix}${rest}` : `${prefix}.${rest}`;
}

/** solida config path → the file's own path; longest prefix wins. */
export class PathMap {
  private readonly entries = new Map<string, string>();
  set(configPath: string, filePath: string): void {
    this.entries.set(configPath, filePath);
  }
  translate(path: string | undefined): string | undefined {
    if (path === undefined) return undefined;
    let best: string | undefined;
    for (const key of this.entries.keys()) {
      const matches = path === key || path.startsWith(`${key}.`) || path.startsWith(`${key}[`);
      if (matches && (best === undefined || key.length > best.length)) best = key;
    }
    if (best === undefined) return path;
    const rest = path.slice(best.length);
    const base = this.entries.get(best)!;
    // A solida-only tail (e.g. `.alerting.tiers.page-1h.for`) is kept after the file's path, marked as
    // solida's so a reader is not sent looking for a field the file cannot have.
    if (!rest) return base;
    return `${base} (solida field ${rest.replace(/^\./, '')})`;
  }
}

/** Label values written unquoted (`generated: true`, `tier: 2`) are strings to Prometheus and to Sloth. */
export const labelValue = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));
export const labelMap = z.record(z.string(), labelValue);

export class Problems {
  readonly list: Problem[] = [];
  constructor(readonly file: string) {}
  add(path: string, message: string, fix?: string): void {
    this.list.push({ file: this.file, path: path || '(top level)', message, fix });
  }
  zod(error: z.ZodError, schema: z.ZodType, prefix: string): void {
    for (const p of zodProblems(error, schema, this.file)) this.list.push({ ...p, path: join(prefix, p.path === '(top level)' ? '' : (p.path ?? '')) || '(top level)' });
  }
}

/** The formats solida reads, for messages about a file it does not recognise. */
export const KNOWN_FORMATS = [
  'solida YAML (services: and slos:)',
  'Sloth prometheus/v1 (version: prometheus/v1)',
  'Sloth sloth.slok.dev/v1 PrometheusServiceLevel and AlertWindows',
  'OpenSLO openslo/v1 (SLO, SLI, Service, DataSource, AlertPolicy, AlertCondition, AlertNotificationTarget)',
  'Pyrra pyrra.dev/v1alpha1 ServiceLevelObjective',
];
