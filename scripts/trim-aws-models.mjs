#!/usr/bin/env node
// Regenerates models/aws/: the AWS API models (Smithy JSON AST) that solida's request validator
// (src/aws/smithy.ts) reads, trimmed to the operations listed in models/aws/operations.json and the
// shapes their requests reach. The full models are tens of MB with documentation; the package ships
// only what validation needs, so nothing outside the package is read at run time.
//
//   node scripts/trim-aws-models.mjs <folder with the full models> [output folder, default models/aws]
//
// The full models come from https://github.com/aws/api-models-aws (one JSON file per service and
// version, e.g. models/cloudwatch/service/2010-08-01/cloudwatch-2010-08-01.json), Apache-2.0.
// Plain Node with no dependencies, like scripts/setup.mjs.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [source, outArg] = process.argv.slice(2);
if (!source || source === '--help' || source === '-h') {
  process.stderr.write('usage: node scripts/trim-aws-models.mjs <folder with the full Smithy JSON models> [output folder]\n');
  process.exit(source ? 0 : 2);
}
const out = resolve(outArg ?? join(root, 'models', 'aws'));
// The list is data, so adding an operation for a new command is a one-line change there.
const list = JSON.parse(readFileSync(join(root, 'models', 'aws', 'operations.json'), 'utf8'));

// Traits that only document: the validator never reads them and they are most of a model's size.
const DROPPED_TRAITS = new Set([
  'smithy.api#documentation',
  'smithy.api#examples',
  'smithy.api#externalDocumentation',
  'smithy.api#suppress',
  'smithy.api#deprecated',
]);

function keepTraits(traits) {
  if (!traits) return undefined;
  const kept = Object.fromEntries(Object.entries(traits).filter(([k]) => !DROPPED_TRAITS.has(k)).sort(([a], [b]) => a.localeCompare(b)));
  return Object.keys(kept).length ? kept : undefined;
}

function trimMember(ref) {
  const traits = keepTraits(ref.traits);
  return traits ? { target: ref.target, traits } : { target: ref.target };
}

/** A shape as the validator needs it: type, structure, constraints; no docs, no outputs, no errors. */
function trimShape(shape) {
  const t = { type: shape.type };
  if (shape.type === 'operation') {
    if (shape.input) t.input = { target: shape.input.target };
  } else {
    if (shape.members) t.members = Object.fromEntries(Object.entries(shape.members).map(([k, m]) => [k, trimMember(m)]));
    for (const k of ['member', 'key', 'value']) if (shape[k]) t[k] = trimMember(shape[k]);
  }
  const traits = keepTraits(shape.traits);
  if (traits) t.traits = traits;
  return t;
}

function targetsOf(shape) {
  const refs = [...Object.values(shape.members ?? {}), shape.member, shape.key, shape.value].filter(Boolean);
  return refs.map((r) => r.target);
}

function trimModel(service, { model, operations }) {
  const file = join(source, model);
  if (!existsSync(file)) throw new Error(`${service}: ${file} not found`);
  const full = JSON.parse(readFileSync(file, 'utf8'));
  const byName = new Map(Object.entries(full.shapes).filter(([, s]) => s.type === 'operation').map(([id]) => [id.slice(id.indexOf('#') + 1), id]));
  const kept = new Map();
  const queue = [];
  for (const op of operations) {
    const id = byName.get(op);
    if (!id) throw new Error(`${service}: ${model} has no operation ${op} (check models/aws/operations.json)`);
    kept.set(id, trimShape(full.shapes[id]));
    if (full.shapes[id].input) queue.push(full.shapes[id].input.target);
  }
  while (queue.length) {
    const id = queue.pop();
    if (kept.has(id) || id.startsWith('smithy.api#')) continue;
    const shape = full.shapes[id];
    if (!shape) throw new Error(`${service}: ${model} references unknown shape ${id}`);
    kept.set(id, trimShape(shape));
    queue.push(...targetsOf(shape));
  }
  const shapes = Object.fromEntries([...kept].sort(([a], [b]) => a.localeCompare(b)));
  return {
    smithy: full.smithy,
    metadata: { 'solida.trimmed': { from: model, operations: [...operations].sort() } },
    shapes,
  };
}

mkdirSync(out, { recursive: true });
let total = 0;
for (const [service, entry] of Object.entries(list.services)) {
  const text = `${JSON.stringify(trimModel(service, entry), null, 1)}\n`;
  writeFileSync(join(out, entry.model), text);
  total += text.length;
  process.stdout.write(`${entry.model}: ${entry.operations.length} operation(s), ${(text.length / 1024).toFixed(0)} KiB\n`);
}
// The models are Apache-2.0: the licence travels with the copy, and NOTICE says it was modified.
if (resolve(source) !== out) {
  if (!existsSync(join(source, 'LICENSE'))) throw new Error(`${source}/LICENSE not found: the models' licence must travel with the trimmed copy`);
  copyFileSync(join(source, 'LICENSE'), join(out, 'LICENSE'));
  chmodSync(join(out, 'LICENSE'), 0o644);
}
writeFileSync(
  join(out, 'NOTICE'),
  [
    'AWS API models (Smithy JSON AST) from https://github.com/aws/api-models-aws',
    'Copyright Amazon.com, Inc. or its affiliates. All Rights Reserved.',
    'Licensed under the Apache License, Version 2.0 (see LICENSE in this folder).',
    '',
    'Modified by solida: scripts/trim-aws-models.mjs keeps only the operations listed in operations.json,',
    'the shapes their requests reach, and the traits request validation uses (documentation removed).',
    '',
  ].join('\n'),
);
process.stdout.write(`wrote ${out} (${(total / 1024).toFixed(0)} KiB of models)\n`);
