// Runs the real `solida` command in a child process, so environment variables (AWS_ENDPOINT_URL…) and
// exit codes are exactly what a user gets.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { childEnv } from './moto.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'solida.js');

export function runSolida(args: string[], env: Record<string, string>, opts: { input?: string; cwd?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(env), cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}
