// The three DR scenarios run end to end on real labs (one at a time), with load. The figures are checked
// for plausibility and against facts the test gathers itself: it reads the write markers back from
// PostgreSQL and recomputes which acknowledged writes are missing, and counts the restored rows.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { localGamedayCommand } from '../../src/gameday/command.ts';
import { component, descendantsOf, labDown, labStatus, labUp, readLab, regionWalDir, withAdmin } from '../../src/lab/index.ts';
import { TIMING_PROFILES } from '../../src/scenarios/index.ts';
import { EXAMPLE_SPEC } from '../../src/slo/example.ts';
import { checkSteadyState } from '../../src/gameday/detect.ts';
import { prometheusRulesDir } from '../../src/lab/plan.ts';
import { runGameday, type GamedayOptions, type GamedayResult } from '../../src/gameday/orchestrator.ts';

const FAILOVER_DELAY = 5;
/** Long enough for the fastest page tier (1h/5m at 14.4x of a 99.9 % SLO: 51.8 s of total outage) to fire. */
const LONG_FAILOVER_DELAY = 58;
const REPLICA_DELAY = 0.5;
/** The load's per-request timeout (the orchestrator's default). */
const TIMEOUT_SECONDS = 2;
const QUICK: Omit<GamedayOptions, 'scenario'> = {
  ratePerSecond: 50,
  baselineSeconds: 4,
  windowSeconds: 5,
  sustainSeconds: 10,
  failoverDelaySeconds: FAILOVER_DELAY,
  keep: true, // the test reads the databases itself, then tears the lab down
};

async function seqsIn(result: GamedayResult, database: string): Promise<Set<number>> {
  const lab = readLab(result.labDir);
  const rows = await withAdmin(component(lab, database).port, (sql) => sql`select seq from writes where run = ${result.report.load.runId}`, { database: 'inventory' });
  return new Set(rows.map((r) => Number(r.seq)));
}

async function count(result: GamedayResult, database: string, table: string): Promise<number> {
  const lab = readLab(result.labDir);
  const [row] = await withAdmin(component(lab, database).port, (sql) => sql.unsafe(`select count(*)::int as n from ${table}`), { database: 'inventory' });
  return row.n;
}

/** Acknowledged sequence ids missing from `present`, computed here from the ledger. */
function missing(result: GamedayResult, present: Set<number>): number[] {
  return result.ledger.filter((w) => !present.has(w.seq)).map((w) => w.seq).sort((a, b) => a - b);
}

async function withGameday(opts: GamedayOptions, check: (r: GamedayResult) => Promise<void>): Promise<void> {
  await checkThenDown(await runGameday(opts), check);
}

/** Live processes running in the lab directory (a postgres process runs in its data directory, deleted or not). */
function processesIn(dir: string): string[] {
  const found: string[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const cwd = readlinkSync(`/proc/${e}/cwd`).replace(/ \(deleted\)$/, '');
      const state = readFileSync(`/proc/${e}/stat`, 'utf8').split(') ')[1][0];
      if (state !== 'Z' && (cwd === dir || cwd.startsWith(`${dir}/`))) found.push(`${e} ${state} ${readFileSync(`/proc/${e}/cmdline`, 'utf8').replace(/\0/g, ' ')}`);
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

async function checkThenDown(result: GamedayResult, check: (r: GamedayResult) => Promise<void>): Promise<void> {
  try {
    await check(result);
  } finally {
    await labDown(result.labDir);
    rmSync(dirname(result.labDir), { recursive: true, force: true });
  }
  // Nothing of the lab outlives it: no PostgreSQL child of a fenced, frozen region left stopped.
  expect(processesIn(result.labDir)).toEqual([]);
}

describe.sequential('game days on the lab', () => {
  it('az-failure with a synchronous standby (through the CLI command): no acknowledged write lost, an outage as long as the failover delay, RTO under 2 min, detected on backfilled history when validate --explain predicts', async () => {
    const out = mkdtempSync(join(tmpdir(), 'solida-gameday-out-'));
    const files = { json: join(out, 'r.json'), markdown: join(out, 'r.md'), html: join(out, 'r.html') };
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let result: GamedayResult;
    let summary = '';
    try {
      result = await localGamedayCommand('az-failure', {
        ...files,
        keep: true,
        rate: '50',
        baseline: '4s',
        window: '5s',
        sustain: '10s',
        failoverDelay: `${LONG_FAILOVER_DELAY}s`,
      });
    } finally {
      summary = stdout.mock.calls.map((c) => String(c[0])).join('');
      stdout.mockRestore();
      stderr.mockRestore();
    }
    expect(summary).toMatch(/game day az-failure \(local lab, profile short\): PASS/);
    // The output contract, read from the file.
    const json = JSON.parse(readFileSync(files.json, 'utf8'));
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['scenario', 'verdict', 'rto', 'rpo', 'timeToDetectSeconds', 'faultStartedAt', 'recoveredAt', 'steps']));
    expect(Object.keys(json.rto).sort()).toEqual(['measuredSeconds', 'met', 'modelledSeconds', 'objectiveSeconds', 'totalSeconds']);
    expect(json.profile.delays).toEqual([expect.objectContaining({ step: 'rds-failover', name: 'rdsFailoverDetection', seconds: LONG_FAILOVER_DELAY, slept: true })]);
    expect(Object.keys(json.rpo)).toEqual(expect.arrayContaining(['measuredSeconds', 'lostWrites', 'acknowledgedWrites', 'objectiveSeconds', 'met']));
    expect(readFileSync(files.markdown, 'utf8')).toMatch(/^# Game day: az-failure \(local lab\) — PASS/);
    expect(readFileSync(files.html, 'utf8')).toMatch(/<svg /);
    rmSync(out, { recursive: true, force: true });
    await checkThenDown(result, async (r) => {
      const { report } = r;
      expect(report.verdict, report.reasons.join('; ')).toBe('pass');
      expect(report.steps.map((s) => s.name)).toContain('kill-az');
      expect(report.steps.every((s) => s.outcome === 'ok')).toBe(true);
      expect(report.rpo.readFrom).toBe('db-r1-b');
      const present = await seqsIn(r, 'db-r1-b');
      expect(missing(r, present)).toEqual([]);
      expect(report.rpo).toMatchObject({ lostWrites: 0, measuredSeconds: 0, met: true, acknowledgedWrites: r.ledger.length });
      expect(r.ledger.length).toBeGreaterThan(100);
      // Writes cannot succeed before the standby is promoted, FAILOVER_DELAY s after the kill.
      // Requests are charged to when they were scheduled: one sent up to a timeout (2 s) before the promotion
      // may still succeed once it is done, so the sustained recovery can start up to 2 s before it.
      expect(report.timeToMitigateSeconds!).toBeGreaterThanOrEqual(LONG_FAILOVER_DELAY);
      expect(report.rto.measuredSeconds!).toBeGreaterThanOrEqual(LONG_FAILOVER_DELAY - TIMEOUT_SECONDS);
      expect(report.rto.measuredSeconds!).toBeLessThan(LONG_FAILOVER_DELAY + 30);
      expect(report.rto).toMatchObject({ modelledSeconds: 0, totalSeconds: report.rto.measuredSeconds });
      // Detection on production-like history (6 h backfilled at the load's rate): a total outage pages when
      // `validate --explain` says it does, within one rule evaluation plus one scrape (1 s each in the lab).
      expect(report.steadyState).toEqual({ checked: true, firing: [] });
      expect(report.detection).toMatchObject({ predictedBy: 'page-1h', toleranceSeconds: 2 });
      expect(report.detection.predictedSeconds!).toBeCloseTo(51.84, 1);
      expect(report.detectedBy).toMatch(/AvailabilityBudgetBurn/);
      expect(Math.abs(report.timeToDetectSeconds! - report.detection.predictedSeconds!)).toBeLessThanOrEqual(report.detection.toleranceSeconds);
      expect(report.rto.measuredSeconds!).toBeGreaterThanOrEqual(report.timeToMitigateSeconds! - TIMEOUT_SECONDS - 1);
      expect(report.rto).toMatchObject({ objectiveSeconds: 120, met: true });
      // The baseline was clean (a request in flight when the AZ died may fail in the second before the
      // fault, as it is charged to when it was scheduled); the outage shows after the fault.
      const errorsBefore = report.timeline.filter((b) => b.t < -1).reduce((n, b) => n + b.errors, 0);
      const errorsAfter = report.timeline.filter((b) => b.t >= 0).reduce((n, b) => n + b.errors, 0);
      expect(errorsBefore).toBe(0);
      // Every request scheduled more than a timeout before the promotion failed (reads need the primary too).
      expect(errorsAfter).toBeGreaterThan(50 * (LONG_FAILOVER_DELAY - TIMEOUT_SECONDS - 1));
      // The lost AZ's database is back, as the new primary's standby.
      const roles = await withAdmin(component(readLab(r.labDir), 'db-r1-a').port, (sql) => sql`select pg_is_in_recovery() as standby`);
      expect(roles[0].standby).toBe(true);
    });
  }, 240_000);

  it('region-failover to the asynchronous replica behind a 0.5 s link: the writes in transit are lost, counted exactly against the database', async () => {
    // While the region is lost, every process of its databases must be frozen (the archiver and walsender
    // too, which leave the postmaster's process group): sampled from /proc right after the fault step.
    const frozenStates: string[] = [];
    const onStep = (e: { name: string; output: unknown }) => {
      if (e.name !== 'lose-region' || !labDirSeen) return;
      const lab = readLab(labDirSeen);
      for (const db of lab.components.filter((c) => c.kind === 'postgres' && c.region === 'r1')) {
        for (const pid of [db.pid!, ...descendantsOf(db.pid!)]) {
          try {
            frozenStates.push(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0]);
          } catch {
            // exited
          }
        }
      }
    };
    let labDirSeen: string | null = null;
    const log = (line: string) => {
      const m = /starting the lab in (\S+)/.exec(line);
      if (m) labDirSeen = m[1];
    };
    await withGameday({ scenario: 'region-failover', ...QUICK, replicaDelaySeconds: REPLICA_DELAY, onStep, log }, async (r) => {
      const { report } = r;
      // The postmasters and their children (more processes than postmasters), all stopped.
      expect(frozenStates.length).toBeGreaterThan(4);
      expect(new Set(frozenStates)).toEqual(new Set(['T']));
      // Each region has its own object store: the DR replica restores only from r2's, never from r1's.
      const lab = readLab(r.labDir);
      const [restore] = await withAdmin(component(lab, 'db-r2-a').port, (sql) => sql`select current_setting('restore_command') as cmd`);
      expect(restore.cmd).toContain(regionWalDir(lab, 'r2'));
      expect(restore.cmd).not.toContain(`${regionWalDir(lab, 'r1')}/`);
      // Nothing of r1 was archived while it was lost (frozen archiver), up to its fencing at reconnect.
      const faultMs = Date.parse(report.faultStartedAt!);
      const reconnect = Date.parse(report.steps.find((s) => s.name === 'reconnect-region')!.startedAt);
      const r1Wal = regionWalDir(lab, 'r1');
      const archivedWhileLost = readdirSync(r1Wal).filter((f) => {
        const t = statSync(`${r1Wal}/${f}`).mtimeMs;
        return t > faultMs + 100 && t < reconnect;
      });
      expect(archivedWhileLost).toEqual([]);
      expect(report.verdict, report.reasons.join('; ')).toBe('pass');
      expect(report.lab.regions).toEqual(['r1', 'r2']);
      expect(report.rpo.readFrom).toBe('db-r2-a');
      const lost = missing(r, await seqsIn(r, 'db-r2-a'));
      expect(report.rpo.lostWrites).toBe(lost.length);
      expect(report.rpo.lostSeqs).toEqual(lost);
      // The replica streams through a link delaying the WAL by 0.5 s: at 25 writes/s, about a dozen
      // acknowledged writes are in transit when the region is cut off — all from the last moments before it.
      expect(lost.length).toBeGreaterThan(0);
      const fault = Date.parse(report.faultStartedAt!);
      const lose = r.report.steps.find((s) => s.name === 'lose-region')!;
      const cutAt = Date.parse((lose.output as { cutAt: string }).cutAt);
      expect(cutAt).toBeLessThanOrEqual(fault);
      const ackedAt = new Map(r.ledger.map((w) => [w.seq, w.ackedAt]));
      expect(Math.min(...lost.map((s) => ackedAt.get(s)!))).toBeGreaterThan(cutAt - REPLICA_DELAY * 1000 - 300);
      expect(report.rpo.measuredSeconds!).toBeGreaterThan(REPLICA_DELAY - 0.3);
      expect(report.rpo.measuredSeconds!).toBeLessThan(REPLICA_DELAY + 0.5);
      // Lost writes are exactly the ones in flight: all acknowledged before the fault, the moment the last
      // process of the region stopped (after it, nothing of the region answers anyone).
      expect(report.rpo.lossWindow).toMatchObject({ afterFault: 0, beforeFault: lost.length });
      expect(Math.max(...lost.map((s) => ackedAt.get(s)!))).toBeLessThanOrEqual(fault);
      // The fault is the freeze's end, inside the step: not its start, not after it.
      const loseStep = report.steps.find((s) => s.name === 'lose-region')!;
      expect(fault).toBeGreaterThanOrEqual(Date.parse(loseStep.startedAt));
      expect(report.rpo.acknowledgedWrites).toBe(r.ledger.length);
      // The short profile's slept delays (decision, DNS) are in the measured RTO.
      const slept = report.profile.delays.filter((d) => d.slept).reduce((n, d) => n + d.seconds, 0);
      expect(slept).toBe(['drActivationDecision', 'drDatabaseRestore', 'drAppDeploy', 'dnsPropagation'].reduce((n, d) => n + TIMING_PROFILES.short.delays[d as 'dnsPropagation'].seconds, 0));
      expect(report.rto.measuredSeconds!).toBeGreaterThanOrEqual(slept - TIMEOUT_SECONDS);
      expect(report.rto.measuredSeconds!).toBeLessThan(60);
      // The DR database took writes after the failover.
      expect(r.ledger.some((w) => w.ackedAt > Date.parse(report.recoveredAt!))).toBe(true);
      // The old region came back fenced: no second primary, its databases now replicas of the DR primary.
      expect(report.steps.map((s) => [s.name, s.outcome])).toEqual(expect.arrayContaining([['reconnect-region', 'ok'], ['no-split-brain', 'ok']]));
      const status = await labStatus(r.labDir);
      expect(status.primaries).toEqual(['db-r2-a']);
      expect(Object.fromEntries(status.databases.map((d) => [d.name, d.role]))).toMatchObject({ 'db-r1-a': 'standby', 'db-r1-b': 'standby' });
      const streaming = status.databases.find((d) => d.name === 'db-r2-a')!.replicas!.map((x) => x.applicationName).sort();
      expect(streaming).toEqual(expect.arrayContaining(['db_r1_a', 'db_r1_b']));
      // The writes the old primary took before it was lost and never shipped are gone from it too: it
      // holds the DR primary's history now (polled: it streams asynchronously).
      let onOld = missing(r, await seqsIn(r, 'db-r1-a'));
      for (let i = 0; i < 40 && onOld.length !== report.rpo.lostSeqs.length; i++) {
        await new Promise((res) => setTimeout(res, 250));
        onOld = missing(r, await seqsIn(r, 'db-r1-a'));
      }
      expect(onOld).toEqual(report.rpo.lostSeqs);
    });
  }, 240_000);

  it('pitr: RTO ends at the first sustained correct read (an independent probe agrees within 1 s); writes taken by the corrupted database after the fault are lost and counted', async () => {
    // An independent probe through the front door: every 100 ms, are the 40 known rows all there with
    // their quantities? (Its own check, not the load's.)
    const probes: { at: number; correct: boolean }[] = [];
    let probing = true;
    let front: string | null = null;
    const log = (line: string) => {
      const m = /load: .* open model on (\S+)/.exec(line);
      if (m) front = m[1];
    };
    const probe = (async () => {
      while (probing) {
        if (front) {
          const at = Date.now();
          try {
            const res = await fetch(`${front}/items?limit=1000`, { signal: AbortSignal.timeout(2000) });
            const items = ((await res.json()) as { items: { name: string; quantity: number }[] }).items ?? [];
            const known = items.filter((it) => /-item-\d+$/.test(it.name));
            const correct = res.status === 200 && known.length === 40 && known.every((it) => it.name.endsWith(`-item-${it.quantity}`));
            probes.push({ at, correct });
          } catch {
            probes.push({ at, correct: false });
          }
        }
        await new Promise((res) => setTimeout(res, 100));
      }
    })();
    let result: GamedayResult;
    try {
      result = await runGameday({ scenario: 'pitr', ...QUICK, seedItems: 40, log });
    } finally {
      probing = false;
      await probe;
    }
    await checkThenDown(result!, async (r) => {
      const { report } = r;
      expect(report.verdict, report.reasons.join('; ')).toBe('pass');
      const restored = report.rpo.readFrom!;
      expect(restored).toMatch(/^db-restored-/);
      // 40 seeded rows; the bad delete removed half of them on the old primary; the restore has all 40.
      expect(await count(r, 'db-r1-a', 'items')).toBe(20);
      expect(await count(r, restored, 'items')).toBe(40);
      // The corruption was seen: reads answered 200 with the wrong rows, counted as failures.
      expect(report.load.incorrect).toBeGreaterThan(0);
      const fault = Date.parse(report.faultStartedAt!);
      // First sustained correct read, by the probe: the first correct probe after the last incorrect one.
      const lastBad = Math.max(...probes.filter((p) => !p.correct && p.at >= fault).map((p) => p.at));
      const firstSustained = probes.find((p) => p.correct && p.at > lastBad)!.at;
      expect(Math.abs(fault + report.rto.measuredSeconds! * 1000 - firstSustained)).toBeLessThanOrEqual(1000);
      // Lost writes: the ones behind the restore point and every write the corrupted database acknowledged
      // after the fault, until the cut-over.
      const lost = missing(r, await seqsIn(r, restored));
      expect(report.rpo.lostWrites).toBe(lost.length);
      const ackedAt = new Map(r.ledger.map((w) => [w.seq, w.ackedAt]));
      const lostAfter = lost.filter((s) => ackedAt.get(s)! > fault);
      expect(lostAfter.length).toBeGreaterThan(10);
      expect(report.rpo.lossWindow).toMatchObject({ afterFault: lostAfter.length, beforeFault: lost.length - lostAfter.length });
      // Nothing acknowledged well before the restore point (fault − max(margin, lag − identification)) is lost.
      expect(Math.min(...lost.map((s) => ackedAt.get(s)!))).toBeGreaterThan(fault - 2000 - 300);
      // The RPO spans the loss: from the last kept write to the last lost one (after the fault).
      const lastLost = Math.max(...lost.map((s) => ackedAt.get(s)!));
      expect(report.rpo.measuredSeconds!).toBeGreaterThan((lastLost - fault) / 1000);
      // The service is on the restored database at the end: the last writes are in it.
      const lastAcked = r.ledger.reduce((a, b) => (b.ackedAt > a.ackedAt ? b : a));
      expect(lost).not.toContain(lastAcked.seq);
      // The corrupted database stays up for forensics but is fenced: one primary taking writes.
      const status = await labStatus(r.labDir);
      expect(status.primaries).toEqual([restored]);
      expect(status.databases.find((d) => d.name === 'db-r1-a')).toMatchObject({ role: 'primary', readOnly: true });
      const write = withAdmin(component(readLab(r.labDir), 'db-r1-a').port, (sql) => sql`insert into items (name) values ('after the fence')`, { database: 'inventory' });
      await expect(write).rejects.toThrow(/read-only transaction/);
    });
  }, 240_000);

  it('refuses to inject the fault when an SLO alert fires in the steady state, naming the alert; without SLO rules it says it could not judge', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'solida-gameday-refuse-'));
    chmodSync(parent, 0o755);
    const dir = join(parent, 'lab');
    // A history where 5 % of requests failed: far above every page threshold of a 99.9 % SLO. The lab loads
    // the example spec's rules, as `solida lab up` does.
    await labUp({ dir, regions: 1, sloConfig: EXAMPLE_SPEC, history: { ratePerSecond: 50, errorRatio: 0.05 } });
    try {
      const r = await runGameday({ scenario: 'az-failure', labDir: dir, ratePerSecond: 20, baselineSeconds: 3 });
      expect(r.report.verdict).toBe('refused');
      expect(r.report.steadyState.checked).toBe(true);
      expect(r.report.steadyState.firing.join(' ')).toMatch(/InventoryAvailabilityBudgetBurn\{slo=inventory-availability,severity=page\}/);
      expect(r.report.reasons[0]).toMatch(/steady state not reached, no fault injected: SLO alert\(s\) firing before the fault: .*InventoryAvailabilityBudgetBurn/);
      expect(r.report.steps).toEqual([]);
      expect(r.report.faultStartedAt).toBeNull();
      // Nothing was touched: both databases and instances still up.
      const status = await labStatus(dir);
      expect(status.primaries).toEqual(['db-r1-a']);

      // The same Prometheus with its rule files gone (reloaded): no alert can fire, so "nothing firing"
      // would be a lie; the check says it could not judge instead.
      const lab = readLab(dir);
      for (const f of readdirSync(prometheusRulesDir(dir))) rmSync(join(prometheusRulesDir(dir), f));
      process.kill(component(lab, 'prometheus').pid!, 'SIGHUP');
      let state = await checkSteadyState(lab.endpoints.prometheus);
      for (let i = 0; i < 40 && state.checked; i++) {
        await new Promise((res) => setTimeout(res, 250));
        state = await checkSteadyState(lab.endpoints.prometheus);
      }
      expect(state).toEqual({ checked: false, firing: [], notes: [expect.stringMatching(/no SLO alert rules loaded/)] });
    } finally {
      await labDown(dir);
      rmSync(parent, { recursive: true, force: true });
    }
  }, 120_000);

  it('interrupted during the failover: verdict aborted, the fault undone, the lab healthy again', async () => {
    const controller = new AbortController();
    const onStep = (e: { name: string }) => {
      // Interrupt while the standby's promotion is still pending (FAILOVER_DELAY s after the kill).
      if (e.name === 'kill-az') setTimeout(() => controller.abort(), 1000);
    };
    await withGameday({ scenario: 'az-failure', ...QUICK, signal: controller.signal, onStep }, async (r) => {
      const { report } = r;
      expect(report.verdict).toBe('aborted');
      expect(report.reasons.join(' ')).toMatch(/interrupted/);
      expect(report.steps.map((s) => [s.name, s.outcome])).toEqual(
        expect.arrayContaining([['kill-az', 'ok'], ['rds-failover', 'aborted'], ['undo:kill-az', 'ok']]),
      );
      // Nothing was promoted behind the undo: the old primary is back as the only primary, with its standby.
      // (Prometheus and HAProxy see the restarted instance at their next scrape / health check.)
      const unhealthyNow = async () => {
        const status = await labStatus(r.labDir);
        return { primaries: status.primaries, unhealthy: status.components.filter((c) => c.health !== 'healthy').map((c) => `${c.name}: ${c.health} ${c.detail}`) };
      };
      let state = await unhealthyNow();
      for (let i = 0; i < 20 && state.unhealthy.length > 0; i++) {
        await new Promise((res) => setTimeout(res, 250));
        state = await unhealthyNow();
      }
      expect(state).toEqual({ primaries: ['db-r1-a'], unhealthy: [] });
      expect(report.rpo.lostWrites).toBe(missing(r, await seqsIn(r, 'db-r1-a')).length);
    });
  }, 120_000);
});
