// Runs the real promtool on generated rules: solida's output must pass Prometheus's own checks.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SolidaError } from '../util/errors.ts';
import { findBinary } from '../util/binaries.ts';

const run = promisify(execFile);

export function promtoolPath(): string {
  const p = findBinary('promtool');
  if (!p) throw new SolidaError('promtool not found', 2, [{ message: 'promtool is needed to check the rules', fix: 'install it: apt-get install prometheus (npm run setup does this)' }]);
  return p;
}

export async function checkRules(files: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(promtoolPath(), ['check', 'rules', ...files]);
    return { ok: true, output: `${stdout}${stderr}` };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

export async function testRules(testFiles: string[], cwd?: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(promtoolPath(), ['test', 'rules', ...testFiles], { cwd, maxBuffer: 32 * 1024 * 1024 });
    return { ok: true, output: `${stdout}${stderr}` };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}
