import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/slo/load.ts';
import { generateK6Scripts } from '../../src/k6/script.ts';
import { renderWorkflows, workflowSettingsFromModel } from '../../src/ci/workflows.ts';
import { FILES, generate, parseWithGitHubParser, steps, type Generated, type ParsedWorkflow } from './harness.ts';

let g: Generated;
let parsed: Record<string, ParsedWorkflow>;
let brokenErrors: string[];
beforeAll(async () => {
  g = await generate();
  const broken = g.text['solida-game-day.yml']
    .replace('timeout-minutes: 120', 'timout-minutes: 120')
    .replace('id-token: write', 'id-token: admin')
    .replace('${{ github.run_id }}', '${{ githubb.run_id }}');
  const results = await parseWithGitHubParser([...FILES.map((f) => ({ name: f, content: g.text[f] })), { name: 'broken.yml', content: broken }]);
  parsed = Object.fromEntries(results.map((r) => [r.name, r]));
  brokenErrors = parsed['broken.yml'].errors;
});
afterAll(async () => {
  await g?.cleanup();
});

describe('solida generate workflows', () => {
  it('writes exactly the three workflow files (and no staging leftovers)', async () => {
    // Besides the three files, only the manifest of what this run wrote (so the next run removes only its own files).
    expect((await readdir(g.dir)).sort()).toEqual([...FILES, '.solida-manifest.json'].sort());
  });

  it('is deterministic', async () => {
    const model = await loadModel('examples/solida.config.ts');
    const again = renderWorkflows(workflowSettingsFromModel(model, 'examples/solida.config.ts'));
    for (const f of again) expect(f.content).toBe(g.text[f.path as (typeof FILES)[number]]);
  });
});

describe("GitHub's workflow parser", () => {
  it.each(FILES)('%s parses without errors', (f) => {
    expect(parsed[f].errors).toEqual([]);
  });

  it('does report errors (control: a misspelt key, a bad permission level, an unknown context)', () => {
    expect(brokenErrors.some((e) => e.includes("'timout-minutes'"))).toBe(true);
    expect(brokenErrors.some((e) => e.includes("'admin'"))).toBe(true);
    expect(brokenErrors.some((e) => e.includes("'githubb'"))).toBe(true);
  });

  it('converts to the triggers intended', () => {
    expect(Object.keys(parsed['solida-load-gate.yml'].events!).sort()).toEqual(['pull_request', 'workflow_dispatch']);
    expect(parsed['solida-error-budget-report.yml'].events!.schedule).toEqual([{ cron: '0 8 * * 1' }]);
    const gameDay = parsed['solida-game-day.yml'].events!;
    expect(gameDay.schedule).toEqual([{ cron: '0 10 * * 2' }]);
    expect(gameDay.workflow_dispatch.inputs.scenario).toMatchObject({ type: 'choice', options: ['az-failure', 'region-failover', 'pitr'] });
  });
});

describe('least privilege', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const permissionBlocks = (doc: any): Record<string, string>[] => [doc.permissions, ...Object.values(doc.jobs).map((j: any) => j.permissions)].filter(Boolean);

  it.each(FILES)('%s: workflow-level permissions are exactly contents: read', (f) => {
    expect(g.doc[f].permissions).toEqual({ contents: 'read' });
  });

  it('id-token: write appears only on the game-day job', () => {
    for (const f of FILES) {
      const withIdToken = permissionBlocks(g.doc[f]).filter((p) => 'id-token' in p);
      expect(withIdToken.length, f).toBe(f === 'solida-game-day.yml' ? 1 : 0);
    }
    expect(g.doc['solida-game-day.yml'].jobs.gameday.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(g.doc['solida-game-day.yml'].jobs.when.permissions).toBeUndefined();
  });

  it('no write scope besides id-token, no secrets, no long-lived AWS keys', () => {
    for (const f of FILES) {
      for (const p of permissionBlocks(g.doc[f])) {
        for (const [scope, level] of Object.entries(p)) if (scope !== 'id-token') expect(level, `${f} ${scope}`).toBe('read');
      }
      expect(g.text[f]).not.toMatch(/secrets\.|aws-access-key-id|aws-secret-access-key/);
    }
  });

  it('assumes the game-day role through OIDC', () => {
    const creds = steps(g.doc['solida-game-day.yml']).find((s) => String(s.uses).startsWith('aws-actions/configure-aws-credentials@'));
    expect(creds.with['role-to-assume']).toBe('${{ vars.SOLIDA_GAMEDAY_ROLE_ARN }}');
  });
});

describe('hygiene', () => {
  it.each(FILES)('%s: every job has a timeout, every action a pinned major version, Node 20', (f) => {
    const doc = g.doc[f];
    for (const [id, job] of Object.entries<Record<string, unknown>>(doc.jobs)) expect(job['timeout-minutes'], id).toBeGreaterThan(0);
    for (const s of steps(doc).filter((s) => s.uses)) expect(s.uses).toMatch(/^[\w.-]+\/[\w.-]+@v\d+$/);
    const setupNode = steps(doc).filter((s) => String(s.uses).startsWith('actions/setup-node@'));
    expect(setupNode.length).toBeGreaterThan(0);
    for (const s of setupNode) expect(s.with['node-version']).toBe(20);
  });

  it.each(FILES)('%s: expressions reach scripts via env, never inlined into run', (f) => {
    for (const s of steps(g.doc[f]).filter((s) => s.run)) expect(s.run).not.toContain('${{');
  });

  it('game days never overlap and wait for the staging environment', () => {
    const doc = g.doc['solida-game-day.yml'];
    expect(doc.concurrency).toEqual({ group: 'solida-game-day', 'cancel-in-progress': false });
    expect(doc.jobs.gameday.environment).toBe('staging');
    expect(doc.jobs.gameday.needs).toBe('when');
  });

  it('load gate runs the k6 script `generate k6` writes for each service, with the official k6 setup action', async () => {
    const model = await loadModel('examples/solida.config.ts');
    const scripts = generateK6Scripts(model, {}).map((f) => f.path);
    const job = g.doc['solida-load-gate.yml'].jobs['load-gate'];
    expect(job.strategy.matrix.service).toEqual(['inventory']);
    for (const svc of job.strategy.matrix.service) expect(scripts).toContain(`${svc}.k6.js`);
    const run = steps(g.doc['solida-load-gate.yml']).map((s) => s.run ?? '').join('\n');
    expect(run).toContain('"$SCRIPTS/$SERVICE.k6.js"');
    expect(run).toMatch(/k6 run --summary-export "\$RESULTS\/summary\.json" --out "json=\$RESULTS\/points\.json\.gz"/);
    expect(run).toMatch(/--k6-summary "\$RESULTS\/summary\.json" --k6-points "\$RESULTS\/points\.json\.gz"/);
    expect(run).toContain('--markdown "$GITHUB_STEP_SUMMARY"');
    expect(steps(g.doc['solida-load-gate.yml']).some((s) => s.uses === 'grafana/setup-k6-action@v1')).toBe(true);
    expect(job.env.TARGET).toBe('${{ inputs.target_url || vars.SOLIDA_TARGET_URL }}');
  });
});

describe('bad input', () => {
  it('refuses a config outside the repository root (the workflows could not find it), exit code 2, nothing written', async () => {
    const { Command } = await import('commander');
    const { registerWorkflowCommands } = await import('../../src/cli/commands/workflows.ts');
    const { SolidaError } = await import('../../src/util/errors.ts');
    const program = new Command('solida').exitOverride();
    registerWorkflowCommands(program);
    const out = `${g.dir}-refused`;
    const err = await program.parseAsync(['node', 'solida', 'generate', 'workflows', '-c', '../elsewhere/solida.config.ts', '-o', out]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SolidaError);
    expect((err as InstanceType<typeof SolidaError>).exitCode).toBe(2);
    await expect(readdir(out)).rejects.toThrow();
  });

  it('without an AWS region in the model, the game day takes it from vars only', () => {
    const [, , gameDay] = renderWorkflows({ configPath: 'solida.config.ts', services: ['api'] });
    expect(gameDay.content).toContain('AWS_REGION: ${{ vars.SOLIDA_GAMEDAY_REGION }}');
  });
});
