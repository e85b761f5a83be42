import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { registerRunbookCommands } from '../../src/cli/commands/runbook.ts';
import { getRunbook, listRunbooks } from '../../src/runbooks/catalog.ts';
import { formatJournalSummary } from '../../src/runbooks/format.ts';
import type { Journal } from '../../src/runbooks/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'solida-runbook-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

async function run(...args: string[]): Promise<string> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const program = new Command('solida').exitOverride();
  registerRunbookCommands(program);
  await program.parseAsync(args, { from: 'user' });
  vi.restoreAllMocks();
  return out;
}

describe('runbook objectives', () => {
  it('default to the reference RTO/RPO table', () => {
    expect(Object.fromEntries(listRunbooks().map((r) => [r.name, [r.objectives.rtoSeconds, r.objectives.rpoSeconds]]))).toEqual({
      'az-failure': [120, 300],
      'region-failover': [1500, 900],
      pitr: [1200, 300],
    });
    expect(getRunbook('az-failure', { rtoSeconds: 90 }).objectives).toEqual({ rtoSeconds: 90, rpoSeconds: 300 });
    expect(() => getRunbook('zone-outage')).toThrow(/unknown scenario/);
  });
});

describe('solida runbook', () => {
  it('list shows each runbook with its objectives', async () => {
    const out = await run('runbook', 'list');
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+RTO\s+RPO\s+STEPS\s+SUMMARY$/);
    expect(lines.find((l) => l.startsWith('az-failure'))).toMatch(/^az-failure\s+2m\s+5m\s+12\s+/);
    expect(lines.find((l) => l.startsWith('region-failover'))).toMatch(/\s25m\s+15m\s/);
    expect(lines.find((l) => l.startsWith('pitr'))).toMatch(/\s20m\s+5m\s/);
  });

  it('show prints objectives, the expected timeline and the steps', async () => {
    const out = await run('runbook', 'show', 'az-failure', '--rto', '90s');
    expect(out).toMatch(/Objectives: RTO 90s, RPO 5m/);
    expect(out).toMatch(/T\+0m30s\s+ALB redirects traffic/);
    expect(out).toMatch(/T\+2min\s+RDS failover complete/);
    expect(out).toMatch(/4\. \[auto  \] kill-az: .*\{fault, undo on abort\}/);
    expect(out).toMatch(/→ Verify RDS status/);
  });

  it('run --yes on the dry target labels the run and writes the journal', async () => {
    const file = join(dir, 'journal.json');
    const out = await run('runbook', 'run', 'pitr', '--yes', '--journal', file);
    expect(out.split('\n')[0]).toMatch(/^DRY RUN/);
    expect(out).toMatch(/\[dry-run\] ok {3}auto {3}corrupt-data/);
    expect(out).toMatch(/runbook pitr succeeded/);
    const journal = JSON.parse(readFileSync(file, 'utf8'));
    expect(journal).toMatchObject({ runbook: 'pitr', outcome: 'succeeded', dryRun: true });
    expect(journal.steps).toHaveLength(getRunbook('pitr').steps.length);
    expect(process.exitCode).toBeUndefined();
  });

  it.each(listRunbooks().map((r) => r.name))('run %s on the dry target claims no measured RTO/RPO, in text or journal', async (name) => {
    const file = join(dir, `${name}-dry.json`);
    const out = await run('runbook', 'run', name, '--yes', '--journal', file);
    expect(out).toMatch(/^recovery not measured: a dry run only simulates the steps \(RTO objective \S+, RPO objective \S+: not judged\)$/m);
    expect(out).not.toMatch(/recovery in|: met\b|MISSED/);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ dryRun: true, recoverySeconds: null });
  });

  it('a live run\'s summary judges its recovery time against the RTO objective', () => {
    const journal = { runbook: 'az-failure', target: 'lab', dryRun: false, outcome: 'succeeded', objectives: { rtoSeconds: 120, rpoSeconds: 300 } } as const;
    expect(formatJournalSummary({ ...journal, recoverySeconds: 90 } as unknown as Journal)).toMatch(/recovery in 90s \(RTO objective 2m: met\)/);
    expect(formatJournalSummary({ ...journal, recoverySeconds: 150 } as unknown as Journal)).toMatch(/RTO objective 2m: MISSED/);
  });

  it('run --target lab without a lab is bad input (exit 2) whose fix is `solida lab up`', async () => {
    const saved = process.env.SOLIDA_LAB_DIR;
    process.env.SOLIDA_LAB_DIR = join(dir, 'no-lab-here');
    try {
      const failure = await run('runbook', 'run', 'az-failure', '--target', 'lab', '--yes').catch((e: unknown) => e);
      expect(failure).toMatchObject({ exitCode: 2, message: expect.stringContaining('no lab in') });
      expect(JSON.stringify((failure as { problems: unknown }).problems)).toContain('solida lab up');
    } finally {
      if (saved === undefined) delete process.env.SOLIDA_LAB_DIR;
      else process.env.SOLIDA_LAB_DIR = saved;
    }
  });
});
