// Which directories the lab may delete: only one `lab up` created. `up` writes a marker file first thing in
// a directory it creates (or in an empty one it is given); `up` and `down` refuse to delete any directory
// without it, and never touch `/`, the home directory, the working directory or its parents, or a repository.
import { existsSync, lstatSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SolidaError } from '../util/errors.ts';
import { makeDirSync } from '../util/make-dir.ts';

export const LAB_MARKER = '.solida-lab';
const MARKER_TEXT = 'solida-lab';

// The solida checkout/install itself (src/lab/ → two levels up).
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function isAncestorOrSelf(ancestor: string, of: string): boolean {
  const r = relative(ancestor, of);
  return r === '' || (!r.startsWith(`..${sep}`) && r !== '..' && !isAbsolute(r));
}

/** Why `dir` must never be deleted, whatever it contains; null when it may be. */
export function protectedReason(dir: string): string | null {
  const d = resolve(dir);
  if (d === '/' || dirname(d) === d) return 'it is the filesystem root';
  if (d === resolve(homedir())) return 'it is your home directory';
  if (isAncestorOrSelf(d, process.cwd())) return 'it is the working directory or one of its parents';
  if (isAncestorOrSelf(d, PACKAGE_ROOT)) return 'it holds solida itself';
  if (existsSync(join(d, '.git'))) return 'it is a repository (it has a .git)';
  return null;
}

function refuse(dir: string, why: string, action: string): SolidaError {
  return new SolidaError(`refusing to ${action} ${dir}: ${why}`, 2, [
    { file: dir, message: `nothing was stopped or deleted`, fix: 'pass a --dir of its own to `lab up` (e.g. .solida/lab), or remove the directory yourself' },
  ]);
}

/** The lab marker is present (a regular file, written by `lab up`). */
export function isOwnedLabDir(dir: string): boolean {
  const marker = join(dir, LAB_MARKER);
  try {
    return lstatSync(marker).isFile() && readFileSync(marker, 'utf8').startsWith(MARKER_TEXT);
  } catch {
    return false;
  }
}

/** Throws unless `dir` is a lab directory solida created and may delete. */
export function assertDeletableLab(dir: string, action: string): void {
  const why = protectedReason(dir);
  if (why) throw refuse(dir, why, action);
  if (!isOwnedLabDir(dir)) {
    throw refuse(dir, `it was not created by \`solida lab up\` (no ${LAB_MARKER} marker)`, action);
  }
}

/**
 * Make `dir` a lab directory: created (or an empty one adopted) with the marker written before anything else.
 * An existing non-empty directory without the marker is refused.
 */
export function claimLabDir(dir: string): void {
  const why = protectedReason(dir);
  if (why) throw refuse(dir, why, 'use as a lab directory');
  if (existsSync(dir)) {
    if (!lstatSync(dir).isDirectory()) throw refuse(dir, 'it is not a directory', 'use as a lab directory');
    if (!isOwnedLabDir(dir) && readdirSync(dir).length > 0) {
      throw refuse(dir, `it is not empty and was not created by \`solida lab up\` (no ${LAB_MARKER} marker)`, 'use as a lab directory');
    }
  }
  makeDirSync(dir);
  writeFileSync(join(dir, LAB_MARKER), `${MARKER_TEXT}\ncreated ${new Date().toISOString()} by pid ${process.pid}; \`solida lab down\` deletes this directory\n`);
}
