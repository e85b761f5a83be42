#!/usr/bin/env node
// tsc compiles only TypeScript: the data files modules read next to themselves at run time (Grafana's JSON
// Schemas in src/grafana/schema, with their README) and generated JavaScript with its declarations
// (src/slo/config-validator.generated.js + .d.ts) are copied to the same place under dist/ by the build.
import { cpSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

function copyAssets(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) copyAssets(path);
    else if (!e.name.endsWith('.ts') || e.name.endsWith('.d.ts')) cpSync(path, join(dist, relative(src, path)));
  }
}
copyAssets(src);
