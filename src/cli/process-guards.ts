// Last-resort handlers for the `solida` process: whatever escapes a command (a rejection nobody awaited,
// a thrown non-Error value) ends with one line on stderr, never a stack trace (SOLIDA_DEBUG=1 shows it).

/** A thrown value as text, whatever it is (null, a bare object, an object whose toString throws). */
export function describeThrown(value: unknown): string {
  try {
    if (value instanceof Error) return value.message.split('\n')[0] || value.name;
    if (typeof value === 'string') return value;
    if (value === null || value === undefined || typeof value !== 'object') return String(value);
    return JSON.stringify(value) ?? Object.prototype.toString.call(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

export function installProcessGuards(): void {
  const fail = (what: string) => (value: unknown) => {
    process.stderr.write(`internal error: ${what}: ${describeThrown(value)}\n`);
    if (process.env.SOLIDA_DEBUG && value instanceof Error) process.stderr.write(`${value.stack}\n`);
    process.exit(1);
  };
  process.on('unhandledRejection', fail('a promise was rejected and never handled'));
  process.on('uncaughtException', fail('uncaught exception'));
}

/**
 * Once the command has returned, its work is done (long-running commands such as `serve` return only when
 * stopped). A handle still open after `graceMs` — a socket to a server frozen by a game day's fault never
 * closes by itself — must not keep the process running forever: name what is left and exit with the
 * command's code. The timer is unref'd, so a clean process exits at once without waiting for it.
 */
export function exitWhenDone(graceMs = 10_000): void {
  setTimeout(() => {
    const open = process.getActiveResourcesInfo().filter((r) => r !== 'Timeout');
    process.stderr.write(`warning: still open ${graceMs / 1000} s after the command finished (${[...new Set(open)].join(', ') || 'unknown'}); exiting\n`);
    process.exit();
  }, graceMs).unref();
}
