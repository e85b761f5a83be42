// The scenario table is the one place a scenario is defined: every consumer (FIS, runbooks, k6, CI
// workflows, the game day's timing) must show the table's figures, and the reference profile must
// carry the reference architecture's timeline.
import { describe, expect, it } from 'vitest';
import { generateFisPlan, type FisOptions } from '../../src/chaos/fis.ts';
import { isoDuration } from '../../src/chaos/fis-limits.ts';
import { generateK6Scripts } from '../../src/k6/script.ts';
import { GAMEDAY_SCENARIOS as WORKFLOW_SCENARIOS } from '../../src/ci/workflows.ts';
import { getRunbook } from '../../src/runbooks/catalog.ts';
import { durationText, SCENARIO_TABLE, SCENARIOS, TIMING_PROFILES, type ScenarioName } from '../../src/scenarios/index.ts';
import { ACCOUNT, PAGE_ALARMS, sampleModel } from '../chaos/fixtures.ts';

const FIS_OPTS: Record<ScenarioName, FisOptions> = {
  'az-failure': { scenario: 'az-failure', accountId: ACCOUNT, availabilityZone: 'us-east-1a', subnets: { tags: { tier: 'app' } }, stopAlarms: PAGE_ALARMS },
  'region-failover': { scenario: 'region-failover', accountId: ACCOUNT, isolateRegion: 'us-west-2', subnets: { tags: { tier: 'app' } }, stopAlarms: PAGE_ALARMS },
  pitr: { scenario: 'pitr', accountId: ACCOUNT, stopAlarms: PAGE_ALARMS },
};

describe('the scenario table', () => {
  it.each(SCENARIOS)('%s: FIS fault duration, runbook, k6 load duration and workflows all come from the table', (name) => {
    const row = SCENARIO_TABLE[name];
    const plan = generateFisPlan(sampleModel(), FIS_OPTS[name]);
    const durations = Object.values(plan.template.actions ?? {}).map((a) => a.parameters?.duration).filter(Boolean);
    expect(durations.length).toBeGreaterThan(0);
    expect(new Set(durations)).toEqual(new Set([isoDuration(row.faultSeconds)]));

    const runbook = getRunbook(name);
    expect(runbook).toMatchObject({ name: row.runbook, title: row.title, summary: row.summary, objectives: row.objectives });
    expect(runbook.timeline).toEqual(row.timeline);

    const script = generateK6Scripts(sampleModel()).find((f) => f.path === `gameday/${name}.js`)!.content;
    expect(script).toContain(`__ENV.DURATION || ${JSON.stringify(durationText(row.loadSeconds))}`);
    expect(script).toContain(row.fault);
    // The load covers the fault and the time to recover.
    expect(row.loadSeconds).toBeGreaterThan(row.faultSeconds);
    expect(row.faultSeconds).toBeGreaterThanOrEqual(row.objectives.rtoSeconds);

    expect(WORKFLOW_SCENARIOS).toContain(name);
  });

  it("the reference profile reproduces the reference runbooks' expected timelines", () => {
    const ref = TIMING_PROFILES.reference.delays;
    const sum = (names: (keyof typeof ref)[]) => names.reduce((s, n) => s + ref[n].seconds, 0);
    // AZ failure: T+2min RDS failover complete.
    expect(sum(['rdsFailoverDetection'])).toBe(SCENARIO_TABLE['az-failure'].timeline.at(-1)!.atSeconds);
    // Region failure: decision T+5, database T+15, application T+20, DNS T+25 — the last is the RTO.
    expect(sum(['drActivationDecision', 'drDatabaseRestore', 'drAppDeploy', 'dnsPropagation'])).toBe(1500);
    expect(SCENARIO_TABLE['region-failover'].timeline.map((e) => e.atSeconds)).toEqual([0, 300, 900, 1200, 1500]);
    // Data corruption: timestamp T+2, restore T+15, validation T+20.
    expect(sum(['corruptionIdentification', 'pitrRestoreDuration', 'restoreValidation'])).toBe(1200);
    for (const name of SCENARIOS) for (const d of SCENARIO_TABLE[name].delays) expect(ref[d].source).toMatch(/reference|RDS/);
  });
});
