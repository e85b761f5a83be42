// Runs `solida gate` / `solida generate k6` in-process the way src/cli/main.ts does (commander with
// exitOverride, SolidaError → its exit code, process.exitCode for a failed gate), capturing output.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll } from 'vitest';
import { registerGateCommands } from '../../src/cli/commands/gate.ts';
import { SolidaError, formatError } from '../../src/util/errors.ts';

// Real k6 v0.46 output (see test/fixtures/k6/README.md for how it was made and the traps it shows).
export const FIXTURES = resolve(import.meta.dirname, '../fixtures/k6');
export const fixture = (name: string) => join(FIXTURES, name);
const created: string[] = [];
export const tmp = (prefix = 'solida-gate-') => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
};
// Registered on the importing test file's root suite.
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[]): Promise<CliRun> {
  const program = new Command('solida').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  registerGateCommands(program);
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => { stdout += String(chunk); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => { stderr += String(chunk); return true; }) as typeof process.stderr.write;
  process.exitCode = undefined;
  let code: number;
  try {
    await program.parseAsync(argv, { from: 'user' });
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) code = e.exitCode === 0 ? 0 : 2;
    else if (e instanceof SolidaError) {
      stderr += `${formatError(e)}\n`;
      code = e.exitCode;
    } else throw e;
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = undefined;
  }
  return { code, stdout, stderr };
}

/** The whole CLI (src/cli/main.ts) in-process: main.ts's own wiring and exit codes. */
export { runSolida as runMain } from '../support/cli.ts';
