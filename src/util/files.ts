// Output is written whole or not at all: files go to a temp dir beside the target, then are renamed in.
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

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

export async function writeFileAtomically(path: string, content: string): Promise<void> {
  await writeFilesAtomically(dirname(path), [{ path: path.slice(dirname(path).length + 1), content }]);
}
