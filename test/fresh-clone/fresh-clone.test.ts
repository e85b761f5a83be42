// A newcomer's clone: the committed tree copied to a folder with nothing beside it (no ../shared, no
// SOLIDA_AWS_MODELS), then the demo's non-lab steps run there. Green only if everything the CLI needs at
// run time is in the repository. node_modules is linked from this checkout to save a full `npm ci`;
// dist/ is built in the clone, as `npm ci`'s prepare step would.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
let parent: string;
let clone: string;

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.SOLIDA_AWS_MODELS;
  return env;
}

async function solida(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', 'test/support/cli-entry.ts', ...args], { cwd: clone, env: cleanEnv(), encoding: 'utf8', timeout: 180_000 });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('a fresh clone with nothing beside it', () => {
  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), 'solida-fresh-'));
    clone = join(parent, 'solida');
    await exec('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone], { timeout: 120_000 });
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
    await exec(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: clone, timeout: 300_000 });
  }, 600_000);
  afterAll(() => {
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  it('has no shared/ beside it', () => {
    expect(readdirSync(parent)).toEqual(['solida']);
    expect(existsSync(join(clone, 'models/aws/operations.json'))).toBe(true);
  });

  it('validates the example and generates Prometheus rules checked by promtool', async () => {
    const v = await solida('validate', '-c', 'examples/solida.config.ts', '--explain');
    expect(v.out).not.toMatch(/shared/);
    expect(v.code, v.out).toBe(0);
    const g = await solida('generate', 'prometheus', '-c', 'examples/solida.config.ts', '-o', 'out/prometheus');
    expect(g.code, g.out).toBe(0);
    expect(readdirSync(join(clone, 'out/prometheus')).filter((f) => f.endsWith('.rules.yml')).length).toBeGreaterThan(0);
  }, 400_000);

  it('generates CloudWatch requests validated against the AWS API models the repository ships', async () => {
    const g = await solida('generate', 'cloudwatch', '-c', 'examples/solida.config.ts', '-o', 'out/cloudwatch');
    expect(g.out).not.toMatch(/models not found|shared/i);
    expect(g.code, g.out).toBe(0);
    expect(readdirSync(join(clone, 'out/cloudwatch'), { recursive: true }).filter((f) => String(f).endsWith('.json')).length).toBeGreaterThan(3);
  }, 400_000);
});
