// The ONE scenario table: every DR scenario solida knows, with what FIS, the runbooks, the game day, the
// k6 scripts and the CI workflows need to know about it. A new scenario is one entry here (plus its
// runbook steps and, for AWS, its FIS actions); nothing else lists scenarios.
//
// Objectives and expected timelines come from the reference architecture's RTO/RPO table and DR runbook
// ("Nube Sólida" §4.3.3); they are copied here, with that citation, because nothing reads the reference
// at run time.
import type { DelayName } from './profiles.ts';

export const SCENARIOS = ['az-failure', 'region-failover', 'pitr'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface Objectives {
  /** Recovery time objective, seconds from fault to sustained recovery. */
  rtoSeconds: number;
  /** Recovery point objective, seconds of acknowledged writes that may be lost. */
  rpoSeconds: number;
}

export interface TimelineEntry {
  atSeconds: number;
  event: string;
}

export interface ScenarioSpec {
  name: ScenarioName;
  title: string;
  /** One line: what happens and how the runbook recovers. */
  summary: string;
  /** What the fault is, for generated scripts and templates. */
  fault: string;
  /** Regions the lab needs (region-failover loses one and fails over to the other). */
  regions: 1 | 2;
  objectives: Objectives;
  /** How long the injected fault lasts (the FIS action duration), seconds. */
  faultSeconds: number;
  /** How long a game day's load runs: steady state before the fault, the fault, recovery after it. */
  loadSeconds: number;
  /** The runbook that recovers from it (runbooks/catalog.ts holds its steps). */
  runbook: ScenarioName;
  /** The reference's expected timeline, T+ seconds. */
  timeline: TimelineEntry[];
  /** The managed/human delays on its recovery path, in the order they happen (see profiles.ts). */
  delays: DelayName[];
  /**
   * The damaged database keeps acknowledging writes until the recovery cuts over (a corruption fails no
   * request): writes lost after the fault then grow with every modelled delay before the cut-over.
   */
  faultKeepsWrites: boolean;
}

/** Steady state before and observation after the fault, around the fault itself, in a game day's load. */
const AROUND_FAULT_SECONDS = 2 * 300;

/** What an entry states: the rest follows from its name and fault, or is the common case. */
type ScenarioEntry = Omit<ScenarioSpec, 'name' | 'runbook' | 'loadSeconds' | 'timeline' | 'regions' | 'faultKeepsWrites'> & {
  /** [T+ seconds, event], as the reference's runbook lists them. */
  timeline: [atSeconds: number, event: string][];
  /** Default 1: only a regional failover needs a second region. */
  regions?: 1 | 2;
  /** Default false: a lost AZ or region stops acknowledging writes. */
  faultKeepsWrites?: boolean;
};

function spec(name: ScenarioName, { timeline, regions = 1, faultKeepsWrites = false, ...stated }: ScenarioEntry): ScenarioSpec {
  return {
    name,
    ...stated,
    regions,
    timeline: timeline.map(([atSeconds, event]) => ({ atSeconds, event })),
    faultKeepsWrites,
    runbook: name,
    loadSeconds: stated.faultSeconds + AROUND_FAULT_SECONDS,
  };
}

export const SCENARIO_TABLE: Readonly<Record<ScenarioName, ScenarioSpec>> = {
  'az-failure': spec('az-failure', {
    title: 'AZ failure',
    summary: 'AZ lost: the load balancer drains it, the standby is promoted, the service follows the new primary',
    fault: 'AZ a lost: its service instances and the primary database die',
    // RTO/RPO table: RDS — RPO 5 min, RTO 2 min (Multi-AZ automatic failover).
    objectives: { rtoSeconds: 120, rpoSeconds: 300 },
    // Long enough to see the 2-minute recovery and the alerts settle; FIS stops it on a page alarm.
    faultSeconds: 600,
    timeline: [
      [0, 'failure detected'],
      [30, 'ALB redirects traffic to the healthy AZ'],
      [120, 'new ECS tasks online'],
      [120, 'RDS failover complete'],
    ],
    delays: ['rdsFailoverDetection'],
  }),
  'region-failover': spec('region-failover', {
    title: 'Region failure',
    summary: "primary region lost: promote the DR region's replica, switch the global front / DNS",
    fault: 'region r1 lost: r2 replica promoted, global front switched',
    regions: 2,
    // Runbook scenario 2: total RTO 25 min; RPO: the cross-region copy, 15 min (S3 replication time).
    objectives: { rtoSeconds: 1500, rpoSeconds: 900 },
    faultSeconds: 1800,
    timeline: [
      [0, 'failure detected'],
      [300, 'decision to activate DR'],
      [900, 'database available in the DR region'],
      [1200, 'application deployed in the DR region'],
      [1500, 'DNS propagated'],
    ],
    delays: ['drActivationDecision', 'drDatabaseRestore', 'drAppDeploy', 'dnsPropagation'],
  }),
  pitr: spec('pitr', {
    title: 'Data corruption (point-in-time restore)',
    summary: 'bad bulk update/delete at T: restore to just before T into a new database, validate, cut over',
    fault: 'bad bulk write at time T, restore to just before T, cut over',
    // Runbook scenario 3: total RTO 20 min; RPO 5 min (RDS row of the RTO/RPO table).
    objectives: { rtoSeconds: 1200, rpoSeconds: 300 },
    faultSeconds: 1200,
    timeline: [
      [0, 'corruption detected'],
      [120, 'timestamp identified'],
      [900, 'restore complete'],
      [1200, 'data validated'],
    ],
    delays: ['corruptionIdentification', 'restorableTimeLag', 'pitrRestoreDuration', 'restoreValidation'],
    faultKeepsWrites: true,
  }),
};

export function scenarioSpec(name: ScenarioName): ScenarioSpec {
  return SCENARIO_TABLE[name];
}

/** k6/Go-style duration text for whole minutes or seconds (600 → "10m"). */
export function durationText(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}
