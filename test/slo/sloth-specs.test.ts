// Sloth in all its forms: the example specs of Sloth's own repository (test/fixtures/specs/sloth, copied
// unchanged) plus files of our own for the spellings Sloth accepts and the refusals.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSpec } from '../../src/slo/load.ts';
import { parseSpecText } from '../../src/slo/spec-text.ts';
import { explainModel } from '../../src/slo/explain.ts';
import { generatePrometheusRules } from '../../src/prometheus/rules.ts';
import { checkRules } from '../../src/prometheus/promtool.ts';
import type { Problem, SolidaError } from '../../src/util/errors.ts';

const sloth = (name: string) => new URL(`../fixtures/specs/sloth/${name}`, import.meta.url).pathname;
const text = (name: string) => readFileSync(sloth(name), 'utf8');
const tmp = mkdtempSync(join(tmpdir(), 'solida-sloth-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function refusal(spec: string, file = 'spec.yml'): { message: string; problems: Problem[] } {
  try {
    parseSpecText(spec, file);
  } catch (err) {
    return { message: (err as SolidaError).message, problems: (err as SolidaError).problems };
  }
  throw new Error('expected the spec to be refused');
}

const tiersOf = (slo: { alerting: { tiers: { name: string; enabled: boolean; burnRate: number; longWindow: { text: string }; shortWindow: { text: string } }[] } }) =>
  Object.fromEntries(slo.alerting.tiers.map((t) => [t.name, t.enabled ? [t.burnRate, t.longWindow.text, t.shortWindow.text] : 'off']));

describe('Sloth example specs', () => {
  const accepted: [string, string[]][] = [
    ['getting-started.yml', ['myservice-requests-availability']],
    ['multifile.yml', ['myservice-requests-availability', 'myservice2-requests-availability']],
    ['k8s-getting-started.yml', ['myservice-requests-availability']],
    ['k8s-multifile.yml', ['myservice-requests-availability', 'myservice2-requests-availability']],
    ['home-wifi.yml', ['home-wifi-good-wifi-client-satisfaction', 'home-wifi-risk-wifi-client-satisfaction']],
    ['k8s-home-wifi.yml', ['home-wifi-good-wifi-client-satisfaction', 'home-wifi-risk-wifi-client-satisfaction']],
    ['raw-home-wifi.yml', ['home-wifi-wifi-client-satisfaction']],
    ['no-alerts.yml', ['myapp-http-availability']],
    ['kubernetes-apiserver.yml', ['k8s-apiserver-requests-availability', 'k8s-apiserver-requests-latency']],
    ['slo-plugin-getting-started.yml', ['myservice-requests-availability']],
    ['slo-plugin-k8s-getting-started.yml', ['myservice-requests-availability']],
    ['contrib-denominator-corrected.yaml', ['svc01-slo1']],
  ];

  it.each(accepted)('reads %s with the ids Sloth gives', async (file, ids) => {
    const { format, model } = await loadSpec(sloth(file));
    expect(format).toBe('sloth');
    expect(model.slos.map((s) => s.id)).toEqual(ids);
  });

  it('every accepted example gives rules promtool accepts', async () => {
    const files: string[] = [];
    for (const [file] of accepted) {
      const model = (await loadSpec(sloth(file))).model;
      for (const f of generatePrometheusRules(model)) {
        const path = join(tmp, `${file}-${f.path}`);
        writeFileSync(path, f.content);
        files.push(path);
      }
    }
    const result = await checkRules(files);
    expect(result.ok, result.output).toBe(true);
  }, 120_000);

  it('records where each SLO came from: spec, Sloth mode, Kubernetes object', async () => {
    const plain = (await loadSpec(sloth('getting-started.yml'))).model.slos[0];
    expect(plain.source).toMatchObject({ format: 'sloth', spec: 'prometheus/v1', mode: 'cli-gen-prom' });
    const k8s = (await loadSpec(sloth('k8s-getting-started.yml'))).model.slos[0];
    expect(k8s.source).toMatchObject({ format: 'sloth', spec: 'sloth.slok.dev/v1', mode: 'cli-gen-k8s', kubernetes: { name: 'sloth-slo-my-service', namespace: 'monitoring' } });
    // Same SLO either way: the camelCase form carries the same queries, labels and alert settings.
    const strip = (s: typeof plain) => ({ ...s, source: undefined });
    expect(strip(k8s)).toEqual(strip(plain));
  });

  it('page_alert/ticket_alert disable: no tiers, no no-data alert, and the settings kept for Sloth output', async () => {
    const slo = (await loadSpec(sloth('no-alerts.yml'))).model.slos[0];
    expect(slo.alerting.tiers.every((t) => !t.enabled)).toBe(true);
    expect(slo.alerting.noData.enabled).toBe(false);
    expect(slo.source?.sloth).toMatchObject({ pageDisabled: true, ticketDisabled: true, rules: { sli: true, metadata: true, alerts: true } });
  });

  it('an AlertWindows document sets the period and tiers as Sloth does (7d example), and explain names the tier under 1x', () => {
    const spec = `${text('getting-started.yml')}\n---\n${text('windows-7d.yaml')}`;
    const { model } = parseSpecText(spec, 'seven-days.yml');
    const slo = model.slos[0];
    expect(slo.window).toEqual({ kind: 'rolling', duration: { text: '7d', seconds: 7 * 86400 } });
    // Sloth's 7d file: 8% of budget in 1h, 12.5% in 6h, 20% in 1d, 42% in 3d.
    expect(tiersOf(slo)).toEqual({
      'page-1h': [13.44, '1h', '5m'],
      'page-6h': [3.5, '6h', '30m'],
      'ticket-1d': [1.4, '1d', '2h'],
      'ticket-3d': [0.98, '3d', '6h'],
    });
    expect(slo.source?.sloth?.alertWindowsPeriod).toBe('7d');
    const warnings = explainModel(model)[0].warnings;
    expect(warnings).toContainEqual(expect.stringMatching(/^tier ticket-3d fires while the SLO is met: 0\.98x .* raise its burnRate to 1 or more/));
    expect(warnings.filter((w) => w.includes('fires while the SLO is met'))).toHaveLength(1);
  });

  it('custom AlertWindows windows become tiers named after their long windows', () => {
    const { model } = parseSpecText(`${text('getting-started.yml')}\n---\n${text('windows-custom-30d.yaml')}`, 'custom.yml');
    expect(tiersOf(model.slos[0])).toEqual({
      'page-30m': [14.4, '30m', '2m'],
      'page-3h': [4.8, '3h', '15m'],
      'ticket-12h': [3, '12h', '1h'],
      'ticket-36h': [1, '36h', '3h'],
    });
  });
});

describe('Sloth spellings solida must accept', () => {
  const own = `
version: prometheus/v1
service: Payments_API
labels:
  generated: true
  tier: 2
slo_plugins:
  overridePrevious: true
  chain:
    - id: sloth.dev/core/validate/v1
    - id: sloth.dev/core/sli_rules/v1
    - id: sloth.dev/core/metadata_rules/v1
    - id: sloth.dev/core/debug/v1
      config: {msg: hello}
    - id: sloth.dev/core/noop/v1
    - id: sloth.dev/contrib/info_labels/v1
      config:
        labels:
          team: payments
slos:
  - name: Charge_Availability
    objective: 99.5
    labels:
      critical: yes
    sli:
      events:
        error_query: sum(rate(charges_total{code=~"5.."}[{{ .window }}]))
        total_query: sum(rate(charges_total[{{.window}}]))
    alerting:
      name: charge-availability
`;

  it('reads capitals and _ in names, unquoted label values, {{ .window }} with spaces, core plugin ids', () => {
    const { model } = parseSpecText(own, 'own.yml');
    const slo = model.slos[0];
    expect(slo.id).toBe('Payments_API-Charge_Availability');
    expect(slo.labels).toEqual({ generated: 'true', tier: '2', critical: 'yes' });
    if (slo.sli.source !== 'prometheus') throw new Error('expected a Prometheus SLI');
    expect(slo.sli.errors).toBe('(sum(sum(rate(charges_total{code=~"5.."}[{{.window}}]))) or vector(0))');
    // overridePrevious with a chain that has no alert_rules: Sloth writes no alerts, nor does solida.
    expect(slo.alerting.tiers.every((t) => !t.enabled)).toBe(true);
    expect(slo.alerting.noData.enabled).toBe(false);
    expect(slo.source?.sloth).toMatchObject({ rules: { sli: true, metadata: true, alerts: false }, infoLabels: { team: 'payments' }, alertName: 'charge-availability' });
  });

  it('writes Sloth\'s sloth_slo_info values for Sloth input, with the info_labels plugin\'s labels', () => {
    const { model } = parseSpecText(own, 'own.yml');
    const groups = generatePrometheusRules(model).flatMap((f) => (parse(f.content) as { groups: { rules: { record?: string; labels?: Record<string, string> }[] }[] }).groups);
    const info = groups.flatMap((g) => g.rules).find((r) => r.record === 'sloth_slo_info');
    expect(info?.labels).toMatchObject({ sloth_spec: 'prometheus/v1', sloth_mode: 'cli-gen-prom', team: 'payments' });
  });

  it('refuses an info_labels label name Prometheus cannot have (Sloth\'s contrib example has plug-l1)', () => {
    const { problems } = refusal(text('contrib-slo-plugins.yml'));
    expect(problems).toContainEqual(expect.objectContaining({ path: 'slos[0].plugins.chain[0].config.labels.plug-l1', message: '"plug-l1" is not a Prometheus label name', fix: expect.stringContaining('plug_l1') }));
  });

  it('keeps alerts when the overriding chain has alert_rules', () => {
    const { model } = parseSpecText(own.replace('    - id: sloth.dev/core/noop/v1', '    - id: sloth.dev/core/alert_rules/v1'), 'own.yml');
    expect(model.slos[0].alerting.tiers.filter((t) => t.enabled).map((t) => t.name)).toEqual(['page-1h', 'page-6h', 'ticket-1d', 'ticket-3d']);
  });
});

describe('Sloth refusals name the format, the file path and a fix', () => {
  it('MetricsQL functions are named as the blocker, at the file field (victoria-metrics example)', () => {
    const { message, problems } = refusal(text('victoria-metrics.yml'), 'vm.yml');
    expect(message).toBe('vm.yml (read as Sloth prometheus/v1): 4 problems');
    const at = (path: string) => problems.find((p) => p.path === path);
    expect(at('slos[0].sli.events.error_query')).toMatchObject({ message: expect.stringContaining('histogram_share — MetricsQL (VictoriaMetrics)'), fix: expect.stringContaining('rewrite the query in PromQL') });
    expect(at('slos[1].sli.events.total_query')).toMatchObject({ message: expect.stringContaining('a range on an expression') });
  });

  it('an SLI plugin is named (Sloth runs Go code solida cannot)', () => {
    const { problems } = refusal(text('plugin-getting-started.yml'));
    expect(problems).toEqual([expect.objectContaining({ path: 'slos[0].sli.plugin.id', message: expect.stringContaining('Sloth SLI plugin "getting_started_availability"'), fix: expect.stringContaining('error_query') })]);
  });

  it('an unsupported contrib plugin is named with its own fix (contrib example)', () => {
    const { problems } = refusal(text('contrib-slo-plugins.yml'));
    expect(problems.filter((p) => p.path?.endsWith('.id'))).toEqual([expect.objectContaining({ path: 'slos[1].plugins.chain[0].id', message: 'Sloth SLO plugin sloth.dev/contrib/rule_intervals/v1 is not supported', fix: expect.stringContaining('evaluationInterval') })]);
  });

  it('a snake_case field in the Kubernetes form gets its camelCase name', () => {
    const { message, problems } = refusal(text('k8s-getting-started.yml').replace('pageAlert:', 'page_alert:'), 'k8s.yml');
    expect(message).toContain('read as Sloth sloth.slok.dev/v1 PrometheusServiceLevel');
    expect(problems).toEqual([expect.objectContaining({ path: 'spec.slos[0].alerting.page_alert', fix: 'did you mean "pageAlert"?' })]);
  });

  it('a bad query in the second document is reported at documents[1] and the Sloth field name', () => {
    const [first, second] = text('multifile.yml').split('service: "myservice2"');
    const spec = `${first}service: "myservice2"${second.replace('error_query: sum(rate', 'error_query: sum(rat(')}`;
    const { problems } = refusal(spec);
    expect(problems).toEqual([expect.objectContaining({ path: 'documents[1].slos[0].sli.events.error_query', message: expect.stringContaining('invalid PromQL') })]);
  });

  it('enabled alerts without alerting.name are refused, as Sloth refuses them', () => {
    const { problems } = refusal(text('getting-started.yml').replace('      name: MyServiceHighErrorRate\n', ''));
    expect(problems).toEqual([expect.objectContaining({ path: 'slos[0].alerting.name', fix: expect.stringContaining('add alerting.name') })]);
  });
});
