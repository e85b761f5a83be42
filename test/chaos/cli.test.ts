import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateExperimentTemplateCommand, FisClient, GetExperimentCommand, StartExperimentCommand } from '@aws-sdk/client-fis';
import { DescribeDBInstancesCommand, RDSClient, RestoreDBInstanceToPointInTimeCommand } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { validateRequest } from '../../src/aws-models/smithy.ts';
import { registerAwsGamedayCommand, registerFisCommands } from '../../src/cli/commands/fis.ts';
import { setEnv } from '../support/env.ts';

// Loosely typed, as in fis-run.test.ts: the SDK clients and the mock library pin different @smithy/types.
interface LooseStub {
  on(command: unknown): { resolves(v: unknown): unknown };
  commandCalls(command: unknown): Array<{ args: [{ input: Record<string, unknown> }] }>;
  calls(): unknown[];
  restore(): void;
}

const dir = mkdtempSync(join(tmpdir(), 'solida-fis-cli-'));
const config = join(dir, 'solida.yaml');
writeFileSync(
  config,
  `services:
  - name: inventory
    aws:
      region: us-east-1
      ecs: { cluster: nube-solida, service: inventory }
      rds: { instance: nube-solida-primary, engine: postgres }
slos: []
`,
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const COMMON = ['--config', config, '--account', '123456789012', '--az', 'us-east-1a', '--subnet-tag', 'tier=app', '--secondary-region', 'us-west-2', '--stop-alarm', 'inventory-page'];

async function run(...args: string[]): Promise<string> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const program = new Command('solida').exitOverride();
  registerFisCommands(program);
  registerAwsGamedayCommand(program);
  await program.parseAsync(args, { from: 'user' });
  vi.restoreAllMocks();
  return out;
}

describe('solida generate fis', () => {
  it('writes every scenario template with its IAM policies, all valid against the FIS model', async () => {
    const out = join(dir, 'out');
    await run('generate', 'fis', ...COMMON, '--out', out, '--corrupted-at', '2026-01-30T10:00:00Z');
    expect(readdirSync(out).filter((f) => f !== '.solida-manifest.json').sort()).toEqual([
      'az-failure.role-policy.json', 'az-failure.template.json', 'az-failure.trust-policy.json',
      'pitr.operator-policy.json', 'pitr.restore.json', 'pitr.template.json', 'pitr.trust-policy.json',
      'region-failover.role-policy.json', 'region-failover.template.json', 'region-failover.trust-policy.json',
    ]);
    for (const s of ['az-failure', 'region-failover', 'pitr']) {
      const t = JSON.parse(readFileSync(join(out, `${s}.template.json`), 'utf8'));
      expect(validateRequest('fis', 'CreateExperimentTemplate', { ...t, clientToken: 'x' })).toEqual([]);
    }
    const restore = JSON.parse(readFileSync(join(out, 'pitr.restore.json'), 'utf8'));
    expect(restore).toMatchObject({ kind: 'instance', restoreTime: '2026-01-30T09:59:55.000Z', restore: { operation: 'RestoreDBInstanceToPointInTime' } });
  });

  it('writes nothing when an input is missing', async () => {
    const out = join(dir, 'none');
    await expect(run('generate', 'fis', '--config', config, '--account', '123456789012', '--out', out, '--scenario', 'az-failure')).rejects.toThrow(/cannot generate/);
    expect(() => readdirSync(out)).toThrow();
  });
});

describe('solida gameday --target aws', () => {
  it('is a dry run by default: prints the requests, sends nothing', async () => {
    const out = await run('gameday', 'az-failure', '--target', 'aws', ...COMMON);
    expect(out).toMatch(/^DRY RUN \(add --execute to run in AWS\)/);
    expect(out).toMatch(/CreateExperimentTemplate \{/);
    expect(out).toMatch(/aws:rds:reboot-db-instances/);
  });
});

describe('solida gameday pitr --target aws', () => {
  const PITR = ['gameday', 'pitr', '--target', 'aws', ...COMMON, '--corrupted-at', '2026-01-30T10:00:00Z'];
  // --execute checks for credentials before anything else (test/aws/credentials.test.ts): dummy ones here,
  // the clients are stubbed.
  let restoreEnv: (() => void) | undefined;
  beforeAll(() => {
    restoreEnv = setEnv({ AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
  });
  afterAll(() => restoreEnv?.());
  // The restore target from pitr.ts's naming rule: <source>-pitr-<restore point, 5 s before the corruption>.
  const TARGET = 'nube-solida-primary-pitr-20260130095955';

  /** FIS ends the experiment in `status`; RDS answers the restore and reports the target available. */
  function mockPitrRun(id: string, status: string, reason?: string): { fis: LooseStub; rds: LooseStub } {
    const fis = mockClient(FisClient as never) as unknown as LooseStub;
    const rds = mockClient(RDSClient as never) as unknown as LooseStub;
    fis.on(CreateExperimentTemplateCommand).resolves({ experimentTemplate: { id: `EXT${id}` } });
    fis.on(StartExperimentCommand).resolves({ experiment: { id: `EXP${id}`, state: { status: 'initiating' } } });
    fis.on(GetExperimentCommand).resolves({ experiment: { id: `EXP${id}`, state: { status, reason } } });
    rds.on(RestoreDBInstanceToPointInTimeCommand).resolves({});
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: TARGET, DBInstanceStatus: 'available' }] });
    return { fis, rds };
  }

  it('dry run prints the restore and the polling it would do, sending nothing', async () => {
    const fis = mockClient(FisClient as never) as unknown as LooseStub;
    const rds = mockClient(RDSClient as never) as unknown as LooseStub;
    const out = await run(...PITR);
    expect(out).toMatch(/RestoreDBInstanceToPointInTime \{/);
    expect(out).toContain(`DescribeDBInstances {"DBInstanceIdentifier":"${TARGET}"}`);
    expect(fis.calls()).toHaveLength(0);
    expect(rds.calls()).toHaveLength(0);
    fis.restore();
    rds.restore();
  });

  it('--execute runs the FIS experiment, then restores through RDS and reports the timing', async () => {
    const { fis, rds } = mockPitrRun('1', 'completed');
    const out = await run(...PITR, '--execute', '--yes', '--region', 'us-east-1');
    expect(fis.commandCalls(StartExperimentCommand)).toHaveLength(1);
    expect(rds.commandCalls(RestoreDBInstanceToPointInTimeCommand)[0].args[0].input).toMatchObject({ SourceDBInstanceIdentifier: 'nube-solida-primary', TargetDBInstanceIdentifier: TARGET });
    expect(out).toMatch(/restore available at \S+: [\d.]+ s after it was requested/);
    expect(process.exitCode ?? 0).toBe(0);
    fis.restore();
    rds.restore();
  });

  it('--json records the experiment, the restore and RTO/RPO against the objectives; a missed objective fails the run', async () => {
    const { fis, rds } = mockPitrRun('1', 'completed');
    const passFile = join(dir, 'pitr-pass.json');
    try {
      await run(...PITR, '--execute', '--yes', '--region', 'us-east-1', '--json', passFile);
      const pass = JSON.parse(readFileSync(passFile, 'utf8'));
      expect(pass).toMatchObject({
        scenario: 'pitr',
        target: 'aws',
        account: '123456789012',
        region: 'us-east-1',
        verdict: 'pass',
        reasons: [],
        experiment: { experimentId: 'EXP1', templateId: 'EXT1', status: 'completed', stoppedByUs: false },
        restore: { source: 'nube-solida-primary', target: TARGET, restoreTime: '2026-01-30T09:59:55.000Z', outcome: 'available' },
        // The restore point is 5 s before the bad write: those 5 s of writes are given up.
        rpo: { measuredSeconds: 5, objectiveSeconds: 300, met: true },
        rto: { objectiveSeconds: 1200, met: true },
      });
      expect(pass.rto.measuredSeconds).toBeGreaterThanOrEqual(0);
      expect(pass.rto.excludes).toMatch(/cut-over/);
      expect(pass.restore.events.at(-1)).toMatchObject({ identifier: TARGET, status: 'available' });
      expect(process.exitCode ?? 0).toBe(0);

      // Same run against a 1 s RPO objective: recorded as a miss, and the command fails.
      const failFile = join(dir, 'pitr-fail.json');
      await run(...PITR, '--execute', '--yes', '--region', 'us-east-1', '--json', failFile, '--rpo', '1s');
      const fail = JSON.parse(readFileSync(failFile, 'utf8'));
      expect(fail.verdict).toBe('fail');
      expect(fail.rpo).toEqual({ measuredSeconds: 5, objectiveSeconds: 1, met: false });
      expect(fail.reasons).toEqual([expect.stringMatching(/RPO 5 s is over the 1 s objective/)]);
      expect(process.exitCode).toBe(1);
    } finally {
      process.exitCode = 0;
      fis.restore();
      rds.restore();
    }
  });

  it('--json records an experiment that did not complete as incomplete, with no restore requested', async () => {
    const { fis, rds } = mockPitrRun('2', 'stopped', 'stop condition inventory-page');
    const file = join(dir, 'pitr-stopped.json');
    try {
      await run(...PITR, '--execute', '--yes', '--region', 'us-east-1', '--json', file);
      const rec = JSON.parse(readFileSync(file, 'utf8'));
      expect(rec.verdict).toBe('incomplete');
      expect(rec.reasons[0]).toBe('experiment stopped: stop condition inventory-page');
      expect(rec.restore).toMatchObject({ outcome: 'not-requested', created: [] });
      expect(rec.rto.measuredSeconds).toBeNull();
      expect(rds.calls()).toHaveLength(0);
      expect(process.exitCode).toBe(1);
    } finally {
      process.exitCode = 0;
      fis.restore();
      rds.restore();
    }
  });

  it('--execute without --corrupted-at refuses before confirming or sending anything', async () => {
    await expect(run('gameday', 'pitr', '--target', 'aws', ...COMMON, '--execute', '--yes', '--region', 'us-east-1')).rejects.toThrow(/corruption time/);
  });
});
