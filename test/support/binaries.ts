// The real binaries tests drive, found the way solida finds them (PATH, then Debian's directories).
// Missing means the set-up did not run: the test fails with the fix, it is never skipped.
import { findBinary } from '../../src/util/binaries.ts';

export function binary(name: 'promtool' | 'prometheus' | 'chromium' | 'haproxy'): string {
  const path = findBinary(name);
  if (!path) throw new Error(`${name} not found on PATH or in /usr/bin, /usr/sbin: run \`npm test\` (its set-up installs it with apt-get)`);
  return path;
}
