// Turns a user's solida.config.ts/.js into a module URL plain Node can import (the config sandbox imports it
// in a worker). JavaScript is imported as is. TypeScript is bundled by esbuild (the compiler tsx uses) with
// the TypeScript files it imports into one module, imported from memory (a data: URL); every other import
// (solida, zod, …) is resolved where the config is and left to Node. That costs a few tens of milliseconds,
// where a TypeScript loader slows every later import of the process. Nothing is written next to the file,
// and bundling only reads and transforms the code: the config runs only where it is imported.
import { isBuiltin } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';

const TYPESCRIPT = /\.(?:[cm]?ts|tsx)$/;

export async function configModuleUrl(href: string): Promise<string> {
  const path = fileURLToPath(new URL(href.replace(/\?.*$/, '')));
  if (!TYPESCRIPT.test(path)) return href;
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
    logLevel: 'silent',
    plugins: [packagesByUrl],
  });
  return `data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`;
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
