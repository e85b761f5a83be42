// Executes a runbook against a target, step by step, writing a JSON journal after every step (so a crash
// still leaves the record). When the run is aborted (Ctrl-C, stop condition) or a step fails, the undo
// steps of the faults still in effect run in reverse order, so the target is left as it was found.
import { SolidaError } from '../util/errors.ts';
import { writeFileAtomically } from '../util/files.ts';
import type { AppliedDelay, AutoStep, CheckResult, CheckStep, Journal, JournalStep, Runbook, RunbookContext, RunbookParams, Step, StepOutcome, TargetAdapter } from './types.ts';
import { DEFAULT_PARAMS } from './types.ts';

export interface RunOptions {
  target: TargetAdapter;
  params?: Partial<RunbookParams>;
  /** Auto-confirm manual steps. */
  yes?: boolean;
  /** Asks the operator; resolves true to go on. Required for manual steps unless `yes` or `listManualSteps`. */
  confirm?: (prompt: string, signal: AbortSignal) => Promise<boolean>;
  /**
   * A dry run with nobody to ask (no terminal): manual steps are listed in the journal as not asked,
   * instead of refusing to start — a dry run changes nothing, so there is nothing for an operator to confirm.
   */
  listManualSteps?: boolean;
  signal?: AbortSignal;
  journalFile?: string;
  now?: () => Date;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Called after each step (and undo) with its journal entry. */
  onStep?: (entry: JournalStep) => void;
  /** Called when a step starts. */
  onStart?: (step: Step) => void;
  /** Longest an undo may take before the runner moves on (default 5 min). */
  undoTimeoutMs?: number;
  /**
   * How a step's named delay passes (a game day's timing profile): returns its length and whether it was
   * slept (`sleep` it here) or only modelled. Without it, delays are skipped (an operator's real run).
   */
  delay?: (name: NonNullable<Step['delay']>) => { seconds: number; slept: boolean };
}

class AbortedError extends Error {
  constructor() {
    super('aborted');
  }
}

function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new AbortedError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortedError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new AbortedError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function runCheck(step: CheckStep, ctx: RunbookContext, sleep: NonNullable<RunOptions['sleep']>, now: () => Date): Promise<{ result: CheckResult; attempts: number }> {
  const started = now().getTime();
  const deadline = started + (step.waitUpToSeconds ?? 0) * 1000;
  let attempts = 0;
  for (;;) {
    attempts++;
    const result = await step.check(ctx);
    if (result.ok || now().getTime() >= deadline) return { result, attempts };
    await sleep((step.pollSeconds ?? 2) * 1000, ctx.signal);
  }
}

export async function runRunbook(runbook: Runbook, opts: RunOptions): Promise<Journal> {
  // Refuse before the first fault rather than stranding one at the first manual step.
  const manual = runbook.steps.filter((s) => s.kind === 'manual');
  if (manual.length && !opts.yes && !opts.confirm && !(opts.listManualSteps && opts.target.dryRun)) {
    throw new SolidaError(`runbook ${runbook.name} has ${manual.length} manual steps and nobody to confirm them`, 2, [
      { message: `manual steps: ${manual.map((s) => s.name).join(', ')}`, fix: 'run it in a terminal, or pass --yes to auto-confirm manual steps' },
    ]);
  }
  const now = opts.now ?? (() => new Date());
  const sleep = opts.sleep ?? defaultSleep;
  const signal = opts.signal ?? new AbortController().signal;
  const params: RunbookParams = { ...DEFAULT_PARAMS, ...opts.params };
  let modelled = 0;
  const ctx: RunbookContext = { target: opts.target, params, signal, state: {}, now, modelledSeconds: () => modelled };
  const journal: Journal = {
    runbook: runbook.name,
    title: runbook.title,
    target: opts.target.name,
    dryRun: opts.target.dryRun,
    params,
    objectives: runbook.objectives,
    startedAt: now().toISOString(),
    endedAt: null,
    outcome: 'running',
    faultStartedAt: null,
    recoveredAt: null,
    recoverySeconds: null,
    steps: [],
  };
  const save = async () => {
    if (opts.journalFile) await writeFileAtomically(opts.journalFile, `${JSON.stringify(journal, null, 2)}\n`);
  };
  const atSeconds = (end: Date) => (journal.faultStartedAt ? (end.getTime() - Date.parse(journal.faultStartedAt)) / 1000 : null);
  const record = async (entry: JournalStep) => {
    journal.steps.push(entry);
    await save();
    opts.onStep?.(entry);
  };
  await save();

  const pendingUndo: AutoStep[] = [];
  let final: Journal['outcome'] = 'succeeded';
  for (const step of runbook.steps) {
    if (signal.aborted) {
      final = 'aborted';
      break;
    }
    opts.onStart?.(step);
    const startedAt = now();
    let output: unknown = null;
    let outcome: StepOutcome = 'ok';
    let error: string | undefined;
    let delay: AppliedDelay | undefined;
    try {
      if (step.delay && opts.delay) {
        const d = opts.delay(step.delay);
        delay = { name: step.delay, ...d };
        if (d.slept && d.seconds > 0) await sleep(d.seconds * 1000, signal);
        else if (!d.slept) modelled += d.seconds;
      }
      if (step.kind === 'auto') {
        output = (await abortable(step.run(ctx), signal)) ?? null;
        if (step.undo) pendingUndo.push(step);
      } else if (step.kind === 'check') {
        const { result, attempts } = await abortable(runCheck(step, ctx, sleep, now), signal);
        output = { detail: result.detail, ...(result.value !== undefined ? { value: result.value } : {}), attempts };
        if (!result.ok) {
          outcome = 'failed';
          error = result.detail;
        }
      } else if (opts.yes) {
        output = { confirmed: 'auto (--yes)', prompt: step.prompt };
      } else if (!opts.confirm) {
        output = { confirmed: 'not asked (dry run)', prompt: step.prompt };
      } else {
        const ok = await abortable(opts.confirm!(step.prompt, signal), signal);
        output = { confirmed: ok ? 'operator' : 'declined', prompt: step.prompt };
        if (!ok) outcome = 'declined';
      }
    } catch (err) {
      if (err instanceof AbortedError || signal.aborted) outcome = 'aborted';
      else {
        outcome = 'failed';
        error = errorText(err);
      }
    }
    const endedAt = now();
    if (outcome === 'ok' && step.marksFault) journal.faultStartedAt = endedAt.toISOString();
    if (outcome === 'ok' && step.marksRecovery) journal.recoveredAt = endedAt.toISOString();
    if (outcome === 'ok' && step.resolves) {
      const i = pendingUndo.findIndex((s) => s.name === step.resolves);
      if (i >= 0) pendingUndo.splice(i, 1);
    }
    await record({
      name: step.name,
      kind: step.kind,
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      atSeconds: atSeconds(endedAt),
      expectedBySeconds: step.expectedBySeconds ?? null,
      output,
      outcome,
      ...(error ? { error } : {}),
      ...(delay ? { delay } : {}),
    });
    if (outcome !== 'ok') {
      final = outcome === 'failed' ? 'failed' : 'aborted';
      break;
    }
  }

  if (final !== 'succeeded') {
    // Undo with a fresh signal: the run's signal is already aborted, and undo must still happen.
    for (const step of pendingUndo.reverse()) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), opts.undoTimeoutMs ?? 300_000);
      const startedAt = now();
      let outcome: StepOutcome = 'ok';
      let output: unknown = null;
      let error: string | undefined;
      try {
        output = (await abortable(step.undo!({ ...ctx, signal: controller.signal }), controller.signal)) ?? null;
      } catch (err) {
        outcome = 'failed';
        error = err instanceof AbortedError ? `undo timed out after ${(opts.undoTimeoutMs ?? 300_000) / 1000}s` : errorText(err);
      } finally {
        clearTimeout(timer);
      }
      const endedAt = now();
      await record({
        name: `undo:${step.name}`,
        kind: 'undo',
        startedAt: startedAt.toISOString(),
        endedAt: endedAt.toISOString(),
        atSeconds: atSeconds(endedAt),
        expectedBySeconds: null,
        output,
        outcome,
        ...(error ? { error } : {}),
      });
    }
  }

  journal.outcome = final;
  journal.endedAt = now().toISOString();
  // A dry run simulates the steps in milliseconds: the gap between its fault and recovery marks measures
  // nothing, so the journal holds no recovery time to be read as an RTO.
  if (!journal.dryRun && journal.faultStartedAt && journal.recoveredAt) {
    journal.recoverySeconds = (Date.parse(journal.recoveredAt) - Date.parse(journal.faultStartedAt)) / 1000;
  }
  await save();
  return journal;
}
