// Every AWS resource kind the config accepts has its one monitoring file (resources/<kind>.ts) listed in
// RESOURCES, so declaring a resource can never silently produce no alarms or widgets.
import { describe, expect, it } from 'vitest';
import { resolveCloudWatchOptions } from '../../src/cloudwatch/options.ts';
import { RESOURCES } from '../../src/cloudwatch/resources/index.ts';
import { awsInput } from '../../src/slo/config.ts';
import { buildService } from '../support/model.ts';

describe('cloudwatch resources', () => {
  it('cover every resource kind of the aws config section', () => {
    const kinds = Object.keys(awsInput.shape).filter((k) => k !== 'region' && k !== 'sns');
    expect(RESOURCES.map((r) => r.kind).sort()).toEqual(kinds.sort());
  });

  it('give nothing for a service that declares no resource', () => {
    const service = buildService('docs', { aws: {} });
    for (const r of RESOURCES) expect([r.kind, r.presets(service, []), r.widgets(service, 'us-east-1', resolveCloudWatchOptions({}))]).toEqual([r.kind, [], []]);
  });
});
