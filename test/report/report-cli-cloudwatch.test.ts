// `solida report --source cloudwatch` through the command itself: option parsing, config loading, the
// injected CloudWatch client (mocked), rendering and the output file. Figures as in
// report-cloudwatch.test.ts: 50 req/s over 30 d = 129,600,000 requests; 7,200 + 300 = 7,500 errors.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerReportCommands } from '../../src/cli/commands/report.ts';
import { AT, config, cw, fakeGetMetricData } from './cloudwatch-fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'solida-report-cw-cli-'));
const cfgFile = join(dir, 'solida.yaml');
writeFileSync(cfgFile, JSON.stringify(config));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(() => {
  cw.reset();
  cw.on(GetMetricDataCommand).callsFake(fakeGetMetricData);
  // The source picks periods from data retention relative to the clock: pin the clock to --at.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(AT);
});
afterEach(() => vi.useRealTimers());

async function cli(args: string[]): Promise<(string | undefined)[]> {
  const regions: (string | undefined)[] = [];
  const program = new Command('solida').exitOverride();
  registerReportCommands(program, {
    cloudWatchClient: (region) => {
      regions.push(region);
      return new CloudWatchClient({ region: region ?? 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    },
  });
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['report', '--source', 'cloudwatch', '--config', cfgFile, '--at', new Date(AT).toISOString(), ...args], { from: 'user' });
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return regions;
}

describe('solida report --source cloudwatch', () => {
  it('reports the budget from the injected client in the given region, as JSON', async () => {
    const file = join(dir, 'report.json');
    const regions = await cli(['--region', 'eu-west-1', '--format', 'json', '--out', file]);
    expect(regions).toEqual(['eu-west-1']);
    expect(cw.commandCalls(GetMetricDataCommand).length).toBeGreaterThan(0);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { schema: string; at: string; slos: { id: string; objective: number; consumed: number; budgetRemaining: number; events: { total: number; errors: number }; policy: { status: string } }[] };
    expect(doc.schema).toBe('solida.report/v1');
    expect(doc.at).toBe('2026-06-30T12:00:00.000Z');
    expect(doc.slos).toHaveLength(1);
    const s = doc.slos[0];
    expect(s.objective).toBe(99.9);
    expect(s.events).toMatchObject({ total: 129_600_000, errors: 7_500 });
    // 7,500 errors of 129,600 allowed (0.1 % of 129.6 M) = 5.787 % of the budget consumed.
    expect(s.consumed).toBeCloseTo(7_500 / 129_600, 9);
    expect(s.budgetRemaining).toBeCloseTo(1 - 7_500 / 129_600, 9);
    expect(s.policy.status).toBe('ok');
  });

  it('without --region leaves the region to the SDK (AWS_REGION, profile)', async () => {
    const regions = await cli(['--format', 'markdown', '--out', join(dir, 'report.md')]);
    expect(regions).toEqual([undefined]);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('94.2%');
  });
});
