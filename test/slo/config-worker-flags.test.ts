// The config worker inherits node's execArgv. Flags that describe how the parent's own entry is read
// (--input-type=module for `node -e` or stdin, on the command line or in NODE_OPTIONS) must not change how
// the worker reads its own source: a config that needs the worker still loads.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const CONFIG = join(ROOT, 'test/fixtures/config-imports/solida.config.ts');
// The CLI as a script run through `node -e`, which is where --input-type applies.
const SCRIPT = `const { main } = await import(${JSON.stringify(join(ROOT, 'src/cli/main.ts'))});
process.exitCode = await main(['validate', '-c', ${JSON.stringify(CONFIG)}]);`;

function run(nodeArgs: string[], env: Record<string, string> = {}, evalScript = true): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, evalScript ? [...nodeArgs, '-e', SCRIPT] : nodeArgs, { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
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

// Node 20 calls the permission model --experimental-permission, Node 22+ --permission.
const PERMISSION = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';

describe('the config worker under node flags that forbid it', () => {
  it('the permission model without --allow-worker: exit 2 naming the file and the flag to add, no stack trace', async () => {
    // tsx itself needs a worker for its loader hooks, so the current sources are bundled into plain JavaScript
    // (packages stay external) and that runs under the permission model, from a folder two levels below the
    // checkout, where src/dist are: the code finds its package root as new URL('../../', import.meta.url).
    const dir = mkdtempSync(join(ROOT, 'node_modules/.solida-permission-'));
    try {
      const entry = join(dir, 'validate.mjs');
      await build({
        stdin: {
          contents: `import { main } from ${JSON.stringify(join(ROOT, 'src/cli/main.ts'))};\nprocess.exitCode = await main(['validate', '-c', ${JSON.stringify(CONFIG)}]);\n`,
          resolveDir: ROOT,
          loader: 'ts',
        },
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        packages: 'external',
        outfile: entry,
        logLevel: 'silent',
      });
      const r = await run([PERMISSION, '--allow-fs-read=*', '--allow-fs-write=*', '--allow-child-process', entry], {}, false);
      expect(r.stderr).toMatch(/config-imports\/solida\.config\.ts: node refused to start the worker thread[\s\S]*fix: add --allow-worker/);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
      expect(r.code, r.stderr).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
