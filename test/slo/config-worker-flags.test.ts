// The config worker inherits node's execArgv. Flags that describe how the parent's own entry is read
// (--input-type=module for `node -e` or stdin, on the command line or in NODE_OPTIONS) must not change how
// the worker reads its own source: a config that needs the worker still loads.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const CONFIG = join(ROOT, 'test/fixtures/config-imports/solida.config.ts');
// The CLI as a script run through `node -e`, which is where --input-type applies.
const SCRIPT = `const { main } = await import(${JSON.stringify(join(ROOT, 'src/cli/main.ts'))});
process.exitCode = await main(['validate', '-c', ${JSON.stringify(CONFIG)}]);`;

function run(nodeArgs: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...nodeArgs, '-e', SCRIPT], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

describe('the config worker under node flags meant for the parent', () => {
  it('--input-type=module on the command line: a config importing another file validates', async () => {
    const r = await run(['--import', 'tsx', '--input-type=module']);
    expect(r.stderr).not.toMatch(/could not be loaded|require is not defined/);
    expect(r.stdout).toMatch(/valid typescript spec — 1 service\(s\), 1 SLO\(s\)/);
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);

  it('--input-type=module in NODE_OPTIONS: the same', async () => {
    const r = await run(['--import', 'tsx'], { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --input-type=module`.trim() });
    expect(r.stdout).toMatch(/valid typescript spec — 1 service\(s\), 1 SLO\(s\)/);
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);
});
