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
import { isSlept, objectivesFor, SCENARIO_TABLE, TIMING_PROFILES, withOverrides, type DelayName, type Objectives, type ProfileName, type ScenarioName } from '../scenarios/index.ts';
import { isAlive, labDown, labUp, readLab, withAdmin, type LabDescription } from '../lab/index.ts';
import { labExists, resolveLabDir } from '../lab/description.ts';
import { SCRAPE_INTERVAL_SECONDS } from '../lab/prometheus.ts';
import { EXAMPLE_SPEC } from '../slo/example.ts';
import { getRunbook } from '../runbooks/catalog.ts';
import { LabTarget } from '../lab/runbook-target.ts';
import { runRunbook } from '../runbooks/runner.ts';
import type { Journal, JournalStep, Step } from '../runbooks/types.ts';
import { SolidaError } from '../util/errors.ts';
import { buildGamedayReport, faultTimeOf } from './build-report.ts';
import { delayCrossRegionReplication, type CrossRegionDelay } from './cross-region.ts';
import { checkSteadyState, watchPageAlerts } from './detect.ts';
import { startGamedayLoad, type ReadCheck, type RunningLoad } from './load.ts';
import { resolveK6, startK6GamedayLoad, type LoadDriver } from './load-k6.ts';
import { computeRto, type AckedWrite, type RequestSample } from './measure.ts';
import type { GamedayReport } from './report.ts';
import { seededRow } from './read-check.ts';
import { availabilityObjective, predictedDetection } from './slo-objective.ts';

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
  /** Timing profile: the managed parts' delays (default short; reference = the reference's timelines). */
  profile?: ProfileName;
  /** Overrides the profile's rdsFailoverDetection: seconds before a standby is promoted. */
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

/** The known rows every read is checked against: "<prefix><i>" with quantity i. */
async function seedItems(lab: LabDescription, port: number, check: ReadCheck): Promise<void> {
  const rows = Array.from({ length: check.rows }, (_, k) => seededRow(check, k + 1));
  await withAdmin(port, (sql) => sql`insert into items ${sql(rows, 'name', 'quantity')}`, { database: lab.database.name });
}

async function readBackSeqs(lab: LabDescription, port: number, runId: string): Promise<number[]> {
  const rows = await withAdmin(port, (sql) => sql`select seq from writes where run = ${runId}`, { database: lab.database.name, timeoutMs: 10_000 });
  return rows.map((r) => Number(r.seq));
}

export async function runGameday(opts: GamedayOptions): Promise<GamedayResult> {
  const log = opts.log ?? (() => {});
  const scenario = opts.scenario;
  const spec = SCENARIO_TABLE[scenario];
  const objectives = objectivesFor(scenario, { explicit: opts.objectives });
  const runbook = getRunbook(scenario, objectives);
  const profile = withOverrides(TIMING_PROFILES[opts.profile ?? 'short'], { rdsFailoverDetection: opts.failoverDelaySeconds });
  const sloConfig = opts.sloConfig ?? EXAMPLE_SPEC;
  const slo = await availabilityObjective(sloConfig, opts.service ?? 'inventory');
  const prediction = await predictedDetection(sloConfig, slo.sloId);
  const lagSeconds = profile.delays.restorableTimeLag.seconds;
  const cfg = {
    rate: opts.ratePerSecond ?? 50,
    writeEvery: opts.writeEvery ?? 2,
    // A restore point up to the restorable-time lag before the fault needs load (and a base backup) that old.
    baseline: opts.baselineSeconds ?? (scenario === 'pitr' ? Math.max(10, lagSeconds + 20) : 10),
    window: opts.windowSeconds ?? 5,
    step: opts.stepSeconds ?? 1,
    sustain: opts.sustainSeconds ?? 15,
    timeoutMs: opts.requestTimeoutMs ?? 2000,
  };
  // Only the slept part of the recovery is waited for; modelled delays are added to the figures.
  const sleptDelays = spec.delays.filter((d) => isSlept(profile, d)).reduce((sum, d) => sum + profile.delays[d].seconds, 0);
  const maxRecovery = opts.maxRecoverySeconds ?? Math.min(objectives.rtoSeconds, sleptDelays + 120) + cfg.sustain + cfg.window;
  const notes: string[] = [`timing profile ${profile.name}: ${profile.description}`];
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
    log(`starting the lab in ${labDir} (${spec.regions} region(s), ${opts.async ? 'asynchronous' : 'synchronous'} standby)`);
    startedHere = true;
    opts.onLab?.({ dir: labDir, startedHere: true, keep: Boolean(opts.keep) });
    // Prometheus starts with steady-state history at the load's rate, so the burn-rate windows (1h, 6h)
    // judge the fault against production-like traffic, not against the few seconds since start.
    await labUp({ dir: labDir, regions: spec.regions, async: opts.async, sloConfig, history: { ratePerSecond: cfg.rate }, log: (m) => log(`  lab: ${m}`) });
  }
  const lab = readLab(labDir);
  if (lab.regions.length < spec.regions) {
    throw new SolidaError(`${scenario} needs a lab with ${spec.regions} regions; ${labDir} has ${lab.regions.length}`, 2, [
      { message: 'the scenario loses a whole region and fails over to the other', fix: 'omit --lab-dir (a suitable lab is started), or `solida lab up --regions 2`' },
    ]);
  }
  const replicaDelay = opts.replicaDelaySeconds ?? 0.5;
  let crossRegion: CrossRegionDelay | null = null;
  const crossRegionLink = { cut: () => crossRegion?.link.cut(), restore: () => crossRegion?.link.restore() };
  // The profile's delays pass in the runner (slept or modelled), not in the target.
  const target = new LabTarget(labDir, { failoverDelaySeconds: 0, signal, crossRegionLink });
  const front = lab.endpoints.global ?? lab.endpoints.alb[lab.regions[0]];
  const runId = `gameday-${scenario}-${startedAt.toISOString().replace(/[-:.]/g, '')}`;
  const check: ReadCheck = { prefix: `${runId}-item-`, rows: opts.seedItems ?? 50 };

  let load: RunningLoad | null = null;
  const watcher = watchPageAlerts(lab.endpoints.prometheus);
  let journal: Journal | null = null;
  let readFrom: GamedayResult['readFrom'] = null;
  let surviving: number[] | null = null;
  let summary = { sent: 0, ok: 0, failed: 0, dropped: 0 };
  let steadyState = { checked: false, firing: [] as string[] };
  try {
    if (lab.regions.length > 1 && replicaDelay > 0 && !signal?.aborted) {
      crossRegion = await delayCrossRegionReplication(lab, replicaDelay * 1000);
      if (crossRegion) notes.push(`${crossRegion.replica} replicates through a link delaying the WAL by ${replicaDelay}s (cross-region latency); losing the region drops what is in transit`);
    }
    if (!signal?.aborted) {
      await seedItems(lab, (await target.servingDatabase()).port, check);
      log(`load${k6 ? ` (k6: ${k6})` : ''}: ${cfg.rate} req/s open model on ${front} (1 in ${cfg.writeEvery} a marked write, reads checked against ${check.rows} known rows, run ${runId})`);
      const loadOptions = { target: front, runId, ratePerSecond: cfg.rate, writeEvery: cfg.writeEvery, timeoutMs: cfg.timeoutMs, check };
      load = k6 ? startK6GamedayLoad({ ...loadOptions, k6, scenario }) : startGamedayLoad(loadOptions);
      log(`baseline: ${cfg.baseline}s of steady state`);
      await sleep(cfg.baseline * 1000, signal);
    }

    // Steady state is a precondition: with an SLO alert already firing, the fault would prove nothing.
    if (!signal?.aborted) {
      try {
        const checked = await checkSteadyState(lab.endpoints.prometheus);
        steadyState = { checked: checked.checked, firing: checked.firing };
        notes.push(...checked.notes);
        for (const n of checked.notes) log(n);
      } catch (err) {
        notes.push(`steady state not checked: Prometheus did not answer (${(err as Error).message})`);
      }
      if (steadyState.firing.length) log(`steady state NOT reached, no fault injected: firing ${steadyState.firing.join(', ')}`);
    }

    if (!signal?.aborted && steadyState.firing.length === 0) {
      log(`runbook ${runbook.name}: ${runbook.summary} (timing profile ${profile.name})`);
      journal = await runRunbook(runbook, {
        target,
        yes: true,
        signal,
        journalFile: opts.journalFile,
        params: { restorableTimeLagSeconds: lagSeconds },
        delay: (name: DelayName) => ({ seconds: profile.delays[name].seconds, slept: isSlept(profile, name) }),
        onStart: (s: Step) => log(`  → ${s.name}`),
        onStep: (e) => {
          const d = e.delay ? ` [${e.delay.name} ${e.delay.seconds}s ${e.delay.slept ? 'slept' : 'modelled'}]` : '';
          log(`    ${e.outcome.padEnd(7)} ${e.name}${e.atSeconds !== null ? ` (T+${e.atSeconds.toFixed(1)}s)` : ''}${d}${e.error ? `: ${e.error}` : ''}`);
          opts.onStep?.(e);
        },
      });
    }

    const faultAt = faultTimeOf(journal, runbook.steps);
    if (load && faultAt !== null && journal?.outcome === 'succeeded') {
      log(`waiting for correct responses (${slo.objectivePercent}% over ${cfg.window}s windows) to hold for ${cfg.sustain}s`);
      const deadline = faultAt + maxRecovery * 1000;
      const rtoOptions = { faultAt, objectivePercent: slo.objectivePercent, windowSeconds: cfg.window, stepSeconds: cfg.step, sustainSeconds: cfg.sustain };
      while (!signal?.aborted && Date.now() < deadline) {
        const observedUntil = Date.now() - cfg.timeoutMs - 250;
        if (computeRto(load.samples, { ...rtoOptions, observedUntil }).recoveredAt !== null) break;
        await sleep(500, signal);
      }
    }

    if (load) {
      const s = await load.stop();
      // ok = answered in time with the right content: a 2xx read with wrong rows is a failure.
      const ok = load.samples.filter((x) => x.ok).length;
      summary = { sent: s.sent, ok, failed: s.sent - ok, dropped: s.dropped };
      log(`load stopped: ${s.sent} sent, ${ok} ok, ${s.sent - ok} failed (${load.samples.filter((x) => x.incorrect).length} with wrong content), ${s.dropped} dropped`);
      notes.push(...(load.notes ?? []));
    }
    await watcher.stop();
    if (watcher.lastError) notes.push(`last Prometheus error while watching alerts: ${watcher.lastError}`);

    // --- read back ------------------------------------------------------------------------------
    if (faultAt !== null) {
      try {
        const db = await target.servingDatabase();
        readFrom = { name: db.name, port: db.port };
        surviving = await readBackSeqs(lab, db.port, runId);
      } catch (err) {
        notes.push(`could not read the writes back: ${(err as Error).message}`);
      }
    }

    const report = buildGamedayReport({
      scenario,
      objectives,
      profile,
      startedAt,
      endedAt: new Date(),
      journal,
      journalFile: opts.journalFile ?? null,
      steps: runbook.steps,
      samples: load?.samples ?? [],
      ledger: load?.ledger ?? [],
      surviving,
      readFrom: readFrom?.name ?? null,
      sli: { slo: slo.sloId, objectivePercent: slo.objectivePercent, windowSeconds: cfg.window, stepSeconds: cfg.step, sustainSeconds: cfg.sustain },
      maxRecoverySeconds: maxRecovery,
      alerts: watcher.seen,
      prediction,
      toleranceSeconds: 2 * SCRAPE_INTERVAL_SECONDS,
      steadyState,
      aborted: Boolean(signal?.aborted) || journal?.outcome === 'aborted',
      load: { driver: k6 ? 'k6' : 'builtin', target: front, runId, ratePerSecond: cfg.rate, writeEvery: cfg.writeEvery, ...summary, readCheck: check },
      lab: { dir: labDir, regions: lab.regions, synchronousStandby: lab.database.synchronous, kept: !startedHere || Boolean(opts.keep) },
      notes,
    });
    return { report, samples: load?.samples ?? [], ledger: load?.ledger ?? [], labDir, readFrom };
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
