// Ctrl-C twice during a game day, as an operator does when the orderly undo seems slow: the real CLI in a
// child process (the sources through tsx, test/support/cli-entry.ts), SIGINT twice once the fault is in.
// (1) A lab the game day started is stopped and removed — no process of it outlives the run, the fault
// with it. (2) A lab the operator gave (--lab-dir, relative) is left up, and the message names its real
// directory in the exact commands to inspect and stop it.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findBinaries } from '../../src/lab/binaries.ts';
import { isAlive, labDown, labUp, readLab } from '../../src/lab/index.ts';

const ENTRY = join(import.meta.dirname, '../support/cli-entry.ts');
// tsx by absolute URL: the child may run in a folder outside the checkout.
const TSX = pathToFileURL(findBinaries().tsxLoader).href;
const QUICK = ['--rate', '10', '--baseline', '2s', '--window', '2s', '--sustain', '2s', '--failover-delay', '120s'];

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

interface Interrupted {
  code: number | null;
  stderr: string;
  /** The lab directory the game day logged, and the pids lab.json recorded, read once the fault was in. */
  labDir: string;
  pids: number[];
}

/** Runs `solida gameday az-failure …`, waits for the AZ to be killed, then sends SIGINT twice. */
function interruptTwice(args: string[], cwd: string, knownLabDir?: string): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, ENTRY, 'gameday', 'az-failure', ...QUICK, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let labDir = knownLabDir ?? '';
    let pids: number[] = [];
    let sent = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no second-interrupt exit within 300 s; stderr:\n${stderr}`));
    }, 300_000);
    child.stdout.resume();
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      labDir ||= /starting the lab in (\S+) \(/.exec(stderr)?.[1] ?? '';
      if (!sent && /\bok\s+kill-az\b/.test(stderr)) {
        sent = true;
        pids = readLab(labDir)
          .components.map((c) => c.pid)
          .filter((p): p is number => typeof p === 'number');
        child.kill('SIGINT');
        // The second one while the orderly undo (reviving the AZ, stopping the load) is still under way.
        setTimeout(() => child.kill('SIGINT'), 300);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (!sent) reject(new Error(`the game day ended before the fault (exit ${code}); stderr:\n${stderr}`));
      else resolve({ code, stderr, labDir, pids });
    });
  });
}

/** Alive and not a zombie (a reparented child may linger as one until its new parent reaps it). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe.sequential('a second Ctrl-C during a game day', () => {
  it('tears down the lab the game day started: every recorded process gone, the directory removed', async () => {
    const r = await interruptTwice([], process.cwd());
    cleanups.push(async () => {
      if (existsSync(join(r.labDir, 'lab.json'))) await labDown(r.labDir).catch(() => {});
      rmSync(dirname(r.labDir), { recursive: true, force: true });
    });
    expect(r.code, r.stderr).toBe(130);
    // The fault is gone with the lab: not one recorded process left (the killed AZ's and the survivors').
    expect(r.pids.length).toBeGreaterThan(3);
    expect(r.pids.filter(alive), 'lab processes still running').toEqual([]);
    expect(existsSync(dirname(r.labDir))).toBe(false);
    expect(r.stderr).toContain('second interrupt: undoing the fault now');
    expect(r.stderr).toContain(`stopped the game day's lab and removed ${r.labDir}`);
  }, 360_000);

  it('leaves a lab given with a relative --lab-dir running and names its real directory in the commands', async () => {
    const parent = realpathSync(mkdtempSync(join(tmpdir(), 'solida-interrupt-')));
    chmodSync(parent, 0o755); // PostgreSQL runs as an unprivileged user and must reach the lab
    const dir = join(parent, 'lab');
    cleanups.push(async () => {
      await labDown(dir).catch(() => {});
      rmSync(parent, { recursive: true, force: true });
    });
    await labUp({ dir, regions: 1 });
    const r = await interruptTwice(['--lab-dir', 'lab'], parent, dir);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('second interrupt: undoing the fault now');
    expect(r.stderr).toContain(`the lab in ${dir} is still running and may still carry the fault`);
    expect(r.stderr).toContain(`inspect it: solida lab status --dir ${dir}\n`);
    expect(r.stderr).toContain(`stop it:    solida lab down --dir ${dir}\n`);
    expect(r.stderr).not.toContain('--dir ...');
    // Left up for the operator: still marked up, its surviving processes running (only the killed AZ is down).
    const lab = readLab(dir);
    expect(lab.state).toBe('up');
    expect(lab.components.filter((c) => c.kind === 'prometheus' && isAlive(c.pid, c.startTicks))).toHaveLength(1);
  }, 360_000);
});
