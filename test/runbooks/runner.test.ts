import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getRunbook } from '../../src/runbooks/catalog.ts';
import { DryRunTarget } from '../../src/runbooks/dry-target.ts';
import { runRunbook } from '../../src/runbooks/runner.ts';
import type { Journal } from '../../src/runbooks/types.ts';
import { SolidaError } from '../../src/util/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'solida-runbook-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A clock that advances 10 s per reading, so step times are known exactly. */
function steppingClock(start = Date.parse('2026-01-30T10:00:00Z'), step = 10_000) {
  let t = start - step;
  return () => new Date((t += step));
}
const noSleep = async () => {};

describe('runbook runner', () => {
  it('runs az-failure against the dry target and journals every step', async () => {
    const target = new DryRunTarget();
    const file = join(dir, 'az.json');
    const rb = getRunbook('az-failure');
    const journal = await runRunbook(rb, { target, yes: true, journalFile: file, now: steppingClock(), sleep: noSleep });
    expect(journal.outcome).toBe('succeeded');
    expect(journal.dryRun).toBe(true);
    expect(journal.steps.map((s) => s.name)).toEqual(rb.steps.map((s) => s.name));
    expect(journal.steps.every((s) => s.outcome === 'ok' && s.startedAt <= s.endedAt)).toBe(true);
    const kinds = Object.fromEntries(journal.steps.map((s) => [s.name, s.kind]));
    expect(kinds).toMatchObject({ 'steady-state': 'check', 'kill-az': 'auto', 'verify-targets': 'manual' });
    expect(journal.steps.find((s) => s.name === 'verify-targets')!.output).toMatchObject({ confirmed: 'auto (--yes)' });
    const faults = target.calls.filter((c) => ['killAz', 'promoteStandby', 'reviveAz'].includes(c.method));
    expect(faults).toEqual([
      { method: 'killAz', args: ['r1', 'a'] },
      { method: 'promoteStandby', args: ['r1'] },
      { method: 'reviveAz', args: ['r1', 'a'] },
    ]);
    expect(journal.steps.find((s) => s.name === 'new-primary')!.output).toMatchObject({ detail: 'primary is db-r1-b (r1/b)' });
    // Clock, 10 s per reading: the journal's start reads it once, an auto step twice (start, end), a check
    // three times (start, poll start, end). kill-az (4th step) ends at reading 11 → T+110s;
    // service-recovered (7th step) ends at reading 19 → +190s.
    expect(journal.faultStartedAt).toBe('2026-01-30T10:01:50.000Z');
    expect(journal.recoveredAt).toBe('2026-01-30T10:03:10.000Z');
    // A simulation measures nothing: no recovery time in its journal, though its steps are marked.
    expect(journal.recoverySeconds).toBeNull();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(JSON.stringify(journal)));
  });

  it('a run on a live target records recovery − fault as the recovery time', async () => {
    // The same simulation labelled live: the runner's arithmetic is what is under test, not the target.
    const target = Object.assign(new DryRunTarget(), { dryRun: false });
    const journal = await runRunbook(getRunbook('az-failure'), { target, yes: true, now: steppingClock(), sleep: noSleep });
    expect(journal.dryRun).toBe(false);
    expect(journal.recoverySeconds).toBe(80);
  });

  it('asks the operator at manual steps and unwinds the fault when one is declined', async () => {
    const target = new DryRunTarget();
    const prompts: string[] = [];
    const journal = await runRunbook(getRunbook('az-failure'), {
      target,
      sleep: noSleep,
      confirm: async (p) => (prompts.push(p), false),
    });
    expect(prompts).toEqual([expect.stringMatching(/^Verify the ALB targets/)]);
    expect(journal.outcome).toBe('aborted');
    expect(journal.steps.at(-2)).toMatchObject({ name: 'verify-targets', outcome: 'declined' });
    expect(journal.steps.at(-1)).toMatchObject({ name: 'undo:kill-az', kind: 'undo', outcome: 'ok' });
    expect(target.calls.at(-1)).toEqual({ method: 'reviveAz', args: ['r1', 'a'] });
    expect(journal.steps.some((s) => s.name === 'rows-kept')).toBe(false);
  });

  it('refuses to start when manual steps have nobody to confirm them', async () => {
    const target = new DryRunTarget();
    await expect(runRunbook(getRunbook('pitr'), { target })).rejects.toBeInstanceOf(SolidaError);
    expect(target.calls).toEqual([]);
  });

  it('a dry run with nobody to ask may list the manual steps as not asked instead of refusing', async () => {
    const target = new DryRunTarget();
    const journal = await runRunbook(getRunbook('pitr'), { target, listManualSteps: true, sleep: noSleep });
    const manual = journal.steps.filter((s) => s.kind === 'manual');
    expect(manual.length).toBeGreaterThan(0);
    for (const s of manual) expect(s.output).toMatchObject({ confirmed: 'not asked (dry run)' });
  });

  it('on abort stops the running step and runs the undo steps', async () => {
    const target = new DryRunTarget();
    const controller = new AbortController();
    // The failover hangs (as a stuck recovery would) until the operator presses Ctrl-C.
    target.promoteStandby = () => {
      setTimeout(() => controller.abort(), 5);
      return new Promise(() => {});
    };
    const journal = await runRunbook(getRunbook('region-failover'), { target, yes: true, signal: controller.signal, sleep: noSleep });
    expect(journal.outcome).toBe('aborted');
    expect(journal.steps.find((s) => s.name === 'promote-dr-database')).toMatchObject({ outcome: 'aborted' });
    expect(journal.steps.at(-1)).toMatchObject({ name: 'undo:lose-region', outcome: 'ok' });
    expect(target.calls.filter((c) => c.method === 'reconnectRegion')).toEqual([{ method: 'reconnectRegion', args: ['r1'] }]);
  });

  it('fails on a check that does not hold within its wait, and unwinds', async () => {
    const target = new DryRunTarget();
    target.promoteStandby = async () => ({ primary: 'nobody' }); // the failover silently does nothing
    let t = 0;
    const journal: Journal = await runRunbook(getRunbook('az-failure'), { target, yes: true, sleep: noSleep, now: () => new Date((t += 30_000)) });
    expect(journal.outcome).toBe('failed');
    const failed = journal.steps.find((s) => s.outcome === 'failed')!;
    expect(failed.name).toBe('new-primary');
    expect(failed.error).toMatch(/0 primaries/);
    expect((failed.output as { attempts: number }).attempts).toBeGreaterThan(1);
    expect(journal.steps.at(-1)).toMatchObject({ name: 'undo:kill-az', outcome: 'ok' });
  });

  it('pitr restores to just before the corruption and validates the copy before cutting over', async () => {
    const at = new Date('2026-01-30T10:00:00Z');
    const target = new DryRunTarget(() => at);
    const journal = await runRunbook(getRunbook('pitr'), { target, yes: true, sleep: noSleep, params: { restoreMarginSeconds: 2 } });
    expect(journal.outcome).toBe('succeeded');
    expect(target.calls.find((c) => c.method === 'restorePitr')!.args).toEqual(['2026-01-30T09:59:58.000Z']);
    expect(journal.steps.find((s) => s.name === 'validate-restore')!.output).toMatchObject({ value: { before: 1000, now: 1000 } });
    expect(target.calls.find((c) => c.method === 'cutOver')!.args).toEqual(['main-pitr']);
  });

  it('region-failover promotes the DR replica and switches the front', async () => {
    const target = new DryRunTarget();
    const journal = await runRunbook(getRunbook('region-failover'), { target, yes: true, sleep: noSleep });
    expect(journal.outcome).toBe('succeeded');
    expect(target.calls.filter((c) => ['isolateRegion', 'promoteStandby', 'switchGlobalFront', 'reconnectRegion'].includes(c.method)).map((c) => `${c.method}(${c.args.join()})`)).toEqual([
      'isolateRegion(r1)',
      'promoteStandby(r2)',
      'switchGlobalFront(r2)',
      'reconnectRegion(r1)',
    ]);
  });
});
