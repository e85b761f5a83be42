// The bytes of a k6 NDJSON file, inflated when gzipped. Node's zlib inflates on libuv's threads, beside
// the parser. Measured alternatives that did not help: a `gzip -dc` child process (inflating alone it
// needs half zlib's CPU, but through a pipe it cost more CPU and wall time than zlib in the same run)
// and zlib's default 16 KiB chunks (256 KiB: fewer thread round trips, ~20 % less CPU per line).
// A plain file is read as is, the next chunk read while the last one is parsed.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

const PLAIN_CHUNK = 1 << 20;
const INFLATED_CHUNK = 1 << 18;

export async function isGzipFile(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/**
 * The file's bytes in order. A yielded buffer is valid until the next one is asked for (plain files
 * use two buffers in turn). Damage (a truncated or corrupt gzip stream) is thrown after the last good chunk,
 * before the caller would read a cut-off last line as if it were whole.
 */
export function fileChunks(file: string, gz: boolean): AsyncGenerator<Buffer> {
  return gz ? inflatedChunks(file) : plainChunks(file);
}

async function* plainChunks(file: string): AsyncGenerator<Buffer> {
  const fh = await open(file, 'r');
  // Two buffers: one is read into (on libuv's threads) while the caller parses the other, so the
  // parser does not sit idle for each read's round trip.
  const bufs = [Buffer.allocUnsafe(PLAIN_CHUNK), Buffer.allocUnsafe(PLAIN_CHUNK)];
  let k = 0;
  let pending = fh.read(bufs[k], 0, PLAIN_CHUNK, null);
  try {
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) return;
      const ready = bufs[k];
      k ^= 1;
      pending = fh.read(bufs[k], 0, PLAIN_CHUNK, null);
      yield ready.subarray(0, bytesRead);
    }
  } finally {
    // A read still in flight must finish before the file is closed.
    await pending.catch(() => undefined);
    await fh.close();
  }
}

async function* inflatedChunks(file: string): AsyncGenerator<Buffer> {
  const raw = createReadStream(file);
  const gunzip = createGunzip({ chunkSize: INFLATED_CHUNK });
  // pipe() does not forward the read side's errors.
  raw.on('error', (err) => gunzip.destroy(err));
  raw.pipe(gunzip);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) yield chunk;
  } finally {
    raw.destroy();
    gunzip.destroy();
  }
}
