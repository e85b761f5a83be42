// The folder order of docs/architecture.md, checked on every run: a folder under src/ may import only
// folders in layers below its own, so the data flow spec → model → generators → edges → CLI stays
// readable from the tree and no folder cycle can come back. A new folder must be placed here (and in
// the docs' table) before it can import anything.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

/** Bottom to top; keep in step with the table in docs/architecture.md. */
export const LAYERS: string[][] = [
  ['util'],
  ['slo', 'aws-models'],
  ['scenarios'],
  ['prometheus', 'cloudwatch', 'loadgen'],
  ['chaos', 'k6', 'grafana'],
  ['ci'],
  ['aws', 'budget', 'gate', 'exporter'],
  ['runbooks'],
  ['lab'],
  ['gameday'],
  ['serve'],
  ['cli', '(root)'],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : /\.(ts|mts)$/.test(e.name) ? [p] : [];
  });
}

/** Relative specifiers of static, type-only and dynamic imports and re-exports. */
export function importSpecifiers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])(\.{1,2}\/[^'"]+)\1/gm)) found.push(m[2]!);
  return found;
}

const folderOf = (file: string): string => {
  const parts = relative(SRC, file).split(sep);
  return parts.length === 1 ? '(root)' : parts[0]!;
};

export function folderImports(): { from: string; to: string; where: string }[] {
  const out: { from: string; to: string; where: string }[] = [];
  for (const file of sourceFiles(SRC)) {
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(SRC + sep)) continue;
      const from = folderOf(file);
      const to = folderOf(target);
      if (from !== to) out.push({ from, to, where: `${relative(SRC, file)} imports ${spec}` });
    }
  }
  return out;
}

export function layerViolations(imports: { from: string; to: string; where: string }[], layers = LAYERS): string[] {
  const rank = new Map(layers.flatMap((names, i) => names.map((n) => [n, i] as const)));
  const problems: string[] = [];
  for (const { from, to, where } of imports) {
    const a = rank.get(from);
    const b = rank.get(to);
    if (a === undefined || b === undefined) {
      problems.push(`src/${a === undefined ? from : to} has no layer: add it to LAYERS here and to docs/architecture.md (${where})`);
    } else if (b >= a) {
      problems.push(`src/${from} (layer ${a}) must not import src/${to} (layer ${b}): ${where}`);
    }
  }
  return [...new Set(problems)];
}

describe('folder layers', () => {
  it('every folder under src has a layer', () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    const placed = new Set(LAYERS.flat());
    expect(folders.filter((f) => !placed.has(f))).toEqual([]);
  });

  it('no folder imports a folder in its own layer or above', () => {
    expect(layerViolations(folderImports())).toEqual([]);
  });

  it('docs/architecture.md shows the same layers', () => {
    const doc = readFileSync(resolve(import.meta.dirname, '../../docs/architecture.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| (\d+) \| ([^|]+) \|/gm)].map((m) => [...m[2]!.matchAll(/`([^`]+)`/g)].map((f) => f[1]!.replace('index.ts', '(root)')));
    expect(rows).toEqual(LAYERS);
  });

  it('finds an upward import (the check can fail)', () => {
    const imports = [
      ...folderImports(),
      { from: 'slo', to: 'cloudwatch', where: 'slo/x.ts imports ../cloudwatch/y.ts' },
      { from: 'runbooks', to: 'lab', where: 'runbooks/t.ts imports ../lab/runbook-target.ts' },
    ];
    expect(layerViolations(imports)).toEqual([
      'src/slo (layer 1) must not import src/cloudwatch (layer 3): slo/x.ts imports ../cloudwatch/y.ts',
      'src/runbooks (layer 7) must not import src/lab (layer 8): runbooks/t.ts imports ../lab/runbook-target.ts',
    ]);
  });

  it('reads static, type-only, dynamic and re-export specifiers', () => {
    const text = [
      "import { a } from '../x/a.ts';",
      "import type { B } from '../y/b.ts';",
      "export { c } from './c.ts';",
      "const d = await import('../z/d.ts');",
      "import '../w/side-effect.ts';",
      "import { e } from 'node:fs';",
    ].join('\n');
    expect(importSpecifiers(text)).toEqual(['../x/a.ts', '../y/b.ts', './c.ts', '../z/d.ts', '../w/side-effect.ts']);
  });
});
