// Pieces every subcommand uses: the --config default, finding-or-creating parent commands.
import { existsSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { SolidaError } from '../util/errors.ts';
import { SCRIPT_EXTENSIONS } from '../slo/script-extensions.ts';

// Every extension loadSpec runs as code: a .js config in a "type": "commonjs" package is told to become .mjs.
const DEFAULT_CONFIGS = [...SCRIPT_EXTENSIONS.map((e) => `solida.config${e}`), 'solida.yaml', 'solida.yml'];

/** The --config option's help, ending with the files looked for when it is not given. */
export function configOptionHelp(what = 'spec file'): string {
  return `${what} (default: ./solida.config${SCRIPT_EXTENSIONS.join(', ')}, solida.yaml)`;
}

/**
 * A path as the CLI prints it ("wrote …"): relative to the working directory when inside it, as the user
 * would type it, else absolute (a "../../x" is harder to read than /tmp/x). Every command uses it so the
 * same output folder reads the same whichever generator wrote into it.
 */
export function shownPath(path: string): string {
  const absolute = resolve(path);
  const rel = relative(process.cwd(), absolute);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? absolute : rel;
}

/**
 * What `validate` says it read. A .js/.mjs/.cjs config is loaded like a .ts one and keeps the JSON `format`
 * 'typescript' (the dialect: solida's config as code; consumers switch on it), but a person reading
 * "valid typescript spec" about a JavaScript file is told something false.
 */
export function specKind(file: string, format: string): string {
  return format === 'typescript' && /^\.[mc]?js$/i.test(extname(file)) ? 'JavaScript config' : `${format} spec`;
}

/** The first solida.config.* (or solida.yaml) in the working directory, if any. */
export function defaultConfigPath(): string | undefined {
  return DEFAULT_CONFIGS.find((f) => existsSync(f));
}

/** --config, or the first solida.config.* in the working directory. */
export function resolveConfigPath(given: string | undefined): string {
  if (given) return given;
  const found = defaultConfigPath();
  if (!found) throw new SolidaError('no config given', 2, [{ message: 'no --config and no solida.config.ts in this directory', fix: 'pass --config FILE (TypeScript, solida YAML, Sloth or OpenSLO), or write one: npx solida init' }]);
  return found;
}

/** `generate`, `export`, `plan`… are shared parents: each area adds its own subcommand to them. */
export function parentCommand(program: Command, name: string, description: string): Command {
  const existing = program.commands.find((c) => c.name() === name);
  if (existing) return existing;
  return program.command(name).description(description);
}

/**
 * The "Examples:" block every command's --help ends with (one command per line, shown after `$ `).
 * test/cli/conventions.test.ts checks that every command has one.
 */
export function withExamples(cmd: Command, ...lines: string[]): Command {
  // Shared parents (generate, plan…) get examples from each module that adds a subcommand: one block.
  const known = examplesOf.get(cmd);
  if (known) {
    known.push(...lines);
    return cmd;
  }
  examplesOf.set(cmd, [...lines]);
  return cmd.addHelpText('after', () => `\nExamples:\n${examplesOf.get(cmd)!.map((l) => `  $ ${l}`).join('\n')}`);
}

const examplesOf = new WeakMap<Command, string[]>();

const warned = new Set<string>();

/** An old spelling still works, with one note on stderr saying what to write instead. */
export function deprecated(old: string, now: string): void {
  if (warned.has(old)) return;
  warned.add(old);
  process.stderr.write(`warning: ${old} is deprecated and will be removed; use ${now}\n`);
}

/**
 * `--json [FILE]`, the same on every command: with FILE the JSON document is written there; without it
 * the JSON is printed on stdout (instead of the text). Returns true when the JSON went to stdout.
 */
export async function emitJson(target: string | boolean | undefined, value: unknown): Promise<boolean> {
  const text = `${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
  if (target === true || target === '-') {
    process.stdout.write(text);
    return true;
  }
  if (typeof target === 'string') {
    const { writeFileAtomically } = await import('../util/files.ts');
    await writeFileAtomically(target, text);
    process.stdout.write(`wrote ${target}\n`);
  }
  return false;
}

/**
 * For commands whose reports are written to files by the layers below (gate, gameday): a bare `--json`
 * (or `--json -`) gets a temporary file, and its content is printed on stdout at the end, with the
 * command's text moved to stderr so stdout holds only the JSON.
 */
export async function withJsonOnStdout<T>(json: string | boolean | undefined, run: (jsonFile: string | undefined) => Promise<T>): Promise<T> {
  if (json !== true && json !== '-') return run(typeof json === 'string' ? json : undefined);
  const { mkdtemp, readFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'solida-json-'));
  const stdoutWrite = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  let restored = false;
  const restore = () => {
    if (!restored) process.stdout.write = stdoutWrite;
    restored = true;
  };
  try {
    const result = await run(join(dir, 'report.json'));
    restore();
    process.stdout.write(await readFile(join(dir, 'report.json'), 'utf8').catch(() => ''));
    return result;
  } finally {
    restore();
    await rm(dir, { recursive: true, force: true });
  }
}
