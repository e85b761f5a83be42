// Runs any `solida` command in-process through the real entry point (src/cli/main.ts `main(argv, io)`),
// so tests exercise the current sources — never a stale dist/ — with the CLI's own exit-code mapping.
// Only test/package/* runs the built CLI (from a packed tarball or a fresh clone, which build it first).
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main.ts';
import { bufferIo } from '../../src/cli/io.ts';
import { setEnv } from './env.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** Working directory for the run (process.chdir, restored after). */
  cwd?: string;
  /** Text on stdin (with interactive: a person typing it at a prompt). */
  stdin?: string;
  /** Act as if stdin and stdout were a terminal. */
  interactive?: boolean;
  colour?: boolean;
  /** Environment variables set for the run (undefined deletes), restored after. */
  env?: Record<string, string | undefined>;
}

export async function runSolida(argv: string[], opts: CliRunOptions = {}): Promise<CliRun> {
  const io = bufferIo({ stdin: opts.stdin === undefined ? undefined : Readable.from([opts.stdin]), interactive: opts.interactive, colour: opts.colour });
  const restoreEnv = setEnv(opts.env ?? {});
  const cwd = process.cwd();
  if (opts.cwd) process.chdir(opts.cwd);
  try {
    const code = await main(argv, io);
    return { code, stdout: io.out(), stderr: io.err() };
  } finally {
    if (opts.cwd) process.chdir(cwd);
    restoreEnv();
  }
}
