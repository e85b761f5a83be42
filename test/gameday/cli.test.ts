// `solida gameday` input handling, without starting a lab: bad scenarios, targets and flags are refused
// before anything runs, and flags map onto the game-day options.
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerAwsGamedayCommand } from '../../src/cli/commands/fis.ts';
import { gamedayOptionsFromFlags } from '../../src/gameday/command.ts';
import { SolidaError } from '../../src/util/errors.ts';

afterEach(() => vi.restoreAllMocks());

async function run(...args: string[]): Promise<void> {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const program = new Command('solida').exitOverride();
  registerAwsGamedayCommand(program);
  await program.parseAsync(args, { from: 'user' });
}

describe('solida gameday (local target)', () => {
  it('is the default target and refuses an unknown scenario with exit code 2', async () => {
    const err = await run('gameday', 'meteor-strike').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SolidaError);
    expect((err as SolidaError).exitCode).toBe(2);
    expect((err as SolidaError).message).toMatch(/unknown scenario 'meteor-strike'/);
  });

  it('refuses an unknown target', async () => {
    await expect(run('gameday', 'az-failure', '--target', 'gcp')).rejects.toThrow(/unknown --target gcp/);
  });

  it('refuses bad numbers and durations before starting anything', async () => {
    await expect(run('gameday', 'az-failure', '--rate', '0')).rejects.toThrow(/invalid --rate '0'/);
    await expect(run('gameday', 'az-failure', '--sustain', 'soon')).rejects.toThrow(/invalid --sustain 'soon'/);
  });

  it('refuses a --lab-dir without a running lab', async () => {
    await expect(run('gameday', 'pitr', '--lab-dir', '/nonexistent/solida-lab')).rejects.toThrow(/no running lab in \/nonexistent\/solida-lab/);
  });

  it('maps flags onto game-day options (durations in seconds, objectives overridden)', () => {
    const o = gamedayOptionsFromFlags('region-failover', { rate: '20', baseline: '1m', sustain: '30s', window: '10s', failoverDelay: '0', rto: '90s', async: true });
    expect(o).toMatchObject({
      scenario: 'region-failover',
      ratePerSecond: 20,
      baselineSeconds: 60,
      sustainSeconds: 30,
      windowSeconds: 10,
      failoverDelaySeconds: 0,
      objectives: { rtoSeconds: 90, rpoSeconds: undefined },
      async: true,
    });
    expect(gamedayOptionsFromFlags('pitr', {}).objectives).toBeUndefined();
  });
});

describe('solida gameday defaults', () => {
  it('pitr without --baseline gets the steady state its profile needs (the restore point trails the fault by the restorable-time lag)', () => {
    const program = new Command('solida').exitOverride();
    registerAwsGamedayCommand(program);
    const gameday = program.commands.find((c) => c.name() === 'gameday')!;
    // A CLI default here overrode the orchestrator's per-scenario one: pitr --profile reference then had 10 s
    // of history and no base backup older than its restore point.
    const baseline = gameday.options.find((o) => o.long === '--baseline')!;
    expect(baseline.defaultValue).toBeUndefined();
    expect(gamedayOptionsFromFlags('pitr', { profile: 'reference' }).baselineSeconds).toBeUndefined();
  });
});
