// No orphans: `lab up` killed outright (SIGKILL) or interrupted (SIGINT) part-way leaves nothing running
// once `lab down` (or the SIGINT handler) has run. Runs beside lab.test.ts: two labs coexist.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findBinaries } from '../../src/lab/binaries.ts';
import { isAlive, labDown, type LabDescription } from '../../src/lab/index.ts';
import { processesMentioning } from '../../src/lab/processes.ts';

const parent = mkdtempSync(join(tmpdir(), 'solida-lab-crash-'));
chmodSync(parent, 0o755);
const upModule = pathToFileURL(join(import.meta.dirname, '../../src/lab/up.ts')).href;
const script = join(parent, 'up.mts');
writeFileSync(script, `import { labUp } from ${JSON.stringify(upModule)};\nawait labUp({ dir: process.argv[2], handleSignals: true });\n`);

function startUp(dir: string) {
  const { tsxLoader } = findBinaries();
  return spawn(process.execPath, ['--import', pathToFileURL(tsxLoader).href, script, dir], { stdio: 'ignore' });
}

function readDescription(dir: string): LabDescription | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8')) as LabDescription;
  } catch {
    return null;
  }
}

/** Wait until `up` has started the primary database (so several processes are running). */
async function waitForPrimary(dir: string): Promise<LabDescription> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const lab = readDescription(dir);
    const db = lab?.components.find((c) => c.name === 'db-r1-a');
    if (lab && db?.pid && isAlive(db.pid)) return lab;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('up never started the primary');
}

/** A running initdb building `dir`'s primary: its pid and the password file it was handed. */
async function waitForInitdb(dir: string): Promise<{ pid: number; pwFile: string }> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    for (const e of readdirSync('/proc')) {
      if (!/^\d+$/.test(e)) continue;
      try {
        const argv = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
        if (!argv[0].endsWith('initdb') || !argv.includes(join(dir, 'pg', 'db-r1-a'))) continue;
        const pw = argv.find((a) => a.startsWith('--pwfile='));
        if (pw) return { pid: Number(e), pwFile: pw.slice('--pwfile='.length) };
      } catch {
        // exited meanwhile
      }
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('up never ran initdb');
}

afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('lab lifecycle without orphans', () => {
  it('down after a crashed (SIGKILLed) up stops everything it had started', async () => {
    const dir = join(parent, 'killed');
    const child = startUp(dir);
    const lab = await waitForPrimary(dir);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const started = lab.components.filter((c) => c.pid !== null);
    expect(started.length).toBeGreaterThanOrEqual(5);
    expect(started.some((c) => isAlive(c.pid, c.startTicks))).toBe(true);

    await labDown(dir);
    const final = readDescription(dir);
    expect(final).toBeNull(); // directory removed
    for (const c of started) expect(isAlive(c.pid, c.startTicks), c.name).toBe(false);
    expect(processesMentioning(dir)).toEqual([]);
  });

  it('Ctrl-C during up tears down what was started and exits 130', async () => {
    const dir = join(parent, 'interrupted');
    const child = startUp(dir);
    const lab = await waitForPrimary(dir);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    for (const c of lab.components.filter((x) => x.pid !== null)) expect(isAlive(c.pid, c.startTicks), c.name).toBe(false);
    expect(processesMentioning(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });

  it('Ctrl-C while initdb runs stops initdb too and deletes its password file', async () => {
    const dir = join(parent, 'interrupted-initdb');
    const child = startUp(dir);
    const initdb = await waitForInitdb(dir);
    expect(existsSync(initdb.pwFile)).toBe(true);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    // Right at exit: initdb (and the bootstrap postgres it runs) gone, the secret gone.
    expect(isAlive(initdb.pid)).toBe(false);
    expect(existsSync(initdb.pwFile)).toBe(false);
    expect(processesMentioning(dir)).toEqual([]);
  });
});
