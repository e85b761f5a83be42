// The record of a game day run in AWS (`solida gameday SCENARIO --target aws --execute --json FILE`):
// what FIS did, what the RDS restore did and how long it took, and the recovery figures that can be
// measured from them against the scenario's objectives.
//
// What is measured, and what is not: for pitr the RPO is the restore gap (the writes between the
// restore point and the bad write are given up) and the restore time is from the first RDS create
// call to the database being available. Cutting the service over to the restored database is a
// runbook step outside solida's AWS calls, so the record says the RTO excludes it. FIS scenarios
// without load have no RTO of their own: the record keeps the experiment's timeline only.
import type { FisRunResult } from '../chaos/fis-run.ts';
import type { PitrPlan } from '../chaos/pitr.ts';
import type { RdsRestoreResult } from '../chaos/rds-restore.ts';
import type { Objectives, ScenarioName } from '../chaos/scenarios.ts';

export type AwsVerdict = 'pass' | 'fail' | 'incomplete';

export interface AwsGamedayRecord {
  scenario: ScenarioName;
  target: 'aws';
  account: string;
  region: string;
  startedAt: string;
  finishedAt: string;
  verdict: AwsVerdict;
  /** Why the verdict is not pass. */
  reasons: string[];
  objectives: Objectives;
  experiment?: {
    templateId: string;
    experimentId: string;
    status: string;
    reason?: string;
    stoppedByUs: boolean;
    failedActions: FisRunResult['failedActions'];
    events: Array<{ at: string; status: string; reason?: string }>;
  };
  restore?: {
    source: string;
    target: string;
    restoreTime: string;
    outcome: RdsRestoreResult['outcome'] | 'not-requested';
    reason?: string;
    requestedAt?: string;
    availableAt?: string;
    seconds?: number;
    created: RdsRestoreResult['created'];
    events: Array<{ at: string; resource: string; identifier: string; status: string }>;
  };
  rto?: { measuredSeconds: number | null; objectiveSeconds: number; met: boolean; excludes: string };
  rpo?: { measuredSeconds: number; objectiveSeconds: number; met: boolean };
}

export interface AwsRecordInput {
  scenario: ScenarioName;
  account: string;
  region: string;
  startedAt: Date;
  finishedAt: Date;
  objectives: Objectives;
  experiment?: FisRunResult;
  /** The experiment could not be run at all (the error). */
  experimentError?: string;
  pitr?: PitrPlan;
  restore?: RdsRestoreResult;
}

export function awsGamedayRecord(input: AwsRecordInput): AwsGamedayRecord {
  const { experiment, pitr, restore, objectives } = input;
  const reasons: string[] = [];
  if (input.experimentError) reasons.push(`experiment not run: ${input.experimentError}`);
  if (experiment && experiment.status !== 'completed') {
    reasons.push(`experiment ${experiment.status}${experiment.reason ? `: ${experiment.reason}` : ''}`);
  }
  const record: AwsGamedayRecord = {
    scenario: input.scenario,
    target: 'aws',
    account: input.account,
    region: input.region,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    verdict: 'pass',
    reasons,
    objectives,
  };
  if (experiment) {
    record.experiment = {
      templateId: experiment.templateId,
      experimentId: experiment.experimentId,
      status: experiment.status,
      reason: experiment.reason,
      stoppedByUs: experiment.stoppedByUs,
      failedActions: experiment.failedActions,
      events: experiment.events.map((e) => ({ at: e.at.toISOString(), status: e.status, reason: e.reason })),
    };
  }
  let incomplete = reasons.length > 0;
  if (pitr) {
    record.restore = {
      source: pitr.source,
      target: pitr.target,
      restoreTime: pitr.restoreTime.toISOString(),
      outcome: restore?.outcome ?? 'not-requested',
      reason: restore?.reason,
      requestedAt: restore?.requestedAt.toISOString(),
      availableAt: restore?.availableAt?.toISOString(),
      seconds: restore?.seconds,
      created: restore?.created ?? [],
      events: (restore?.events ?? []).map((e) => ({ at: e.at.toISOString(), resource: e.resource, identifier: e.identifier, status: e.status })),
    };
    const rpoMet = pitr.restoreGapSeconds <= objectives.rpoSeconds;
    record.rpo = { measuredSeconds: pitr.restoreGapSeconds, objectiveSeconds: objectives.rpoSeconds, met: rpoMet };
    if (!rpoMet) reasons.push(`RPO ${pitr.restoreGapSeconds} s is over the ${objectives.rpoSeconds} s objective (restore point too early)`);
    const seconds = restore?.outcome === 'available' && restore.seconds !== undefined ? restore.seconds : null;
    const rtoMet = seconds !== null && seconds <= objectives.rtoSeconds;
    record.rto = { measuredSeconds: seconds, objectiveSeconds: objectives.rtoSeconds, met: rtoMet, excludes: 'the service cut-over to the restored database' };
    if (!restore) {
      if (!incomplete) reasons.push('restore not requested');
      incomplete = true;
    } else if (restore.outcome !== 'available') {
      reasons.push(`restore ${restore.outcome}${restore.reason ? `: ${restore.reason}` : ''}`);
      incomplete = restore.outcome === 'aborted' || incomplete;
    } else if (!rtoMet) {
      reasons.push(`restore took ${seconds} s, over the ${objectives.rtoSeconds} s RTO objective`);
    }
  }
  record.verdict = incomplete ? 'incomplete' : reasons.length > 0 ? 'fail' : 'pass';
  return record;
}
