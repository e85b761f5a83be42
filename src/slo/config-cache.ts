// The compile cache of TypeScript configs: esbuild's bundle of a config, kept under a key made of the
// config's path and content, and used again only while every file that went into the bundle still has the
// content it had (SHA-256 of each) and every package file the bundle imports still exists. A changed
// config or local import is bundled again; a cache that cannot be read or written is simply not used.
//
// Where: $SOLIDA_CACHE_DIR, else $XDG_CACHE_HOME/solida, else node_modules/.cache/solida in the nearest
// folder above the config that has node_modules (where build tools keep theirs); a config outside any
// project (a file in /tmp) is not cached. SOLIDA_CONFIG_CACHE=off turns it off.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BundleInput {
  /** As esbuild's metafile names it (relative to the working directory) or absolute. */
  path: string;
}

interface CacheEntry {
  version: 1;
  inputs: { path: string; sha256: string }[];
  code: string;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export function configCacheDir(configPath: string): string | undefined {
  if (process.env.SOLIDA_CONFIG_CACHE === 'off') return undefined;
  if (process.env.SOLIDA_CACHE_DIR) return resolve(process.env.SOLIDA_CACHE_DIR);
  if (process.env.XDG_CACHE_HOME) return join(process.env.XDG_CACHE_HOME, 'solida');
  for (let dir = dirname(configPath); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules', '.cache', 'solida');
    if (dirname(dir) === dir) return undefined;
  }
}

/** What a lookup found: the bundle, or the config's content hash to store a new bundle under. */
export type CacheLookup = { code: string } | { code?: undefined; contentHash: string | undefined };

function entryFile(configPath: string, contentHash: string): string | undefined {
  const dir = configCacheDir(configPath);
  return dir ? join(dir, `config-${sha256(`${configPath}\u0000${contentHash}`).slice(0, 32)}.json`) : undefined;
}

/** The cached bundle of `configPath`, if every file it was made from is unchanged. */
export function readCachedBundle(configPath: string): CacheLookup {
  let contentHash: string;
  try {
    contentHash = sha256(readFileSync(configPath));
  } catch {
    return { contentHash: undefined };
  }
  const code = readEntry(entryFile(configPath, contentHash), configPath);
  return code === undefined ? { contentHash } : { code };
}

function readEntry(file: string | undefined, configPath: string): string | undefined {
  if (!file) return undefined;
  try {
    const entry = JSON.parse(readFileSync(file, 'utf8')) as CacheEntry;
    if (entry.version !== 1 || typeof entry.code !== 'string' || !Array.isArray(entry.inputs)) return undefined;
    // The config itself is always among the inputs; an entry without it was not written here.
    if (!entry.inputs.some((i) => i.path === configPath)) return undefined;
    for (const input of entry.inputs) if (sha256(readFileSync(input.path)) !== input.sha256) return undefined;
    // Packages are imported by absolute file URL: a reinstall that moved one means bundling again.
    for (const m of entry.code.matchAll(/"(file:\/\/\/[^"]+)"/g)) if (!existsSync(fileURLToPath(m[1]))) return undefined;
    return entry.code;
  } catch {
    return undefined;
  }
}

/**
 * Stores the bundle made from the config whose content hashed to `contentHash` before bundling. The other
 * inputs are hashed now; if the config itself changed meanwhile, nothing is stored (the bundle may be older).
 */
export function writeCachedBundle(configPath: string, contentHash: string | undefined, code: string, inputs: BundleInput[]): void {
  const file = contentHash ? entryFile(configPath, contentHash) : undefined;
  if (!file) return;
  try {
    const entry: CacheEntry = {
      version: 1,
      inputs: inputs.map((i) => {
        const path = resolve(i.path);
        return { path, sha256: sha256(readFileSync(path)) };
      }),
      code,
    };
    if (!entry.inputs.some((i) => i.path === resolve(configPath) && i.sha256 === contentHash)) return;
    mkdirSync(dirname(file), { recursive: true });
    // Written aside and renamed: a concurrent reader sees the old entry or the new one, never half of one.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(entry));
    renameSync(tmp, file);
  } catch {
    // A read-only or full disk only costs the next run a bundling.
  }
}
