// Reading a spec file defensively: a directory, a device (/dev/zero), a socket or a huge file is refused
// with exit 2 before any byte is parsed, and a pipe (e.g. -c /dev/stdin) is read up to the same cap.
import { open, stat } from 'node:fs/promises';
import { SolidaError } from '../util/errors.ts';

/** Specs are text a person writes: far below this. */
export const MAX_SPEC_BYTES = 8 * 1024 * 1024;

function refuse(file: string, message: string, fix: string): SolidaError {
  return new SolidaError(`${file}: cannot read the spec`, 2, [{ file, message, fix }]);
}

export async function readSpecFile(path: string, file: string): Promise<string> {
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    throw refuse(file, (err as NodeJS.ErrnoException).code ?? String(err), 'pass --config with the path of a spec file');
  }
  if (st.isDirectory()) throw refuse(file, 'it is a directory', 'pass the spec file inside it, e.g. --config DIR/solida.yaml');
  if (!st.isFile() && !st.isFIFO()) throw refuse(file, 'it is a device or socket, not a file', 'pass --config with the path of a spec file');
  if (st.isFile() && st.size > MAX_SPEC_BYTES) throw refuse(file, `it is ${st.size} bytes (the limit is ${MAX_SPEC_BYTES})`, 'split the spec, or check that this is the right file');
  const fh = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
    throw refuse(file, err.code ?? err.message, 'check the file permissions');
  });
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.alloc(64 * 1024);
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > MAX_SPEC_BYTES) throw refuse(file, `more than ${MAX_SPEC_BYTES} bytes`, 'check that this is the right file');
      chunks.push(buf.subarray(0, bytesRead));
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.includes('\u0000')) throw refuse(file, 'it contains NUL bytes (a binary file?)', 'pass a YAML, JSON or TypeScript spec');
    return text;
  } finally {
    await fh.close();
  }
}
