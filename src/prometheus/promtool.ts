// Runs the real promtool on generated rules: solida's output must pass Prometheus's own checks.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
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

/**
 * promtool reads rule files, not Kubernetes objects: the groups of each PrometheusRule are extracted
 * into a temporary rule file and checked there, so both output formats pass the same check.
 */
export async function checkPrometheusRuleObjects(files: string[]): Promise<{ ok: boolean; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'solida-prometheusrule-'));
  try {
    const extracted: string[] = [];
    for (const f of files) {
      const doc = parse(readFileSync(f, 'utf8')) as { apiVersion?: string; kind?: string; spec?: { groups?: unknown[] } };
      if (doc?.apiVersion !== 'monitoring.coreos.com/v1' || doc.kind !== 'PrometheusRule' || !doc.spec?.groups?.length) {
        return { ok: false, output: `${f}: not a monitoring.coreos.com/v1 PrometheusRule with spec.groups` };
      }
      const out = join(dir, basename(f));
      writeFileSync(out, JSON.stringify({ groups: doc.spec.groups }));
      extracted.push(out);
    }
    return await checkRules(extracted);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
