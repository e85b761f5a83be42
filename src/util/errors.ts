// Errors meant for people: a message (and optional list of problems) printed without a stack trace.
// Exit codes follow the CLI contract: 1 = a check failed (e.g. a gate), 2 = bad input.

export interface Problem {
  /** File the problem is in. */
  file?: string;
  /** Field path inside the file, e.g. slos[0].objective. */
  path?: string;
  message: string;
  /** How to fix it. */
  fix?: string;
}

export class SolidaError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 2,
    readonly problems: Problem[] = [],
  ) {
    super(message);
    this.name = 'SolidaError';
  }
}

export function formatProblem(p: Problem): string {
  const where = [p.file, p.path].filter(Boolean).join(': ');
  const fix = p.fix ? `\n    fix: ${p.fix}` : '';
  return `  - ${where ? `${where}: ` : ''}${p.message}${fix}`;
}

export function formatError(err: SolidaError): string {
  if (err.problems.length === 0) return `error: ${err.message}`;
  return `error: ${err.message}\n${err.problems.map(formatProblem).join('\n')}`;
}
