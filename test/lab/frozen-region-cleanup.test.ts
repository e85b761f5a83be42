// A lost region is frozen (SIGSTOP on every process of it, PostgreSQL's children included); whatever ends
// the fault — fencing at reconnect, `lab down` — must leave no process of it behind, stopped or not. The
// check is this file's own /proc scan: every process whose working directory (a postgres process runs in
// its data directory, deleted or not) or arguments lie in the lab directory.
import { chmodSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { component, labDown, labUp, readLab } from '../../src/lab/index.ts';

const parent = mkdtempSync(join(tmpdir(), 'solida-frozen-region-'));
chmodSync(parent, 0o755);
const dir = join(parent, 'lab');
const ENTRY = join(import.meta.dirname, '../support/cli-entry.ts');

interface Proc {
  pid: number;
  ppid: number;
  state: string;
  cmd: string;
}

function stat(pid: number): { state: string; ppid: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { state: f[0], ppid: Number(f[1]) };
  } catch {
    return null;
  }
}

/** Live processes tied to the lab directory by their cwd or an argument. */
function labProcesses(): Proc[] {
  const out: Proc[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    const pid = Number(e);
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`).replace(/ \(deleted\)$/, '');
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const s = stat(pid);
      if (!s || s.state === 'Z') continue;
      if (cwd === dir || cwd.startsWith(`${dir}/`) || cmd.some((a) => a.includes(`${dir}/`))) out.push({ pid, ppid: s.ppid, state: s.state, cmd: cmd.join(' ').trim() });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Descendants of `pid` by ppid (pids only). */
function treeOf(pid: number): number[] {
  const byParent = new Map<number, number[]>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const s = stat(Number(e));
    if (s) byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), Number(e)]);
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(byParent.get(out[i]) ?? []));
  return out;
}

/** Run the CLI as a user would; resolves with its exit code, or null if it has not exited in `ms`. */
function cli(args: string[], env: Record<string, string>, ms: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ code: null, out });
    }, ms);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

beforeAll(async () => {
  await labUp({ dir, regions: 2, async: true });
}, 120_000);

afterAll(async () => {
  await labDown(dir).catch(() => {});
  rmSync(parent, { recursive: true, force: true });
});

describe.sequential('a frozen region leaves nothing behind', () => {
  it('`lab logs prometheus` shows Prometheus\'s own log (start-up and readiness)', async () => {
    const logs = await cli(['lab', 'logs', 'prometheus', '--dir', dir], {}, 30_000);
    expect(logs.code, logs.out).toBe(0);
    expect(logs.out).toMatch(/Server is ready to receive web requests/);
  }, 40_000);

  it('an admin query to a database frozen mid-session times out and leaves no socket keeping the process alive', async () => {
    const db = component(readLab(dir), 'db-r2-a');
    let tree: number[] = [];
    try {
      const postgresTs = join(import.meta.dirname, '../../src/lab/postgres.ts');
      // The child connects, then the test freezes the database (its backend included), then it asks again.
      const script = `const { withAdmin } = await import(${JSON.stringify(postgresTs)});
        (await import(${JSON.stringify(join(import.meta.dirname, '../../src/lab/description.ts'))})).readLab(${JSON.stringify(dir)});
        const r = await withAdmin(${db.port}, async (sql) => {
          await sql\`select 1\`;
          console.log('connected');
          await new Promise((r) => process.stdin.once('data', r));
          process.stdin.destroy();
          return sql\`select 2\`;
        }, { timeoutMs: 4000 }).then(() => 'answered', (e) => e.message);
        console.log(r);`;
      let started = 0;
      const child = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const c = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
        let out = '';
        c.stdout.on('data', (d) => {
          out += d;
          if (/connected/.test(out) && !started) {
            tree = treeOf(db.pid!);
            for (const p of tree) process.kill(p, 'SIGSTOP');
            started = Date.now();
            c.stdin.write('go\n');
          }
        });
        c.stderr.on('data', (d) => (out += d));
        const t = setTimeout(() => (c.kill('SIGKILL'), resolve({ code: null, out })), 25_000);
        c.on('close', (code) => (clearTimeout(t), resolve({ code, out })));
      });
      expect(child.out).toMatch(/no answer from 127\.0\.0\.1/);
      expect(child.code, child.out).toBe(0);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      for (const p of tree) process.kill(p, 'SIGCONT');
    }
  }, 40_000);

  it('`runbook run region-failover --target lab --yes` fences the frozen databases whole, then exits', async () => {
    const run = await cli(['runbook', 'run', 'region-failover', '--target', 'lab', '--yes'], { SOLIDA_LAB_DIR: dir }, 150_000);
    expect(run.code, run.out).not.toBeNull();
    expect(run.out).toMatch(/reconnect-region/);
    // Every process of the lab is running (none stopped) and belongs to a component the lab recorded.
    const recorded = new Set(readLab(dir).components.map((c) => c.pid));
    const left = labProcesses();
    expect(left.filter((p) => p.state === 'T')).toEqual([]);
    // Owned: a recorded component or a descendant of one (an orphan's ancestry ends at pid 1).
    const ownedByLab = (p: Proc) => {
      for (let pid = p.pid, i = 0; pid > 1 && i < 20; pid = stat(pid)?.ppid ?? 0, i++) if (recorded.has(pid)) return true;
      return false;
    };
    expect(left.filter((p) => stat(p.pid) && !ownedByLab(p))).toEqual([]);
  }, 180_000);

  it('`lab down` kills the children a killed postmaster left stopped, and nothing of the lab is left', async () => {
    // The old fencing bug, reproduced: the whole tree of a database frozen, then only its postmaster killed.
    // Any database still running will do: the runbook above may have fenced region 1's for good.
    const alive = (pid?: number | null) => pid != null && stat(pid) !== null && stat(pid)!.state !== 'Z';
    const db = readLab(dir).components.find((c) => c.name.startsWith('db-') && alive(c.pid));
    expect(db, 'a running database to freeze').toBeDefined();
    const tree = treeOf(db!.pid!);
    for (const p of tree) {
      try {
        process.kill(p, 'SIGSTOP');
      } catch {
        // a backend that ended meanwhile
      }
    }
    process.kill(db!.pid!, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    const orphans = labProcesses().filter((p) => tree.includes(p.pid) && p.pid !== db!.pid);
    expect(orphans.length).toBeGreaterThan(0);
    expect(orphans.every((p) => p.state === 'T')).toBe(true);

    const down = await cli(['lab', 'down', '--dir', dir], {}, 60_000);
    expect(down.code, down.out).toBe(0);
    expect(labProcesses()).toEqual([]);
  }, 90_000);

  it('`lab down` with no lab says there is nothing to stop (exit 0)', async () => {
    const down = await cli(['lab', 'down', '--dir', dir], {}, 30_000);
    expect(down.code, down.out).toBe(0);
    expect(down.out).toMatch(/nothing to stop/);
  }, 40_000);
});
