// Runs promtool unit tests against rules solida generates from a config, in a temp dir.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { configSchema, type SolidaConfig } from '../../src/slo/config.ts';
import { normalizeConfig } from '../../src/slo/normalize.ts';
import { generatePrometheusRules } from '../../src/prometheus/rules.ts';
import { checkRules, testRules } from '../../src/prometheus/promtool.ts';
import type { SolidaModel } from '../../src/slo/model.ts';

export function modelOf(config: SolidaConfig): SolidaModel {
  const { model, problems } = normalizeConfig(configSchema.parse(config) as SolidaConfig, 'test.config.ts');
  if (problems.length) throw new Error(JSON.stringify(problems, null, 2));
  return model;
}

export interface AlertExpectation {
  eval_time: string;
  alertname: string;
  exp_alerts: { exp_labels: Record<string, string> }[];
}

export interface PromtoolCase {
  interval: string;
  input_series: { series: string; values: string }[];
  alert_rule_test?: AlertExpectation[];
  promql_expr_test?: { expr: string; eval_time: string; exp_samples: { labels?: string; value: number }[] }[];
}

/**
 * Generates the rules, drops alert annotations (their wording is not under test here; labels and
 * firing times are), checks them with promtool, then runs the cases. Returns promtool's output.
 */
export async function runPromtool(model: SolidaModel, cases: PromtoolCase[], evaluationInterval = '1m'): Promise<{ ok: boolean; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'solida-promtool-'));
  try {
    const files = generatePrometheusRules(model);
    const names: string[] = [];
    for (const f of files) {
      const doc = parse(f.content) as { groups: { rules: { annotations?: unknown }[] }[] };
      for (const g of doc.groups) for (const r of g.rules) delete r.annotations;
      writeFileSync(join(dir, f.path), stringify(doc));
      names.push(f.path);
    }
    const check = await checkRules(names.map((n) => join(dir, n)));
    if (!check.ok) return check;
    writeFileSync(join(dir, 'tests.yml'), stringify({ rule_files: names, evaluation_interval: evaluationInterval, tests: cases }));
    return await testRules(['tests.yml'], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** promtool series notation: `start+stepxN` repeated segments. */
export function counter(segments: [perStep: number, steps: number][], start = 0): string {
  let value = start;
  const parts: string[] = [];
  for (const [step, n] of segments) {
    parts.push(`${value + step}+${step}x${n - 1}`);
    value += step * n;
  }
  return `${start} ${parts.join(' ')}`;
}
