// Runs an FIS experiment in AWS: create the template, start it, poll GetExperiment until a final state,
// and stop it (StopExperiment) when the caller aborts (Ctrl-C, a local stop condition). Dry-run by default
// elsewhere: this module only runs when a caller hands it a real client after the confirmation below.
import { randomUUID } from 'node:crypto';
import {
  CreateExperimentTemplateCommand,
  GetExperimentCommand,
  StartExperimentCommand,
  StopExperimentCommand,
  type FisClient,
  type ExperimentAction,
} from '@aws-sdk/client-fis';
import { SolidaError } from '../util/errors.ts';
import type { FisTemplateInput } from './fis.ts';

export const FINAL_STATES = ['completed', 'stopped', 'failed', 'cancelled'] as const;
export type FinalState = (typeof FINAL_STATES)[number];

export interface FisRunEvent {
  at: Date;
  status: string;
  reason?: string;
}

export interface FisRunOptions {
  client: Pick<FisClient, 'send'>;
  template: FisTemplateInput;
  signal?: AbortSignal;
  pollIntervalMs?: number;
  /** Give up polling (and stop the experiment) after this long; default: planned duration + 30 min. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  onEvent?: (e: FisRunEvent) => void;
}

export interface FisRunResult {
  templateId: string;
  experimentId: string;
  status: FinalState;
  reason?: string;
  /** We asked FIS to stop it (abort or timeout). */
  stoppedByUs: boolean;
  /** Actions that did not complete, with their state and reason (for failed experiments). */
  failedActions: Array<{ name: string; status: string; reason?: string }>;
  events: FisRunEvent[];
}

function isFinal(status: string | undefined): status is FinalState {
  return (FINAL_STATES as readonly string[]).includes(status ?? '');
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runFisExperiment(opts: FisRunOptions): Promise<FisRunResult> {
  const { client } = opts;
  const sleep = opts.sleep ?? defaultSleep;
  const now = opts.now ?? (() => new Date());
  const poll = opts.pollIntervalMs ?? 5000;
  const events: FisRunEvent[] = [];
  const created = await client.send(new CreateExperimentTemplateCommand({ ...opts.template, clientToken: randomUUID() }));
  const templateId = created.experimentTemplate?.id;
  if (!templateId) throw new SolidaError('FIS created no experiment template (no id in the response)', 1);
  if (opts.signal?.aborted) {
    return { templateId, experimentId: '', status: 'cancelled', reason: 'aborted before start', stoppedByUs: true, failedActions: [], events };
  }
  const started = await client.send(new StartExperimentCommand({ experimentTemplateId: templateId, clientToken: randomUUID(), tags: opts.template.tags }));
  const experimentId = started.experiment?.id;
  if (!experimentId) throw new SolidaError('FIS started no experiment (no id in the response)', 1);

  const deadline = now().getTime() + (opts.maxWaitMs ?? 12 * 3600_000 + 1800_000);
  let stoppedByUs = false;
  let stopSent = false;
  let lastStatus = started.experiment?.state?.status as string | undefined;
  const stop = async () => {
    if (stopSent) return;
    stopSent = true;
    stoppedByUs = true;
    await client.send(new StopExperimentCommand({ id: experimentId }));
  };
  const onAbort = () => void stop().catch(() => (stopSent = false));
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const got = await client.send(new GetExperimentCommand({ id: experimentId }));
      const exp = got.experiment;
      const status = exp?.state?.status as string | undefined;
      if (status !== lastStatus || events.length === 0) {
        const e = { at: now(), status: status ?? 'unknown', ...(exp?.state?.reason ? { reason: exp.state.reason } : {}) };
        events.push(e);
        opts.onEvent?.(e);
        lastStatus = status;
      }
      if (isFinal(status)) {
        const failedActions = Object.entries((exp?.actions ?? {}) as Record<string, ExperimentAction>)
          .filter(([, a]) => a.state?.status && !['completed', 'skipped'].includes(a.state.status as string))
          .map(([name, a]) => ({ name, status: a.state!.status as string, ...(a.state?.reason ? { reason: a.state.reason } : {}) }));
        return { templateId, experimentId, status, ...(exp?.state?.reason ? { reason: exp.state.reason } : {}), stoppedByUs, failedActions, events };
      }
      if (opts.signal?.aborted && !stopSent) await stop();
      if (now().getTime() > deadline && !stopSent) await stop();
      await sleep(poll);
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/** Lines describing what a run would send (the dry run). */
export function describeFisRun(template: FisTemplateInput, region: string, pollIntervalMs = 5000): string[] {
  return [
    `# region ${region}: the requests a real run sends (nothing is sent in a dry run)`,
    `CreateExperimentTemplate ${JSON.stringify({ ...template, clientToken: '<uuid>' }, null, 2)}`,
    'StartExperiment {"experimentTemplateId":"<id from CreateExperimentTemplate>","clientToken":"<uuid>"}',
    `GetExperiment {"id":"<experiment id>"}   (every ${pollIntervalMs / 1000}s until ${FINAL_STATES.join(' | ')})`,
    'StopExperiment {"id":"<experiment id>"}   (only on Ctrl-C or timeout)',
  ];
}

/**
 * A real run needs the operator to say which account and region they mean: either typed back at the prompt,
 * or given with --yes as --account and --region. Mismatches refuse the run.
 */
export async function confirmRealRun(
  expected: { accountId: string; region: string },
  given: { yes?: boolean; account?: string; region?: string },
  ask?: (question: string) => Promise<string>,
): Promise<void> {
  if (given.yes) {
    if (!given.account || !given.region) {
      throw new SolidaError('--yes needs --account and --region', 2, [{ message: 'a real run without a prompt must name the account and region it may touch', fix: `add --account ${expected.accountId} --region ${expected.region}` }]);
    }
  } else {
    if (!ask) throw new SolidaError('a real run needs confirmation', 2, [{ message: 'no terminal to ask on', fix: 'pass --yes --account ID --region REGION' }]);
    given = { account: (await ask(`Type the AWS account id to run in (${expected.accountId}): `)).trim(), region: (await ask(`Type the region (${expected.region}): `)).trim() };
  }
  const problems = [];
  if (given.account !== expected.accountId) problems.push({ path: 'account', message: `'${given.account}' is not the experiment's account ${expected.accountId}` });
  if (given.region !== expected.region) problems.push({ path: 'region', message: `'${given.region}' is not the experiment's region ${expected.region}` });
  if (problems.length) throw new SolidaError('confirmation does not match: nothing was sent', 2, problems);
}
