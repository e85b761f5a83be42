// Imports a user's solida.config.ts/.js. The runtime's own loader first (plain Node for .js; vitest or
// Node's type stripping can load .ts). Otherwise esbuild (the compiler tsx uses) bundles the config with
// the TypeScript files it imports into one module, imported from memory; every other import (solida,
// zod, …) is resolved where the config is and left to Node. That costs a few tens of milliseconds, where
// registering tsx's loader slows every later import of the process (~3x the CPU of `solida validate`).
// Nothing is written next to the user's file.
import { isBuiltin } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';

const NEEDS_LOADER = new Set(['ERR_UNKNOWN_FILE_EXTENSION', 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX', 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING']);
const TYPESCRIPT = /\.(?:[cm]?ts|tsx)$/;

type Module = { default?: unknown };

export async function importConfigModule(href: string): Promise<Module> {
  try {
    return (await import(href)) as Module;
  } catch (err) {
    if (!NEEDS_LOADER.has((err as NodeJS.ErrnoException)?.code ?? '')) throw err;
  }
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [fileURLToPath(new URL(href.replace(/\?.*$/, '')))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Node's conditions only (esbuild would add "module"), so a package resolves as Node resolves it.
    conditions: [],
    write: false,
    logLevel: 'silent',
    plugins: [packagesByUrl],
  });
  const code = out.outputFiles[0].text;
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as Module;
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
      if (TYPESCRIPT.test(found.path)) return { path: found.path };
      return { path: pathToFileURL(found.path).href, external: true };
    });
  },
};
