// The cron lines mean what their comments say: next runs computed by cron-parser (POSIX day-field
// semantics) from a fixed date, against dates worked out by hand from a calendar.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CronExpressionParser } from 'cron-parser';
import { generate, type Generated } from './harness.ts';

const FROM = new Date('2026-01-01T00:00:00Z'); // a Thursday

function nextRuns(expr: string, n: number, from = FROM): string[] {
  return CronExpressionParser.parse(expr, { currentDate: from, tz: 'UTC' })
    .take(n)
    .map((d) => d.toISOString()!);
}

let g: Generated;
beforeAll(async () => {
  g = await generate();
});
afterAll(async () => {
  await g?.cleanup();
});

const cronOf = (f: 'solida-error-budget-report.yml' | 'solida-game-day.yml'): string => g.doc[f].on.schedule[0].cron;

describe('error-budget report schedule', () => {
  it('is a 5-field expression firing Mondays 08:00 UTC', () => {
    const cron = cronOf('solida-error-budget-report.yml');
    expect(cron.split(/\s+/)).toHaveLength(5);
    expect(nextRuns(cron, 5)).toEqual([
      '2026-01-05T08:00:00.000Z',
      '2026-01-12T08:00:00.000Z',
      '2026-01-19T08:00:00.000Z',
      '2026-01-26T08:00:00.000Z',
      '2026-02-02T08:00:00.000Z',
    ]);
    expect(g.text['solida-error-budget-report.yml']).toContain('# Mondays 08:00 UTC');
  });
});

describe('game-day schedule', () => {
  // First Tuesdays of 2026, from a calendar.
  const FIRST_TUESDAYS_2026 = ['01-06', '02-03', '03-03', '04-07', '05-05', '06-02', '07-07', '08-04', '09-01', '10-06', '11-03', '12-01'].map((d) => `2026-${d}T10:00:00.000Z`);

  it('fires every Tuesday at 10:00 UTC; keeping days 1-7 leaves exactly the first Tuesdays', () => {
    const cron = cronOf('solida-game-day.yml');
    expect(cron.split(/\s+/)).toHaveLength(5);
    const runs = nextRuns(cron, 52);
    expect(runs.slice(0, 3)).toEqual(['2026-01-06T10:00:00.000Z', '2026-01-13T10:00:00.000Z', '2026-01-20T10:00:00.000Z']);
    expect(runs.every((r) => new Date(r).getUTCDay() === 2)).toBe(true);
    expect(runs.filter((r) => new Date(r).getUTCDate() <= 7)).toEqual(FIRST_TUESDAYS_2026);
  });

  it('the tempting `0 10 1-7 * 2` ORs its day fields (POSIX), as the comment warns', () => {
    const runs = nextRuns('0 10 1-7 * 2', 8);
    // Jan 1-7 every day, then the next Tuesday (13th) although it is not in 1-7.
    expect(runs).toEqual([1, 2, 3, 4, 5, 6, 7, 13].map((d) => `2026-01-${String(d).padStart(2, '0')}T10:00:00.000Z`));
    expect(g.text['solida-game-day.yml']).toMatch(/Not `0 10 1-7 \* 2`/);
  });

  describe('the `when` job date check, run in bash with a fake `date`', () => {
    let bin: string;
    beforeAll(() => {
      bin = mkdtempSync(join(tmpdir(), 'solida-fake-date-'));
    });
    afterAll(() => rmSync(bin, { recursive: true, force: true }));

    function decide(event: string, dayOfMonth: string): string {
      writeFileSync(join(bin, 'date'), `#!/bin/sh\necho ${dayOfMonth}\n`);
      chmodSync(join(bin, 'date'), 0o755);
      const script: string = g.doc['solida-game-day.yml'].jobs.when.steps[0].run;
      const output = join(bin, 'github_output');
      writeFileSync(output, '');
      execFileSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
        env: { PATH: `${bin}:${process.env.PATH}`, EVENT: event, GITHUB_OUTPUT: output },
        stdio: 'ignore',
      });
      return execFileSync('cat', [output], { encoding: 'utf8' }).trim();
    }

    it.each([
      ['schedule', '01', 'run=true'],
      ['schedule', '07', 'run=true'],
      ['schedule', '08', 'run=false'], // 08/09 would be invalid octal without 10#
      ['schedule', '09', 'run=false'],
      ['schedule', '14', 'run=false'],
      ['workflow_dispatch', '20', 'run=true'],
    ])('%s on day %s → %s', (event, day, expected) => {
      expect(decide(event, day)).toBe(expected);
    });
  });
});
