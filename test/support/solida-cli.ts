// Runs the real `solida` command in a child process, so environment variables (AWS_ENDPOINT_URL…) and
// exit codes are exactly what a user gets. It runs the sources (cli-entry.ts through tsx), not bin/'s
// compiled dist/, so the test sees the code under test (see the README's Contributing section).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { childEnv } from './moto.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const ENTRY = join(import.meta.dirname, 'cli-entry.ts');

export function runSolida(args: string[], env: Record<string, string>, opts: { input?: string; cwd?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], { env: childEnv(env), cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}
