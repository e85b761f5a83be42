// The lab database's password. PostgreSQL asks every connection (local socket or TCP) for it (scram-sha-256),
// so no other local user can log in as its superuser. It lives in <lab>/secrets/postgres-password
// (directory 0700, file 0600); the lab's own processes read it from there, never from a command line.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function labSecretFile(dir: string): string {
  return join(dir, 'secrets', 'postgres-password');
}

/** Creates the lab's password (once, at `lab up`). */
export function createLabSecret(dir: string): string {
  const secrets = join(dir, 'secrets');
  mkdirSync(secrets, { recursive: true, mode: 0o700 });
  chmodSync(secrets, 0o700);
  // base64url: no quote, backslash or space, so it needs no escaping in SQL literals or conninfo strings.
  const password = randomBytes(24).toString('base64url');
  writeFileSync(labSecretFile(dir), `${password}\n`, { mode: 0o600, flag: 'wx' });
  return password;
}

const byPort = new Map<number, string>();

/** The lab's password, or null for a lab started before labs had one (trust authentication). */
export function readLabSecret(dir: string): string | null {
  // Read each time (a few bytes): a lab directory may be torn down and made again with a new secret.
  try {
    return readFileSync(labSecretFile(dir), 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/**
 * Admin connections name a server by port only (dozens of call sites in game days and runbooks): remember
 * which password each of a lab's database ports takes whenever its description is read or written.
 */
export function rememberLabPorts(lab: { dir: string; components: { kind: string; port: number }[] }): void {
  const secret = readLabSecret(lab.dir);
  if (!secret) return;
  for (const c of lab.components) if (c.kind === 'postgres') byPort.set(c.port, secret);
}

export function passwordForPort(port: number): string | undefined {
  return byPort.get(port);
}
