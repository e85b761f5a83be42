// Polling helpers for bringing processes up: wait for a condition, failing fast when the process died.
import { readFileSync } from 'node:fs';
import { SolidaError } from '../util/errors.ts';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function tailFile(file: string, lines = 15): string {
  try {
    const all = readFileSync(file, 'utf8').trimEnd().split('\n');
    return all.slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export interface WaitOptions {
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Checked between attempts; when it returns false the wait fails at once. */
  stillRunning?: () => boolean;
  logFile?: string;
}

/** Retry `attempt` until it returns a value other than undefined/false; its last error explains a timeout. */
export async function waitFor<T>(attempt: () => Promise<T | undefined | false>, opts: WaitOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError = '';
  for (;;) {
    try {
      const value = await attempt();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = (err as Error).message;
    }
    if (opts.stillRunning && !opts.stillRunning()) {
      throw new SolidaError(`${opts.what}: the process exited`, 1, [
        { file: opts.logFile, message: opts.logFile ? `last log lines:\n${tailFile(opts.logFile)}` : 'no log' },
      ]);
    }
    if (Date.now() > deadline) {
      throw new SolidaError(`${opts.what}: not ready after ${Math.round(opts.timeoutMs / 1000)} s`, 1, [
        {
          file: opts.logFile,
          message: `${lastError ? `last error: ${lastError}\n` : ''}${opts.logFile ? `last log lines:\n${tailFile(opts.logFile)}` : ''}`,
        },
      ]);
    }
    await sleep(opts.intervalMs ?? 100);
  }
}

/** GET with a timeout; never throws for HTTP statuses. */
export async function httpGet(url: string, timeoutMs = 2000): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: await res.text(), headers: res.headers };
}
