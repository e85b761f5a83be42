// The `solida` command. Each subcommand lives in src/cli/commands/ and registers itself on the program;
// commands/index.ts lists them, and only the modules of the command being run are loaded (start-up time).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Command as CommandType } from 'commander';
import { SolidaError, formatError } from '../util/errors.ts';
import { COMMANDS } from './commands/index.ts';
import { colouredWriter } from './colour.ts';
import { useCliIo } from './context.ts';
import { processIo, type CliIo } from './io.ts';
import { describeThrown } from './process-guards.ts';

export type { CliIo } from './io.ts';

// commander is CommonJS: required directly, it loads ~10 ms sooner than through its ESM wrapper (which makes
// Node scan it for named exports first) — every command pays this, --help included (issue 19). An
// `import … from 'commander'` elsewhere gets this same instance from the require cache.
const { Command, CommanderError } = createRequire(import.meta.url)('commander') as typeof import('commander');

/** The installed version, from the package.json two levels above src/cli/ and dist/cli/ alike. */
export function solidaVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** The top-level command named in argv ('help validate' counts as validate), if any. */
function commandOf(argv: string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

async function buildProgram(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<CommandType> {
  const program = new Command('solida')
    .description('Reliability as code: SLOs, burn-rate alerts, CloudWatch, DR game days')
    .version(solidaVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeOut: out, writeErr: err });
  program.addHelpText(
    'after',
    `
Examples:
  $ solida init --service checkout          # a commented solida.config.ts to start from
  $ solida validate --explain               # check it; show each alert's burn rate and timings
  $ solida generate prometheus -o out/rules
  $ solida gameday az-failure               # a DR game day on the local lab
Run 'solida <command> --help' for a command's options and examples.`,
  );
  const entry = COMMANDS.find((c) => c.name === commandOf(argv));
  if (entry) {
    for (const load of entry.modules) (await load())(program);
    return program;
  }
  // No command (or an unknown one): the root help lists every command without loading any of them.
  for (const c of COMMANDS) program.command(c.args ? `${c.name} ${c.args}` : c.name).summary(c.summary);
  return program;
}

/** A stream `write` that hands the text to `sink` and calls the write callback, as a stream would. */
function redirectTo(sink: (s: string) => void): typeof process.stdout.write {
  return ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    sink(String(chunk));
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  }) as typeof process.stdout.write;
}

/**
 * Runs `solida argv` and returns the exit code: 0 ok, 1 a check failed, 2 bad input. Output goes to `io`
 * (the process's streams by default); tests pass a buffer io to run any command in-process.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  // The AWS SDK warns (nine lines, on stderr) that its releases after January 2027 need Node 22. solida pins
  // its SDK in package-lock.json and supports Node 20: the warning is about versions it does not install,
  // and it would bury a command's one-line answer. A user who wants it back sets the variable to false.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const out = io.colour ? colouredWriter(io.stdout) : io.stdout;
  const err = io.colour ? colouredWriter(io.stderr) : io.stderr;
  // Modules below the CLI write to process.stdout/stderr; while the command runs those go to the io too.
  const realOut = process.stdout.write;
  const realErr = process.stderr.write;
  const savedExitCode = process.exitCode;
  process.stdout.write = redirectTo(out);
  process.stderr.write = redirectTo(err);
  const restoreIo = useCliIo({ ...io, stdout: out, stderr: err });
  process.exitCode = undefined;
  try {
    const program = await buildProgram(argv, out, err);
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too, with code 0.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof SolidaError) {
      err(`${formatError(e)}\n`);
      return e.exitCode;
    }
    err(`internal error: ${describeThrown(e)}\n`);
    if (process.env.SOLIDA_DEBUG && e instanceof Error) err(`${e.stack}\n`);
    return 1;
  } finally {
    restoreIo();
    process.stdout.write = realOut;
    process.stderr.write = realErr;
    process.exitCode = savedExitCode;
  }
}
