// The three DR runbooks of the reference architecture ("DISASTER RECOVERY RUNBOOK", scenarios 1–3): their
// steps (title, timeline and objectives are in the scenario table). Manual actions keep the reference's wording so on-call reads
// the same runbook in the terminal as on paper.
import { DEFAULT_OBJECTIVES, objectivesFor, parseScenario, SCENARIO_TABLE, SCENARIOS, type Objectives, type ScenarioName } from '../scenarios/index.ts';
import { healthy, recordRowCount, replicationLagBelow, rowCountAtLeast, singlePrimary } from './checks.ts';
import type { Runbook, Step } from './types.ts';

// A health probe can miss once on a busy host; the fault waits for a healthy service, up to this long.
const STEADY_WAIT = 30;

const azFailureSteps: Step[] = [
  { kind: 'check', name: 'steady-state', description: 'service healthy before the fault', waitUpToSeconds: STEADY_WAIT, check: healthy() },
  { kind: 'check', name: 'primary-and-standby', description: 'one primary, standby in sync', check: singlePrimary((ctx) => ({ region: ctx.params.primaryRegion })) },
  { kind: 'check', name: 'rows-before', description: 'record the row count before the fault', check: recordRowCount('rowsBefore') },
  {
    kind: 'auto',
    name: 'kill-az',
    description: 'AZ loses power: its service instances and the primary database die',
    marksFault: true,
    run: (ctx) => ctx.target.killAz(ctx.params.primaryRegion, ctx.params.az),
    undo: (ctx) => ctx.target.reviveAz(ctx.params.primaryRegion, ctx.params.az),
  },
  {
    kind: 'auto',
    name: 'rds-failover',
    description: 'database fails over to the standby in the other AZ (automatic with RDS Multi-AZ)',
    expectedBySeconds: 120,
    delay: 'rdsFailoverDetection',
    run: (ctx) => ctx.target.promoteStandby(ctx.params.primaryRegion),
  },
  {
    kind: 'check',
    name: 'new-primary',
    description: 'the new primary is outside the lost AZ',
    expectedBySeconds: 120,
    waitUpToSeconds: 120,
    check: singlePrimary((ctx) => ({ region: ctx.params.primaryRegion, notAz: ctx.params.az })),
  },
  {
    kind: 'check',
    name: 'service-recovered',
    description: 'load balancer drained the AZ; the service answers from the healthy AZ',
    expectedBySeconds: 120,
    marksRecovery: true,
    waitUpToSeconds: 120,
    check: healthy(),
  },
  { kind: 'manual', name: 'verify-targets', description: 'verify ALB targets', prompt: 'Verify the ALB targets in the healthy AZ: aws elbv2 describe-target-health --target-group-arn …' },
  { kind: 'manual', name: 'verify-rds', description: 'verify RDS status', prompt: 'Verify RDS status: aws rds describe-db-instances --db-instance-identifier …' },
  { kind: 'check', name: 'rows-kept', description: 'no acknowledged rows lost', check: rowCountAtLeast('rowsBefore') },
  { kind: 'manual', name: 'communicate', description: 'tell stakeholders', prompt: 'Monitor the CloudWatch dashboards and communicate the status to stakeholders' },
  {
    kind: 'auto',
    name: 'revive-az',
    description: 'the AZ comes back; its database rejoins as standby',
    resolves: 'kill-az',
    run: (ctx) => ctx.target.reviveAz(ctx.params.primaryRegion, ctx.params.az),
  },
];

const regionFailoverSteps: Step[] = [
  { kind: 'check', name: 'steady-state', description: 'service healthy through the global front', waitUpToSeconds: STEADY_WAIT, check: healthy({ global: true }) },
  {
    kind: 'check',
    name: 'replica-lag',
    description: 'DR replica lag (bounds the data the failover loses)',
    check: replicationLagBelow((ctx) => ctx.params.secondaryRegion, (ctx) => ctx.params.maxReplicationLagSeconds),
  },
  { kind: 'check', name: 'rows-before', description: 'record the row count before the fault', check: recordRowCount('rowsBefore') },
  {
    kind: 'auto',
    name: 'lose-region',
    description: 'primary region lost (isolated from the DR region and clients)',
    marksFault: true,
    run: (ctx) => ctx.target.isolateRegion(ctx.params.primaryRegion),
    undo: (ctx) => ctx.target.reconnectRegion(ctx.params.primaryRegion),
  },
  { kind: 'manual', name: 'activate-dr', description: 'decision to activate the DR region', expectedBySeconds: 300, delay: 'drActivationDecision', prompt: 'Decide to activate the DR region (incident commander approval)' },
  {
    kind: 'auto',
    name: 'promote-dr-database',
    description: "promote the DR region's replica to primary",
    expectedBySeconds: 900,
    delay: 'drDatabaseRestore',
    run: (ctx) => ctx.target.promoteStandby(ctx.params.secondaryRegion),
  },
  {
    kind: 'check',
    name: 'dr-primary',
    description: 'the primary is in the DR region',
    expectedBySeconds: 900,
    waitUpToSeconds: 600,
    check: singlePrimary((ctx) => ({ region: ctx.params.secondaryRegion })),
  },
  { kind: 'check', name: 'dr-service', description: 'the application answers in the DR region', expectedBySeconds: 1200, delay: 'drAppDeploy', waitUpToSeconds: 600, check: healthy((ctx) => ({ region: ctx.params.secondaryRegion })) },
  {
    kind: 'auto',
    name: 'switch-front',
    description: 'switch the global front / DNS to the DR region',
    expectedBySeconds: 1500,
    run: (ctx) => ctx.target.switchGlobalFront(ctx.params.secondaryRegion),
  },
  {
    kind: 'check',
    name: 'service-recovered',
    description: 'clients are served through the global front',
    expectedBySeconds: 1500,
    delay: 'dnsPropagation',
    marksRecovery: true,
    waitUpToSeconds: 600,
    check: healthy({ global: true }),
  },
  { kind: 'manual', name: 'communicate', description: 'tell stakeholders', prompt: 'Communicate the failover to stakeholders; plan the failback' },
  {
    kind: 'auto',
    name: 'reconnect-region',
    description: "the old region comes back: its databases are fenced, then rebuilt as replicas of the DR primary (no split brain; the start of any failback)",
    resolves: 'lose-region',
    run: (ctx) => ctx.target.reconnectRegion(ctx.params.primaryRegion),
  },
  { kind: 'check', name: 'no-split-brain', description: 'one primary, still in the DR region', waitUpToSeconds: 60, check: singlePrimary((ctx) => ({ region: ctx.params.secondaryRegion })) },
];

const pitrSteps: Step[] = [
  { kind: 'check', name: 'steady-state', description: 'service healthy before the corruption', waitUpToSeconds: STEADY_WAIT, check: healthy() },
  { kind: 'check', name: 'rows-before', description: 'record the row count before the corruption', check: recordRowCount('rowsBefore') },
  {
    kind: 'auto',
    name: 'corrupt-data',
    description: 'a bad bulk update/delete corrupts the table at time T',
    marksFault: true,
    run: async (ctx) => {
      const r = await ctx.target.corruptData(ctx.params.table);
      ctx.state.corruptedAt = r.at;
      return { corruptedAt: r.at.toISOString(), rows: r.rows };
    },
  },
  { kind: 'manual', name: 'identify-time', description: 'identify the corruption timestamp', expectedBySeconds: 120, delay: 'corruptionIdentification', prompt: 'Identify the timestamp of the corruption (audit log, application logs)' },
  {
    kind: 'auto',
    name: 'restore-pitr',
    description: 'restore to a point just before T (or the latest restorable time, if earlier) into a new database',
    expectedBySeconds: 900,
    run: async (ctx) => {
      const at = ctx.state.corruptedAt;
      if (!(at instanceof Date)) throw new Error('no corruption time recorded (corrupt-data did not run)');
      const wanted = at.getTime() - ctx.params.restoreMarginSeconds * 1000;
      // The managed database can restore only up to its latest restorable time, which trails the clock
      // (the run's clock: modelled delays included).
      const latestRestorable = ctx.now().getTime() + (ctx.modelledSeconds() - ctx.params.restorableTimeLagSeconds) * 1000;
      const targetTime = new Date(Math.min(wanted, latestRestorable));
      const r = await ctx.target.restorePitr(targetTime);
      ctx.state.restoredDatabase = r.database;
      return {
        database: r.database,
        targetTime: targetTime.toISOString(),
        latestRestorableTime: new Date(latestRestorable).toISOString(),
        limitedBy: latestRestorable < wanted ? 'latest restorable time' : 'restore margin',
      };
    },
  },
  {
    kind: 'check',
    name: 'validate-restore',
    description: 'the restored copy holds every row from before the corruption',
    expectedBySeconds: 1200,
    delay: 'pitrRestoreDuration',
    check: rowCountAtLeast('rowsBefore', (ctx) => ctx.state.restoredDatabase as string | undefined),
  },
  { kind: 'manual', name: 'approve-cutover', description: 'approve the cut-over', delay: 'restoreValidation', prompt: 'Data validated: approve switching the service to the restored database' },
  {
    kind: 'auto',
    name: 'cut-over',
    description: 'point the service at the restored database',
    expectedBySeconds: 1200,
    run: (ctx) => ctx.target.cutOver(String(ctx.state.restoredDatabase)),
  },
  { kind: 'check', name: 'service-recovered', description: 'operations resume on the restored data', marksRecovery: true, expectedBySeconds: 1200, waitUpToSeconds: 300, check: healthy() },
];

// The steps of each scenario's runbook; everything else about the scenario comes from the scenario table.
const STEPS: Record<ScenarioName, Step[]> = {
  'az-failure': azFailureSteps,
  'region-failover': regionFailoverSteps,
  pitr: pitrSteps,
};

export function listRunbooks(): Runbook[] {
  return SCENARIOS.map((s) => getRunbook(s));
}

/** A runbook with its objectives (defaults unless overridden, e.g. per service). */
export function getRunbook(name: string, objectives?: Partial<Objectives>): Runbook {
  const scenario = parseScenario(name);
  const t = SCENARIO_TABLE[scenario];
  const base = { name: t.runbook, title: t.title, summary: t.summary, timeline: t.timeline.map((e) => ({ ...e })), steps: STEPS[t.runbook] };
  return { ...base, objectives: objectives ? objectivesFor(scenario, { explicit: objectives }) : { ...DEFAULT_OBJECTIVES[scenario] } };
}
