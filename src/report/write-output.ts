// Output files appear whole or not at all: written beside the target, then renamed over it (a rename
// within a directory is atomic), so CI never uploads half a JUnit file.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SolidaError } from '../util/errors.ts';

export async function writeOutputFile(path: string, content: string): Promise<void> {
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
