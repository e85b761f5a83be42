import { CreateExperimentTemplateCommand, FisClient, GetExperimentCommand, StartExperimentCommand, StopExperimentCommand } from '@aws-sdk/client-fis';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { generateFisPlan } from '../../src/chaos/fis.ts';
import { confirmRealRun, describeFisRun, runFisExperiment } from '../../src/chaos/fis-run.ts';
import { ACCOUNT, PAGE_ALARMS, sampleModel } from './fixtures.ts';

// @aws-sdk/client-fis 3.523 is typed against an older @smithy/types than aws-sdk-client-mock 4.1, so the
// stub is typed loosely here; at runtime the commands and responses are the real SDK ones.
interface Behavior {
  resolves(v: unknown): Behavior;
  resolvesOnce(v: unknown): Behavior;
  callsFake(fn: () => unknown): Behavior;
}
interface LooseStub {
  on(command: unknown): Behavior;
  commandCalls(command: unknown): Array<{ args: [{ input: Record<string, unknown> }] }>;
  calls(): unknown[];
  reset(): void;
}
const fis = mockClient(FisClient as never) as unknown as LooseStub;
const template = generateFisPlan(sampleModel(), {
  scenario: 'az-failure', accountId: ACCOUNT, availabilityZone: 'us-east-1a', subnets: { tags: { tier: 'app' } }, stopAlarms: PAGE_ALARMS,
}).template;

const state = (status: string, reason?: string, actions?: Record<string, { state: { status: string; reason?: string } }>) => ({
  experiment: { id: 'EXP1', state: { status, ...(reason ? { reason } : {}) }, ...(actions ? { actions } : {}) },
});

beforeEach(() => {
  fis.reset();
  fis.on(CreateExperimentTemplateCommand).resolves({ experimentTemplate: { id: 'EXT1' } });
  fis.on(StartExperimentCommand).resolves({ experiment: { id: 'EXP1', state: { status: 'initiating' } } });
});

const noSleep = async () => {};

describe('running an FIS experiment', () => {
  it('creates the template, starts it and polls until completed', async () => {
    fis.on(GetExperimentCommand).resolvesOnce(state('pending')).resolvesOnce(state('running')).resolvesOnce(state('running')).resolves(state('completed'));
    const result = await runFisExperiment({ client: new FisClient({ region: 'us-east-1' }), template, sleep: noSleep });
    expect(result).toMatchObject({ templateId: 'EXT1', experimentId: 'EXP1', status: 'completed', stoppedByUs: false, failedActions: [] });
    expect(result.events.map((e) => e.status)).toEqual(['pending', 'running', 'completed']);
    const create = fis.commandCalls(CreateExperimentTemplateCommand)[0].args[0].input;
    expect(create.clientToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(create.actions).toEqual(template.actions);
    expect(fis.commandCalls(StartExperimentCommand)[0].args[0].input.experimentTemplateId).toBe('EXT1');
    expect(fis.commandCalls(GetExperimentCommand)).toHaveLength(4);
    expect(fis.commandCalls(StopExperimentCommand)).toHaveLength(0);
  });

  it('stops the experiment when the caller aborts, then waits for the stopped state', async () => {
    const controller = new AbortController();
    let polls = 0;
    fis.on(GetExperimentCommand).callsFake(() => {
      polls++;
      if (polls === 2) controller.abort();
      if (fis.commandCalls(StopExperimentCommand).length === 0) return state('running');
      return polls < 5 ? state('stopping') : state('stopped', 'Experiment stopped by user.');
    });
    fis.on(StopExperimentCommand).resolves({ experiment: { id: 'EXP1', state: { status: 'stopping' } } });
    const result = await runFisExperiment({ client: new FisClient({ region: 'us-east-1' }), template, signal: controller.signal, sleep: noSleep });
    expect(result.status).toBe('stopped');
    expect(result.stoppedByUs).toBe(true);
    const stops = fis.commandCalls(StopExperimentCommand);
    expect(stops).toHaveLength(1);
    expect(stops[0].args[0].input).toEqual({ id: 'EXP1' });
  });

  it('reports a failed experiment with its failed actions', async () => {
    fis.on(GetExperimentCommand).resolvesOnce(state('running')).resolves(
      state('failed', 'Action failed.', {
        'disrupt-network-us-east-1a': { state: { status: 'completed' } },
        'stop-tasks-orders': { state: { status: 'failed', reason: 'Target resolution returned empty set.' } },
      }),
    );
    const result = await runFisExperiment({ client: new FisClient({ region: 'us-east-1' }), template, sleep: noSleep });
    expect(result.status).toBe('failed');
    expect(result.reason).toBe('Action failed.');
    expect(result.failedActions).toEqual([{ name: 'stop-tasks-orders', status: 'failed', reason: 'Target resolution returned empty set.' }]);
    expect(fis.commandCalls(StopExperimentCommand)).toHaveLength(0);
  });

  it('stops an experiment that outlives the wait limit', async () => {
    fis.on(GetExperimentCommand).callsFake(() => (fis.commandCalls(StopExperimentCommand).length ? state('stopped') : state('running')));
    fis.on(StopExperimentCommand).resolves({});
    let t = 0;
    const result = await runFisExperiment({ client: new FisClient({ region: 'us-east-1' }), template, sleep: noSleep, maxWaitMs: 10_000, now: () => new Date((t += 4000)) });
    expect(result).toMatchObject({ status: 'stopped', stoppedByUs: true });
  });

  it('describes the requests of a dry run without sending any', () => {
    const lines = describeFisRun(template, 'us-east-1');
    expect(lines[1]).toMatch(/^CreateExperimentTemplate /);
    expect(lines.join('\n')).toMatch(/StopExperiment/);
    expect(fis.calls()).toHaveLength(0);
  });
});

describe('confirming a real run', () => {
  const expected = { accountId: ACCOUNT, region: 'us-east-1' };
  it('with --yes needs both --account and --region, matching the plan', async () => {
    await expect(confirmRealRun(expected, { yes: true, account: ACCOUNT })).rejects.toThrow(/--account and --region/);
    await expect(confirmRealRun(expected, { yes: true, account: '999999999999', region: 'us-east-1' })).rejects.toThrow(/does not match/);
    await expect(confirmRealRun(expected, { yes: true, account: ACCOUNT, region: 'us-east-1' })).resolves.toBeUndefined();
  });
  it('otherwise asks for both to be typed back', async () => {
    const answers = [ACCOUNT, 'us-east-1'];
    const asked: string[] = [];
    await confirmRealRun(expected, {}, async (q) => (asked.push(q), answers.shift()!));
    expect(asked).toHaveLength(2);
    await expect(confirmRealRun(expected, {}, async () => 'us-east-2')).rejects.toThrow(/does not match/);
    await expect(confirmRealRun(expected, {})).rejects.toThrow(/confirmation/);
  });
});
