// A game day on the local lab: bring the lab up (or use a running one), run the open-model load for the
// whole scenario, wait for a steady baseline, run the scenario's runbook (fault, recovery, checks) through
// the runner with the lab target, keep the load until recovery is sustained, then read the writes back
// from the database the service ends up on and measure RTO, RPO, time to detect and time to mitigate.
// Interrupted at any point (signal): the runner undoes the faults, the load stops, the lab is left
// healthy or torn down, and the report says `aborted`.
import type { GamedayLab } from './interrupt.ts';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { objectivesFor, type Objectives, type ScenarioName } from '../chaos/scenarios.ts';
import { isAlive, labDown, labUp, readLab, withAdmin, type LabDescription } from '../lab/index.ts';
import { labExists, resolveLabDir } from '../lab/description.ts';
import { EXAMPLE_SPEC } from '../slo/example.ts';
import { getRunbook } from '../runbooks/catalog.ts';
import { LabTarget } from '../lab/runbook-target.ts';
import { runRunbook } from '../runbooks/runner.ts';
import type { Journal, JournalStep, Step } from '../runbooks/types.ts';
import { SolidaError } from '../util/errors.ts';
import { delayCrossRegionReplication, type CrossRegionDelay } from './cross-region.ts';
import { timeToDetect, watchPageAlerts } from './detect.ts';
import { startGamedayLoad, type RunningLoad } from './load.ts';
import { resolveK6, startK6GamedayLoad, type LoadDriver } from './load-k6.ts';
import { computeRpo, computeRto, timeline, timeToMitigate, type AckedWrite, type RequestSample } from './measure.ts';
import type { GamedayReport, Verdict } from './report.ts';
import { availabilityObjective } from './slo-objective.ts';

export interface GamedayOptions {
  scenario: ScenarioName;
  /** A running lab to use (left running); without it a lab is started in a temp dir. */
  labDir?: string;
  /** Asynchronous standby in r1 (a lab started here). */
  async?: boolean;
  /** Keep the lab this run started (running, for inspection) instead of tearing it down. */
  keep?: boolean;
  ratePerSecond?: number;
  /** builtin (default), k6 (k6 must be on PATH), auto (k6 when on PATH, else builtin). */
  load?: LoadDriver;
  /** Every n-th request is a write. */
  writeEvery?: number;
  baselineSeconds?: number;
  windowSeconds?: number;
  stepSeconds?: number;
  sustainSeconds?: number;
  requestTimeoutMs?: number;
  /** Seconds before a standby is promoted (the managed database's failure detection); default 10. */
  failoverDelaySeconds?: number;
  /** Two-region labs: the DR replica streams through a link delaying the WAL this long (default 0.5 s). */
  replicaDelaySeconds?: number;
  /** Give up waiting for a sustained recovery this long after the fault (default: RTO objective + sustain). */
  maxRecoverySeconds?: number;
  objectives?: Partial<Objectives>;
  /** SLO spec with the service's availability SLO (default examples/solida.config.ts). */
  sloConfig?: string;
  service?: string;
  /** Rows put in `items` before the run (what the pitr corruption destroys). */
  seedItems?: number;
  journalFile?: string;
  signal?: AbortSignal;
  log?: (line: string) => void;
  onStep?: (entry: JournalStep) => void;
  /** Told which lab the run uses as soon as it is known (a second Ctrl-C needs its real directory). */
  onLab?: (lab: GamedayLab) => void;
}

export interface GamedayResult {
  report: GamedayReport;
  samples: RequestSample[];
  ledger: AckedWrite[];
  /** The lab directory (gone unless kept or given). */
  labDir: string;
  /** Database the writes were read back from (name and port), while the lab runs. */
  readFrom: { name: string; port: number } | null;
}

const SCENARIO_REGIONS: Record<ScenarioName, 1 | 2> = { 'az-failure': 1, 'region-failover': 2, pitr: 1 };

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function labIsRunning(dir: string): boolean {
  if (!labExists(dir)) return false;
  const lab = readLab(dir);
  return lab.state === 'up' && lab.components.some((c) => isAlive(c.pid, c.startTicks));
}

async function seedItems(lab: LabDescription, port: number, n: number): Promise<void> {
  if (n <= 0) return;
  await withAdmin(port, (sql) => sql`insert into items (name, quantity) select 'gameday item ' || i, i from generate_series(1, ${n}::int) as i`, {
    database: lab.database.name,
  });
}

async function readBackSeqs(lab: LabDescription, port: number, runId: string): Promise<number[]> {
  const rows = await withAdmin(port, (sql) => sql`select seq from writes where run = ${runId}`, { database: lab.database.name, timeoutMs: 10_000 });
  return rows.map((r) => Number(r.seq));
}

export async function runGameday(opts: GamedayOptions): Promise<GamedayResult> {
  const log = opts.log ?? (() => {});
  const scenario = opts.scenario;
  const objectives = objectivesFor(scenario, { explicit: opts.objectives });
  const runbook = getRunbook(scenario, objectives);
  const slo = await availabilityObjective(opts.sloConfig ?? EXAMPLE_SPEC, opts.service ?? 'inventory');
  const cfg = {
    rate: opts.ratePerSecond ?? 50,
    writeEvery: opts.writeEvery ?? 2,
    baseline: opts.baselineSeconds ?? 10,
    window: opts.windowSeconds ?? 5,
    step: opts.stepSeconds ?? 1,
    sustain: opts.sustainSeconds ?? 15,
    timeoutMs: opts.requestTimeoutMs ?? 2000,
  };
  const maxRecovery = opts.maxRecoverySeconds ?? objectives.rtoSeconds + cfg.sustain + cfg.window;
  const notes: string[] = [];
  const reasons: string[] = [];
  const startedAt = new Date();
  const signal = opts.signal;
  // Before any lab is started: `--load k6` without k6 is bad input.
  const k6 = await resolveK6(opts.load ?? 'builtin');
  if (opts.load === 'auto' && !k6) notes.push('--load auto: k6 is not on PATH, the built-in load ran');

  // --- the lab --------------------------------------------------------------------------------
  let labDir: string;
  let startedHere = false;
  if (opts.labDir) {
    labDir = resolveLabDir(opts.labDir);
    opts.onLab?.({ dir: labDir, startedHere: false, keep: true });
    if (!labIsRunning(labDir)) throw new SolidaError(`no running lab in ${labDir}`, 2, [{ message: 'lab.json missing or the lab is not up', fix: 'start it with `solida lab up --dir ...`, or omit --lab-dir' }]);
    if (opts.async) notes.push('--async ignored: the running lab keeps its own replication mode');
  } else {
    const parent = mkdtempSync(join(tmpdir(), `solida-gameday-${scenario}-`));
    chmodSync(parent, 0o755); // PostgreSQL runs as an unprivileged user and must reach the lab
    labDir = join(parent, 'lab');
    log(`starting the lab in ${labDir} (${SCENARIO_REGIONS[scenario]} region(s), ${opts.async ? 'asynchronous' : 'synchronous'} standby)`);
    startedHere = true;
    opts.onLab?.({ dir: labDir, startedHere: true, keep: Boolean(opts.keep) });
    await labUp({ dir: labDir, regions: SCENARIO_REGIONS[scenario], async: opts.async, sloConfig: EXAMPLE_SPEC, log: (m) => log(`  lab: ${m}`) });
  }
  const lab = readLab(labDir);
  if (lab.regions.length < SCENARIO_REGIONS[scenario]) {
    throw new SolidaError(`${scenario} needs a lab with ${SCENARIO_REGIONS[scenario]} regions; ${labDir} has ${lab.regions.length}`, 2, [
      { message: 'the scenario loses a whole region and fails over to the other', fix: 'omit --lab-dir (a suitable lab is started), or `solida lab up --regions 2`' },
    ]);
  }
  const failoverDelay = opts.failoverDelaySeconds ?? 10;
  const replicaDelay = opts.replicaDelaySeconds ?? 0.5;
  let crossRegion: CrossRegionDelay | null = null;
  const crossRegionLink = { cut: () => crossRegion?.link.cut(), restore: () => crossRegion?.link.restore() };
  const target = new LabTarget(labDir, { failoverDelaySeconds: failoverDelay, signal, crossRegionLink });
  if (scenario !== 'pitr') notes.push(`the standby is promoted ${failoverDelay}s after it is asked to (standing in for the managed database's failure detection)`);
  const front = lab.endpoints.global ?? lab.endpoints.alb[lab.regions[0]];
  const runId = `gameday-${scenario}-${startedAt.toISOString().replace(/[-:.]/g, '')}`;

  let load: RunningLoad | null = null;
  const watcher = watchPageAlerts(lab.endpoints.prometheus);
  let journal: Journal | null = null;
  let readFrom: GamedayResult['readFrom'] = null;
  let surviving: number[] | null = null;
  let summary = { sent: 0, ok: 0, failed: 0, dropped: 0 };
  try {
    if (lab.regions.length > 1 && replicaDelay > 0 && !signal?.aborted) {
      crossRegion = await delayCrossRegionReplication(lab, replicaDelay * 1000);
      if (crossRegion) notes.push(`${crossRegion.replica} replicates through a link delaying the WAL by ${replicaDelay}s (cross-region latency); losing the region drops what is in transit`);
    }
    if (!signal?.aborted) {
      await seedItems(lab, (await target.servingDatabase()).port, opts.seedItems ?? 50);
      log(`load${k6 ? ` (k6: ${k6})` : ''}: ${cfg.rate} req/s open model on ${front} (1 in ${cfg.writeEvery} a marked write, run ${runId})`);
      const loadOptions = { target: front, runId, ratePerSecond: cfg.rate, writeEvery: cfg.writeEvery, timeoutMs: cfg.timeoutMs };
      load = k6 ? startK6GamedayLoad({ ...loadOptions, k6, scenario }) : startGamedayLoad(loadOptions);
      log(`baseline: ${cfg.baseline}s of steady state`);
      await sleep(cfg.baseline * 1000, signal);
    }

    if (!signal?.aborted) {
      log(`runbook ${runbook.name}: ${runbook.summary}`);
      journal = await runRunbook(runbook, {
        target,
        yes: true,
        signal,
        journalFile: opts.journalFile,
        onStart: (s: Step) => log(`  → ${s.name}`),
        onStep: (e) => {
          log(`    ${e.outcome.padEnd(7)} ${e.name}${e.atSeconds !== null ? ` (T+${e.atSeconds.toFixed(1)}s)` : ''}${e.error ? `: ${e.error}` : ''}`);
          opts.onStep?.(e);
        },
      });
    }

    // The fault starts when its step starts (the runner stamps the end): requests in between already fail.
    const faultStep = runbook.steps.find((s) => s.marksFault)?.name;
    const faultEntry = journal?.faultStartedAt ? journal.steps.find((s) => s.name === faultStep && s.outcome === 'ok') : undefined;
    // A step that records when the damage happened (pitr's corruptedAt) is more precise than its start.
    const recordedAt = (faultEntry?.output as { corruptedAt?: unknown } | null)?.corruptedAt;
    const faultAt = faultEntry ? (typeof recordedAt === 'string' ? Date.parse(recordedAt) : Date.parse(faultEntry.startedAt)) : null;
    // pitr: the fault does not fail requests (the service serves corrupted data), so the service counts as
    // recovered no earlier than the runbook's recovery (the cut-over).
    const notBefore = scenario === 'pitr' && journal?.recoveredAt ? Date.parse(journal.recoveredAt) : undefined;
    const rtoOptions = (observedUntil: number) => ({
      faultAt: faultAt!,
      objectivePercent: slo.objectivePercent,
      windowSeconds: cfg.window,
      stepSeconds: cfg.step,
      sustainSeconds: cfg.sustain,
      observedUntil,
      notBefore,
    });
    if (load && faultAt !== null && journal?.outcome === 'succeeded' && (scenario !== 'pitr' || notBefore !== undefined)) {
      log(`waiting for the SLI (${slo.objectivePercent}% over ${cfg.window}s windows) to hold for ${cfg.sustain}s`);
      const deadline = faultAt + maxRecovery * 1000;
      while (!signal?.aborted && Date.now() < deadline) {
        const observedUntil = Date.now() - cfg.timeoutMs - 250;
        if (computeRto(load.samples, rtoOptions(observedUntil)).recoveredAt !== null) break;
        await sleep(500, signal);
      }
    }

    if (load) {
      const s = await load.stop();
      summary = { sent: s.sent, ok: s.ok, failed: s.failed, dropped: s.dropped };
      log(`load stopped: ${s.sent} sent, ${s.ok} ok, ${s.failed} failed, ${s.dropped} dropped`);
      notes.push(...(load.notes ?? []));
    }
    await watcher.stop();

    // --- read back ------------------------------------------------------------------------------
    try {
      const db = await target.servingDatabase();
      readFrom = { name: db.name, port: db.port };
      surviving = await readBackSeqs(lab, db.port, runId);
    } catch (err) {
      notes.push(`could not read the writes back: ${(err as Error).message}`);
    }

    // --- measure ------------------------------------------------------------------------------
    const samples = load?.samples ?? [];
    const ledger = load?.ledger ?? [];
    const endedAt = new Date();
    const lastScheduled = samples.reduce((m, s) => Math.max(m, s.scheduledAt), 0);
    // A pitr run that never cut over has not recovered, whatever the requests say.
    const recoverable = faultAt !== null && (scenario !== 'pitr' || notBefore !== undefined);
    const rto = recoverable ? computeRto(samples, rtoOptions(lastScheduled + 1)) : null;
    const rpo = faultAt !== null && surviving ? computeRpo(ledger, surviving, faultAt) : null;
    const detection = faultAt !== null ? timeToDetect(watcher.seen, faultAt) : null;
    if (detection?.note) notes.push(`time to detect: ${detection.note}${watcher.lastError ? ` (last Prometheus error: ${watcher.lastError})` : ''}`);
    const failedAfterFault = faultAt !== null ? samples.filter((s) => s.scheduledAt >= faultAt && !s.ok).length : 0;
    if (detection?.seconds === null && failedAfterFault > 0) {
      notes.push(
        `${failedAfterFault} requests failed after the fault but no page alert fired: the SLO's SLI counts what the service instances ` +
          'report (job="inventory"), and these failures happened in front of them (load balancer, frozen or dead instances). ' +
          'Measure availability at the load balancer too (the CloudWatch path does, at the ALB).',
      );
    }
    if (scenario === 'pitr') notes.push('pitr: data corruption fails no request, so RTO runs from the corruption to the sustained SLI after the cut-over to the restored database');

    const rtoMet = rto?.seconds != null && rto.seconds <= objectives.rtoSeconds;
    const rpoMet = rpo?.seconds != null && rpo.seconds <= objectives.rpoSeconds;
    const aborted = Boolean(signal?.aborted) || journal?.outcome === 'aborted';
    let verdict: Verdict;
    if (aborted) {
      verdict = 'aborted';
      reasons.push(faultAt === null ? 'interrupted before the fault' : 'interrupted: faults in effect were undone (see the undo steps)');
    } else {
      if (!journal || journal.outcome !== 'succeeded') {
        const failed = journal?.steps.find((s) => s.outcome === 'failed');
        reasons.push(`runbook ${journal?.outcome ?? 'did not run'}${failed ? ` at ${failed.name}: ${failed.error ?? ''}` : ''}`);
      }
      if (!rtoMet) reasons.push(rto?.seconds == null ? `no sustained recovery within ${maxRecovery}s of the fault` : `RTO ${rto.seconds}s over the objective ${objectives.rtoSeconds}s`);
      if (!rpoMet) reasons.push(rpo?.seconds == null ? 'RPO not measured (writes not read back)' : `RPO ${rpo.seconds.toFixed(1)}s over the objective ${objectives.rpoSeconds}s`);
      verdict = reasons.length ? 'fail' : 'pass';
    }

    const report: GamedayReport = {
      scenario,
      target: 'local',
      verdict,
      reasons,
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      faultStartedAt: faultAt !== null ? new Date(faultAt).toISOString() : null,
      recoveredAt: rto?.recoveredAt != null ? new Date(rto.recoveredAt).toISOString() : null,
      rto: { measuredSeconds: rto?.seconds ?? null, objectiveSeconds: objectives.rtoSeconds, met: rtoMet },
      rpo: {
        measuredSeconds: rpo?.seconds ?? null,
        lostWrites: rpo?.lostWrites ?? null,
        acknowledgedWrites: ledger.length,
        objectiveSeconds: objectives.rpoSeconds,
        met: rpoMet,
        lostSeqs: rpo?.lostSeqs.slice(0, 1000) ?? [],
        readFrom: readFrom?.name ?? null,
        lastSurvivingWriteAt: rpo?.lastSurvivingAckAt != null ? new Date(rpo.lastSurvivingAckAt).toISOString() : null,
      },
      timeToDetectSeconds: detection?.seconds ?? null,
      detectedBy: detection?.alert ?? null,
      timeToMitigateSeconds: faultAt !== null ? timeToMitigate(samples, faultAt, surviving ?? undefined) : null,
      sli: { slo: slo.sloId, objectivePercent: slo.objectivePercent, windowSeconds: cfg.window, stepSeconds: cfg.step, sustainSeconds: cfg.sustain },
      load: { driver: k6 ? 'k6' : 'builtin', target: front, runId, ratePerSecond: cfg.rate, writeEvery: cfg.writeEvery, ...summary },
      lab: { dir: labDir, regions: lab.regions, synchronousStandby: lab.database.synchronous, kept: !startedHere || Boolean(opts.keep) },
      runbook: { outcome: journal?.outcome ?? 'not run', recoverySeconds: journal?.recoverySeconds ?? null, journalFile: opts.journalFile ?? null },
      steps: journal?.steps ?? [],
      timeline: faultAt !== null ? timeline(samples, faultAt) : timeline(samples, startedAt.getTime()),
      notes,
    };
    return { report, samples, ledger, labDir, readFrom };
  } finally {
    if (load) await load.stop().catch(() => {});
    await watcher.stop().catch(() => {});
    await crossRegion?.undo().catch((err: Error) => log(`cross-region link: ${err.message}`));
    if (startedHere && !opts.keep) {
      log('tearing the lab down');
      await labDown(labDir)
        .then(() => rmSync(dirname(labDir), { recursive: true, force: true }))
        .catch((err: Error) => log(`lab down: ${err.message}`));
    }
  }
}
