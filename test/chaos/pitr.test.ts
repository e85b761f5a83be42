import { describe, expect, it } from 'vitest';
import { validateRequest } from '../../src/aws-models/smithy.ts';
import { generatePitrPlan } from '../../src/chaos/pitr.ts';
import { SolidaError } from '../../src/util/errors.ts';
import { ACCOUNT, sampleModel } from './fixtures.ts';

const T = new Date('2026-01-30T10:00:00.700Z');

describe('point-in-time restore inputs', () => {
  it('restores a Multi-AZ instance to whole seconds just before the corruption, into a new instance', () => {
    const plan = generatePitrPlan(sampleModel(), { accountId: ACCOUNT, service: 'billing', corruptedAt: T });
    expect(plan.restoreTime.toISOString()).toBe('2026-01-30T09:59:55.000Z');
    expect(plan.restoreGapSeconds).toBeCloseTo(5.7, 5);
    expect(plan.requests.kind).toBe('instance');
    const input = plan.requests.restore.input as unknown as Record<string, unknown>;
    expect(input).toMatchObject({ SourceDBInstanceIdentifier: 'billing-primary', TargetDBInstanceIdentifier: 'billing-primary-pitr-20260130095955' });
    expect(validateRequest('rds', plan.requests.restore.operation, input)).toEqual([]);
    const restore = plan.operatorPolicy.Statement.find((s) => s.Action.includes('rds:RestoreDBInstanceToPointInTime'))!;
    expect(restore.Resource).toContain('arn:aws:rds:us-east-1:123456789012:db:billing-primary');
    expect(restore.Resource).toContain('arn:aws:rds:us-east-1:123456789012:db:billing-primary-pitr-20260130095955');
    for (const s of plan.operatorPolicy.Statement) expect(s.Resource).not.toContain('*');
  });

  it('restores an Aurora cluster and adds an instance to it', () => {
    const plan = generatePitrPlan(sampleModel(), { accountId: ACCOUNT, service: 'inventory', corruptedAt: T, marginSeconds: 0, instanceClass: 'db.r6g.large' });
    if (plan.requests.kind !== 'cluster') throw new Error('expected a cluster restore');
    expect(plan.requests.restore.input).toMatchObject({ SourceDBClusterIdentifier: 'nube-solida-db', RestoreToTime: new Date('2026-01-30T10:00:00.000Z') });
    expect(plan.requests.createInstance.input).toMatchObject({ DBClusterIdentifier: plan.target, Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large' });
    expect(validateRequest('rds', 'RestoreDBClusterToPointInTime', plan.requests.restore.input)).toEqual([]);
    expect(validateRequest('rds', 'CreateDBInstance', plan.requests.createInstance.input)).toEqual([]);
  });

  it('asks which database when services use several, and for an instance class on Aurora', () => {
    expect(() => generatePitrPlan(sampleModel(), { accountId: ACCOUNT, corruptedAt: T })).toThrow(SolidaError);
    expect(() => generatePitrPlan(sampleModel(), { accountId: ACCOUNT, service: 'inventory', corruptedAt: T })).toThrow(/restore/);
  });
});
