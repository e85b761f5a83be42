// Asking before a command changes real infrastructure, the way `terraform apply` does: only "yes" goes
// ahead; --yes skips the question; with no terminal to ask (CI, a pipe) the command refuses instead of
// guessing.
import { createInterface } from 'node:readline';
import { SolidaError } from '../util/errors.ts';
import type { CliIo } from './io.ts';

export async function confirmChanges(io: CliIo, opts: { yes?: boolean; what: string }): Promise<boolean> {
  if (opts.yes) return true;
  if (!io.interactive) {
    throw new SolidaError(`${opts.what} needs a confirmation and there is no terminal to ask: pass --yes to apply without asking`, 2);
  }
  io.stdout(`\nDo you want to perform these actions? ${opts.what}.\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `);
  const rl = createInterface({ input: io.stdin, terminal: false });
  try {
    for await (const line of rl) return line.trim() === 'yes';
    return false;
  } finally {
    rl.close();
  }
}
