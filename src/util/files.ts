// Output is written whole or not at all, and never replaces anything but a regular file:
// - a regular file (or a new one) is written beside the target, then renamed over it (atomic in a directory);
// - a symlink is followed: its target is replaced, the link stays a link;
// - a stream someone is reading (a FIFO, a terminal, /dev/null, /dev/stdout) is written to directly;
// - anything else (directory, socket, block device, other device nodes) is refused with exit 2.
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsc, lstatSync, type Stats } from 'node:fs';
import { lstat, mkdtemp, open, readFile, readlink, realpath, rename, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SolidaError } from './errors.ts';
import { makeDir } from './make-dir.ts';

export interface OutputFile {
  path: string;
  content: string;
}

/** Turns a filesystem error into a one-line refusal naming the path and a fix (exit 2). */
export function writeError(path: string, err: unknown): SolidaError {
  if (err instanceof SolidaError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const fixes: Record<string, string> = {
    EACCES: 'make the directory writable, or choose another output path',
    EPERM: 'make the directory writable, or choose another output path',
    EROFS: 'the filesystem is read-only: choose an output path on a writable one',
    ENOSPC: 'the disk is full: free some space or write elsewhere',
    EDQUOT: 'the disk quota is exhausted: free some space or write elsewhere',
    EISDIR: 'the path is a directory: give a file name',
    ENOTDIR: 'a parent of the path is a file, not a directory: choose another path',
    ENAMETOOLONG: 'choose a shorter path',
    ELOOP: 'the path is a symlink loop: remove it or choose another path',
  };
  const message = code ? `${code}: ${(err as Error).message.replace(/^[A-Z]+: /, '').split('\n')[0]}` : String((err as Error)?.message ?? err);
  return new SolidaError(`cannot write ${path}`, 2, [{ file: path, message, fix: fixes[code ?? ''] ?? 'check the path and its directory' }]);
}

function refusal(path: string, what: string): SolidaError {
  return new SolidaError(`refusing to write ${path}: it is ${what}`, 2, [
    { file: path, message: `solida only replaces regular files (or writes to a pipe, terminal or /dev/null); this is ${what}`, fix: 'choose a regular file path' },
  ]);
}

// Character devices that are plain output streams: /dev/null (1,3), terminals and ptys. Writing to any other
// device node (/dev/mem, /dev/port, /dev/kmsg…) could do damage, so it is refused.
function isStreamDevice(st: Stats): boolean {
  const major = Math.floor(st.rdev / 256) & 0xfff;
  const minor = (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00);
  if (major === 1 && minor === 3) return true;
  return major === 4 || major === 5 || (major >= 136 && major <= 143);
}

type Target =
  | { kind: 'file'; path: string; mode?: number }
  | { kind: 'stream'; path: string; fifo: boolean }
  | { kind: 'in-place'; path: string };

/** Decides how `path` may be written (following symlinks), refusing what must not be replaced. */
async function resolveTarget(path: string, shown: string, depth = 0): Promise<Target> {
  if (depth > 40) throw refusal(shown, 'a symlink loop');
  let st: Stats;
  try {
    st = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'file', path };
    throw writeError(shown, err);
  }
  if (st.isSymbolicLink()) {
    const followed = await stat(path).catch(() => null);
    if (!followed) {
      // A dangling link: create its target (the link keeps pointing at it).
      const link = await readlink(path);
      return resolveTarget(isAbsolute(link) ? link : resolve(dirname(path), link), shown, depth + 1);
    }
    const real = await realpath(path).catch(() => null);
    // /dev/stdout → /proc/self/fd/1 → "pipe:[…]" has no real path: write to the stream itself.
    if (!real || !real.startsWith(sep) || real.includes(':[')) {
      if (followed.isFIFO()) return { kind: 'stream', path, fifo: true };
      if (followed.isCharacterDevice() && isStreamDevice(followed)) return { kind: 'stream', path, fifo: false };
      if (followed.isFile()) return { kind: 'in-place', path };
      throw refusal(shown, describe(followed));
    }
    return resolveTarget(real, shown, depth + 1);
  }
  if (st.isFile()) return { kind: 'file', path, mode: st.mode & 0o7777 };
  if (st.isFIFO()) return { kind: 'stream', path, fifo: true };
  if (st.isCharacterDevice() && isStreamDevice(st)) return { kind: 'stream', path, fifo: false };
  throw refusal(shown, describe(st));
}

function describe(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isSocket()) return 'a socket';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isCharacterDevice()) return 'a device node';
  if (st.isFIFO()) return 'a FIFO';
  return 'not a regular file';
}

async function writeStream(target: { path: string; fifo: boolean }, content: string, shown: string): Promise<void> {
  if (target.fifo) {
    // Opening a FIFO for writing blocks until a reader comes; with no reader, refuse instead of hanging.
    try {
      const probe = await open(target.path, fsc.O_WRONLY | fsc.O_NONBLOCK);
      await probe.close();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENXIO') {
        throw new SolidaError(`refusing to write ${shown}: it is a FIFO nobody is reading`, 2, [
          { file: shown, message: 'no process has the FIFO open for reading', fix: 'start the reader first, or choose a regular file path' },
        ]);
      }
      throw writeError(shown, err);
    }
  }
  const fh = await open(target.path, fsc.O_WRONLY | fsc.O_APPEND).catch((err) => {
    throw writeError(shown, err);
  });
  try {
    await fh.writeFile(content, 'utf8');
  } catch (err) {
    throw writeError(shown, err);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

async function replaceRegularFile(path: string, content: string, mode: number | undefined, shown: string): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await makeDir(dir);
    await writeFile(tmp, content, { encoding: 'utf8', flag: 'wx' });
    if (mode !== undefined) await chmod(tmp, mode);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw writeError(shown, err);
  }
}

/** One file, whole or not at all (see the top of this file for what happens to links and streams). */
export async function writeFileAtomically(path: string, content: string): Promise<void> {
  const target = await resolveTarget(resolve(path), path);
  if (target.kind === 'stream') return writeStream(target, content, path);
  if (target.kind === 'in-place') {
    try {
      await writeFile(target.path, content, 'utf8');
    } catch (err) {
      throw writeError(path, err);
    }
    return;
  }
  return replaceRegularFile(target.path, content, target.mode, path);
}

// --- directories of generated files --------------------------------------------------------------------

export interface WriteTreeOptions {
  /**
   * Runs on the staged copies before anything is moved into place (e.g. promtool check rules). Throwing
   * leaves the output directory exactly as it was. Receives the staged paths and the staging directory.
   */
  check?: (stagedPaths: string[], stagingDir: string) => Promise<void>;
  /**
   * Name of the generator (e.g. "generate cloudwatch"). Its files are recorded in the output directory's
   * manifest; files the previous run of the same generator recorded and this run did not write are removed,
   * but only if nobody changed them since (same content hash). Without it nothing is ever removed.
   */
  manifest?: string;
}

export const MANIFEST_FILE = '.solida-manifest.json';

interface Manifest {
  version: 1;
  /** generator → relative path → sha256 of the content solida wrote. */
  generators: Record<string, Record<string, string>>;
}

export interface TreeResult extends Array<string> {
  /** Files removed because the previous run wrote them and this one did not. */
  removed?: string[];
  /** Files the previous run wrote that were kept because they were changed (or replaced) since. */
  keptChanged?: string[];
}

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

async function readManifest(dir: string): Promise<Manifest> {
  const file = join(dir, MANIFEST_FILE);
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Manifest;
    if (parsed?.version === 1 && parsed.generators && typeof parsed.generators === 'object') return parsed;
  } catch {
    // absent or unreadable: nothing is known to be ours
  }
  return { version: 1, generators: {} };
}

/** A generated file's path must stay inside the output directory. */
function insidePath(root: string, rel: string): string {
  const p = resolve(root, rel);
  const r = relative(root, p);
  if (r === '' || r.startsWith('..') || isAbsolute(r)) {
    throw new SolidaError(`refusing to write ${rel}: it is outside ${root}`, 2, [{ file: rel, message: 'generated file path leaves the output directory', fix: 'use names without ../' }]);
  }
  return p;
}

export async function writeFilesAtomically(dir: string, files: OutputFile[], opts: WriteTreeOptions = {}): Promise<TreeResult> {
  const target = resolve(dir);
  const existing = await stat(target).catch(() => null);
  if (existing && !existing.isDirectory()) {
    throw new SolidaError(`cannot write into ${dir}: it is not a directory`, 2, [{ file: dir, message: 'the output path exists and is not a directory', fix: 'pass a directory to -o/--out' }]);
  }
  let staging: string;
  try {
    await makeDir(target);
    staging = await mkdtemp(join(target, '.solida-staging-'));
  } catch (err) {
    throw writeError(dir, err);
  }
  try {
    const staged: string[] = [];
    for (const f of files) {
      insidePath(target, f.path);
      const p = join(staging, f.path);
      try {
        await makeDir(dirname(p));
        await writeFile(p, f.content);
      } catch (err) {
        throw writeError(join(dir, f.path), err);
      }
      staged.push(p);
    }
    if (opts.check) await opts.check(staged, staging);
    // Refuse before moving anything: a file that may not be replaced must not leave a half-moved tree.
    const plans = await Promise.all(
      files.map(async (f) => ({ f, t: await resolveTarget(join(target, f.path), join(dir, f.path)) })),
    );
    const written: TreeResult = [];
    for (const { f, t } of plans) {
      const dest = join(target, f.path);
      const shown = join(dir, f.path);
      if (t.kind === 'stream') await writeStream(t, f.content, shown);
      else if (t.kind === 'in-place') await writeFile(t.path, f.content).catch((err) => Promise.reject(writeError(shown, err)));
      else if (t.path === dest) {
        try {
          await makeDir(dirname(dest));
          if (t.mode !== undefined) await chmod(join(staging, f.path), t.mode);
          await rename(join(staging, f.path), dest);
        } catch (err) {
          throw writeError(shown, err);
        }
      } else await replaceRegularFile(t.path, f.content, t.mode, shown);
      written.push(dest);
    }
    if (opts.manifest) await updateManifest(target, dir, opts.manifest, files, written);
    return written;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function updateManifest(target: string, shownDir: string, generator: string, files: OutputFile[], written: TreeResult): Promise<void> {
  const manifest = await readManifest(target);
  const previous = manifest.generators[generator] ?? {};
  const now: Record<string, string> = {};
  for (const f of files) now[f.path] = sha256(f.content);
  written.removed = [];
  written.keptChanged = [];
  for (const [rel, hash] of Object.entries(previous)) {
    if (rel in now) continue;
    let p: string;
    try {
      p = insidePath(target, rel);
    } catch {
      continue;
    }
    let st: Stats;
    try {
      st = lstatSync(p);
    } catch {
      continue; // already gone
    }
    const unchanged = st.isFile() && sha256(await readFile(p)) === hash;
    if (!unchanged) {
      written.keptChanged.push(join(shownDir, rel));
      continue;
    }
    await rm(p).catch((err) => Promise.reject(writeError(join(shownDir, rel), err)));
    written.removed.push(join(shownDir, rel));
  }
  manifest.generators[generator] = now;
  await writeFileAtomically(join(target, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}
