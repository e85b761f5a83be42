// Trace and span ids for the spans solida's SDK creates: cryptographically random (what W3C Trace
// Context recommends), drawn from a pooled buffer filled 4 KiB at a time, so an id costs one hex
// slice instead of the SDK default's Math.random() per 4 bytes plus a buffer write each.
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

function randomHex(bytes: number): string {
  for (;;) {
    if (offset + bytes > POOL_BYTES) {
      randomFillSync(pool);
      offset = 0;
    }
    const start = offset;
    offset += bytes;
    // An all-zero id is invalid in W3C Trace Context: draw again (probability 2^-64 or less).
    for (let i = start; i < offset; i++) if (pool[i] !== 0) return pool.toString('hex', start, offset);
  }
}

/** An IdGenerator (the SDK's interface): 16-byte trace ids, 8-byte span ids, lowercase hex. */
export const pooledRandomIds = {
  generateTraceId: (): string => randomHex(16),
  generateSpanId: (): string => randomHex(8),
};
