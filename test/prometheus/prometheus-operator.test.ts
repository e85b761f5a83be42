// `solida generate prometheus --format prometheus-operator`: PrometheusRule objects whose groups, taken
// out of spec and checked by the real promtool, are exactly the groups of the plain rule files.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSolida } from '../support/cli.ts';
import { parse } from 'yaml';
import { checkPrometheusRuleObjects, checkRules } from '../../src/prometheus/promtool.ts';

const sloth = new URL('../fixtures/sloth-getting-started.yml', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'solida-operator-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--format prometheus-operator', () => {
  it('writes PrometheusRule objects whose groups promtool accepts and equal the rule files', async () => {
    const plain = join(dir, 'plain');
    const operator = join(dir, 'operator');
    expect((await runSolida(['generate', 'prometheus', '--config', sloth, '--out', plain])).code).toBe(0);
    const { stdout } = await runSolida(['generate', 'prometheus', '--config', sloth, '--out', operator, '--format', 'prometheus-operator']);
    expect(stdout).toMatch(/promtool check rules: 1 file\(s\) OK/);
    const [file] = readdirSync(operator).filter((f) => f !== '.solida-manifest.json');
    expect(file).toBe('myservice.prometheusrule.yml');
    const object = parse(readFileSync(join(operator, file), 'utf8'));
    expect(object).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'solida-myservice' } });
    const extracted = join(dir, 'extracted.yml');
    writeFileSync(extracted, JSON.stringify({ groups: object.spec.groups }));
    expect((await checkRules([extracted])).ok).toBe(true);
    const files = parse(readFileSync(join(plain, 'myservice.rules.yml'), 'utf8'));
    expect(object.spec.groups).toEqual(files.groups);
    expect(files.groups.length).toBeGreaterThan(0);
  });

  it('the check refuses a file that is not a PrometheusRule (a plain rule file passes promtool, not this)', async () => {
    const plain = join(dir, 'plain', 'myservice.rules.yml');
    expect((await checkPrometheusRuleObjects([plain])).output).toContain('not a monitoring.coreos.com/v1 PrometheusRule');
  });

  it('an unknown --format is refused with exit 2 and the formats to use', async () => {
    const err = await runSolida(['generate', 'prometheus', '--config', sloth, '--out', join(dir, 'x'), '--format', 'thanos']);
    expect(err.code).toBe(2);
    expect(err.stderr).toContain('--format prometheus or --format prometheus-operator');
  });
});
