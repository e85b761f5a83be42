// The bytes of a k6 NDJSON file, decompressed when gzipped. A gzipped file is inflated by a `gzip -dc`
// child process when the system has gzip: it inflates this kind of text in about half the CPU time of
// Node's zlib, and on another core than the parser's, so reading is not held up waiting for inflated
// chunks. Without gzip, Node's zlib does it. A plain file is read as is, the next chunk read while the last one is parsed.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { findBinary } from '../util/binaries.ts';

/** Who inflates a gzipped file: the gzip program (when installed) or Node's zlib. */
export type Inflater = 'gzip' | 'zlib';

const PLAIN_CHUNK = 1 << 20;
const STDERR_KEEP = 2000;

export async function isGzipFile(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

export function defaultInflater(): Inflater {
  return findBinary('gzip') ? 'gzip' : 'zlib';
}

/**
 * The file's bytes in order. A yielded buffer is valid until the next one is asked for (plain files
 * reuse one buffer). Damage (a truncated or corrupt gzip stream) is thrown after the last good chunk,
 * before the caller would read a cut-off last line as if it were whole.
 */
export function fileChunks(file: string, gz: boolean, inflater: Inflater = defaultInflater()): AsyncGenerator<Buffer> {
  if (!gz) return plainChunks(file);
  return inflater === 'gzip' ? gzipChildChunks(file) : zlibChunks(file);
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

async function* zlibChunks(file: string): AsyncGenerator<Buffer> {
  const raw = createReadStream(file);
  const gunzip = createGunzip();
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

async function* gzipChildChunks(file: string): AsyncGenerator<Buffer> {
  const gzip = findBinary('gzip') ?? 'gzip';
  // LC_ALL=C: gzip's messages end up in solida's error, in English like the rest of it.
  const child = spawn(gzip, ['-dc', '--', file], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    if (stderr.length < STDERR_KEEP) stderr += s;
  });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  let finished = false;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) yield chunk;
    const end = await ended;
    finished = true;
    if (end.error) throw new Error(`gzip could not be run (${end.error.message})`);
    // Exit 2 is gzip's "warning", e.g. trailing garbage ignored: still not the file k6 wrote.
    if (end.code !== 0) throw new Error(gzipMessage(stderr, file) || `gzip exited with ${end.code ?? end.signal}`);
  } finally {
    // The caller stopped early (a bad line): do not leave gzip inflating the rest.
    if (!finished && child.exitCode === null && child.signalCode === null) child.kill();
    child.stdout.destroy();
  }
}

/** gzip's complaint without its "gzip: FILE: " prefix, e.g. "unexpected end of file". */
function gzipMessage(stderr: string, file: string): string {
  const line = stderr.trim().split('\n').find((l) => l.trim() !== '') ?? '';
  const prefix = `gzip: ${file}: `;
  return (line.startsWith(prefix) ? line.slice(prefix.length) : line.replace(/^gzip: /, '')).trim();
}
