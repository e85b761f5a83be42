// Where a CLI run reads and writes. The real terminal by default; tests pass buffers so one helper can run
// any command in-process (`main(argv, io)`), and prompts/colours follow the io, not the global process.
import { Readable } from 'node:stream';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: Readable;
  /** stdin and stdout are terminals: a person can answer a prompt. */
  interactive: boolean;
  /** PASS/FAIL/warnings may be coloured: stdout is a terminal and NO_COLOR is not set. */
  colour: boolean;
}

/** The process's own streams. */
export function processIo(): CliIo {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  return {
    // Bound now: main() routes process.stdout.write through the io while a command runs.
    stdout: ((w) => (t: string) => void w(t))(process.stdout.write.bind(process.stdout)),
    stderr: ((w) => (t: string) => void w(t))(process.stderr.write.bind(process.stderr)),
    stdin: process.stdin,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    colour: Boolean(process.stdout.isTTY) && !noColor,
  };
}

/** Buffers for an in-process run (tests): nothing interactive, no colour unless asked. */
export function bufferIo(opts: { stdin?: Readable; interactive?: boolean; colour?: boolean } = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    stdin: opts.stdin ?? Readable.from([]),
    interactive: opts.interactive ?? false,
    colour: opts.colour ?? false,
    out: () => out,
    err: () => err,
  };
}
