// Output is written whole or not at all: files go to a temp dir beside the target, then are renamed in.
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { SolidaError } from './errors.ts';

export interface OutputFile {
  path: string;
  content: string;
}

export async function writeFilesAtomically(dir: string, files: OutputFile[]): Promise<string[]> {
  const target = resolve(dir);
  await mkdir(target, { recursive: true });
  const staging = await mkdtemp(join(target, '.solida-staging-'));
  try {
    for (const f of files) {
      const p = join(staging, f.path);
      await mkdir(dirname(p), { recursive: true });
      await writeFile(p, f.content);
    }
    const written: string[] = [];
    for (const f of files) {
      const dest = join(target, f.path);
      await mkdir(dirname(dest), { recursive: true });
      await rename(join(staging, f.path), dest);
      written.push(dest);
    }
    return written;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** One file, whole or not at all: written beside the target, then renamed over it (atomic in a directory). */
export async function writeFileAtomically(path: string, content: string): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(tmp, content, 'utf8');
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new SolidaError(`cannot write ${path}`, 2, [
      { file: path, message: (err as NodeJS.ErrnoException).code ?? (err as Error).message, fix: 'check that the directory is writable' },
    ]);
  }
}
