// Which format a YAML file is, document by document, and the reader for it. A file may hold several
// `---` documents and YAML lists of objects (OpenSLO's SDK writes those; Kubernetes writes `kind: List`);
// every document is identified by its own apiVersion/kind (or `version:` for Sloth), and one that is no
// format solida reads is named, with the list of those it does.
import type { Problem } from '../../util/errors.ts';
import { type Doc, type ReadResult, KNOWN_FORMATS, join } from './common.ts';
import { isSlothDocument, readSloth } from './sloth.ts';
import { isOpenSloDocument, readOpenSlo } from './openslo.ts';
import { isPyrraDocument, readPyrra } from './pyrra.ts';

export type Identified = 'solida' | 'sloth' | 'openslo' | 'pyrra';

/** Other tools' formats people try, named so the message says what the file is. */
const OTHER_TOOLS: { match: (d: Record<string, unknown>) => boolean; name: string }[] = [
  { match: (d) => d.apiVersion === 'sre.google.com/v2' || d.apiVersion === 'sre.google.com/v1', name: "Google slo-generator's" },
  { match: (d) => String(d.apiVersion ?? '').startsWith('monitoring.coreos.com/'), name: 'a prometheus-operator' },
  { match: (d) => String(d.apiVersion ?? '').startsWith('n9/'), name: 'a Nobl9' },
];

function identify(value: unknown): Identified | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (isSlothDocument(value)) return 'sloth';
  if (isOpenSloDocument(value)) return 'openslo';
  if (isPyrraDocument(value)) return 'pyrra';
  const d = value as Record<string, unknown>;
  if (d.apiVersion === undefined && d.kind === undefined && d.version === undefined && ('services' in d || 'slos' in d)) return 'solida';
  return undefined;
}

function describe(value: unknown): string {
  if (typeof value !== 'object' || value === null) return `a ${value === null ? 'null' : typeof value} value`;
  if (Array.isArray(value)) return 'a list';
  const d = value as Record<string, unknown>;
  const fields = (['apiVersion', 'kind', 'version'] as const).filter((k) => d[k] !== undefined).map((k) => `${k}: ${JSON.stringify(d[k])}`);
  const other = OTHER_TOOLS.find((t) => t.match(d));
  if (fields.length) return `${other ? `${other.name} format ` : ''}(${fields.join(', ')})`;
  const keys = Object.keys(d).slice(0, 5);
  return keys.length ? `a document with ${keys.join(', ')}` : 'an empty document';
}

/** Documents as read, with lists (YAML lists, Kubernetes `kind: List`) opened into their items. */
export function flatten(values: unknown[]): Doc[] {
  const out: Doc[] = [];
  values.forEach((value, i) => {
    const at = values.length > 1 ? `documents[${i}]` : '';
    if (Array.isArray(value)) value.forEach((item, j) => out.push({ value: item, at: `${at}[${j}]` }));
    else if (isKubernetesList(value)) (value as { items: unknown[] }).items.forEach((item, j) => out.push({ value: item, at: join(at, `items[${j}]`) }));
    else out.push({ value, at });
  });
  return out;
}

function isKubernetesList(value: unknown): boolean {
  const d = value as { kind?: unknown; items?: unknown };
  return typeof value === 'object' && value !== null && typeof d.kind === 'string' && d.kind.endsWith('List') && Array.isArray(d.items);
}

export type Reading = { kind: 'solida'; value: unknown } | { kind: 'foreign'; results: ReadResult[] } | { kind: 'refused'; problems: Problem[]; recognised?: string };

/** Sorts the file's documents by format and runs each format's reader over its documents. */
export function readDocuments(values: unknown[], file: string): Reading {
  const docs = flatten(values);
  const unknown: Problem[] = [];
  const byFormat = new Map<Identified, Doc[]>();
  for (const doc of docs) {
    const format = identify(doc.value);
    if (!format) {
      unknown.push({
        file,
        path: doc.at || '(top level)',
        message: `not a spec solida reads: ${describe(doc.value)}`,
        fix: `solida reads ${KNOWN_FORMATS.join('; ')}`,
      });
      continue;
    }
    byFormat.set(format, [...(byFormat.get(format) ?? []), doc]);
  }
  const solida = byFormat.get('solida');
  if (solida) {
    if (docs.length === 1 && unknown.length === 0) return { kind: 'solida', value: solida[0].value };
    return {
      kind: 'refused',
      recognised: 'solida YAML',
      problems: [...unknown, ...solida.slice(docs.length === 1 ? 1 : 0).map((d) => ({ file, path: d.at || '(top level)', message: 'a solida spec must be the only document of its file', fix: 'put services and slos in one document, and other formats in their own files' }))],
    };
  }
  const results: ReadResult[] = [];
  const sloth = byFormat.get('sloth');
  if (sloth) results.push(readSloth(sloth, file));
  const openslo = byFormat.get('openslo');
  if (openslo) results.push(readOpenSlo(openslo, file));
  const pyrra = byFormat.get('pyrra');
  if (pyrra) results.push(readPyrra(pyrra, file));
  if (unknown.length) return { kind: 'refused', problems: [...unknown, ...results.flatMap((r) => r.problems)], recognised: results.map((r) => r.recognised).join(' + ') || undefined };
  return { kind: 'foreign', results };
}
