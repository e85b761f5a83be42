// Turns a user's solida.config.ts/.js into a module URL plain Node can import (the config sandbox imports it
// in a worker). JavaScript is imported as is. TypeScript is bundled by esbuild (the compiler tsx uses) with
// the TypeScript files it imports into one module, imported from memory (a data: URL); every other import
// (solida, zod, …) is resolved where the config is and left to Node. Nothing is written next to the file,
// and bundling only reads and transforms the code: the config runs only where it is imported.
//
// Start-up time (`solida validate` in well under a second): the bundle is kept in a compile cache keyed by the
// content of the config and of every local file it bundled (config-cache.ts), so an unchanged config costs
// no esbuild at all; and a config that imports only defineConfig from 'solida' gets define-config.js
// instead of the whole library, which the worker would otherwise load a second time.
import { existsSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import { readCachedBundle, writeCachedBundle, type BundleInput } from './config-cache.ts';

const TYPESCRIPT = /\.(?:[cm]?ts|tsx)$/;

/** What define-config.js exports: a config importing only these from 'solida' does not need the library. */
const LIGHT_EXPORTS = new Set(['defineConfig']);

/**
 * solida's own package root (this file is in src/slo/ or dist/slo/). Computed when asked, not at load:
 * a config bundled from solida's sources evaluates this module from a data: URL.
 */
const packageRoot = () => new URL('../../', import.meta.url);

/** What the sandbox imports: a module URL, and for a TypeScript config the bundled code itself. */
export interface ConfigModule {
  url: string;
  code?: string;
}

export async function configModule(href: string): Promise<ConfigModule> {
  const path = fileURLToPath(new URL(href.replace(/\?.*$/, '')));
  if (!TYPESCRIPT.test(path)) return { url: href };
  const cached = readCachedBundle(path);
  const code = lightenSolidaImport(cached.code === undefined ? await bundle(path, cached.contentHash) : cached.code);
  return { url: `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`, code };
}

/** The module a config importing only defineConfig from 'solida' imports instead (see lightenSolidaImport). */
export function defineConfigModuleHref(): string {
  return new URL('dist/slo/define-config.js', packageRoot()).href;
}

async function bundle(path: string, contentHash: string | undefined): Promise<string> {
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [path],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Node's conditions only (esbuild would add "module"), so a package resolves as Node resolves it.
    conditions: [],
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [packagesByUrl],
  });
  const code = out.outputFiles[0].text;
  // The metafile lists every file esbuild read into the bundle (paths relative to the working directory).
  const inputs: BundleInput[] = Object.keys(out.metafile.inputs).map((p) => ({ path: p }));
  writeCachedBundle(path, contentHash, code, inputs);
  return code;
}

/**
 * Points `import { defineConfig } from "…/dist/index.js"` at define-config.js when that is all the bundle
 * takes from solida. esbuild prints external imports in one canonical form, so a plain match is exact; any
 * other use of the library (a namespace import, another name) leaves the code as it is.
 */
export function lightenSolidaImport(code: string): string {
  const quoted = JSON.stringify(new URL('dist/index.js', packageRoot()).href);
  const light = new URL(defineConfigModuleHref());
  const uses = code.split(quoted).length - 1;
  if (uses === 0 || !existsSync(light)) return code;
  const named = new RegExp(`import \\{([^}]*)\\} from ${quoted.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')};`, 'g');
  const statements = [...code.matchAll(named)];
  const names = statements.flatMap((m) =>
    m[1]
      .split(',')
      .map((n) => n.trim().split(/\s+as\s+/)[0])
      .filter(Boolean),
  );
  if (statements.length !== uses || !names.every((n) => LIGHT_EXPORTS.has(n))) return code;
  return code.split(quoted).join(JSON.stringify(light.href));
}

/**
 * In solida's own checkout, tsconfig maps 'solida' to src/index.ts; the built package (dist/) is what the
 * CLI runs, so the config imports that rather than a second copy of the library bundled from the sources.
 */
function compiledSolida(path: string): string | undefined {
  const src = fileURLToPath(new URL('src/', packageRoot()));
  if (!path.startsWith(src)) return undefined;
  const compiled = join(fileURLToPath(packageRoot()), 'dist', relative(src, path).replace(TYPESCRIPT, '.js'));
  return existsSync(compiled) ? pathToFileURL(compiled).href : undefined;
}

/** Packages stay outside the bundle as absolute file URLs (a data: module cannot look up node_modules). */
const packagesByUrl: Plugin = {
  name: 'solida-packages-by-url',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'inner') return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      const found = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'inner' });
      if (found.errors.length) return { errors: found.errors };
      // A TypeScript target (a tsconfig path, a workspace package) is bundled: Node could not load it.
      if (TYPESCRIPT.test(found.path)) {
        const compiled = compiledSolida(found.path);
        return compiled ? { path: compiled, external: true } : { path: found.path };
      }
      return { path: pathToFileURL(found.path).href, external: true };
    });
  },
};
