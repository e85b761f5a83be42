// Bad specs: every problem at once, each naming the file, the field path and a fix; exit code 2,
// no stack trace, nothing written.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSpecText } from '../../src/slo/spec-text.ts';
import type { Problem, SolidaError } from '../../src/util/errors.ts';
import { runSolida } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'solida-validation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(text: string, file = 'spec.yaml'): Problem[] {
  try {
    parseSpecText(text, file);
  } catch (err) {
    return (err as SolidaError).problems;
  }
  throw new Error('expected the spec to be rejected');
}

const base = `
services:
  - name: api
slos:
  - service: api
    name: availability
    objective: 99.9
    sli:
      events:
        errors: http_requests_total{job="api",code=~"5.."}
        total: http_requests_total{job="api"}
`;

describe('spec validation', () => {
  it('a schema problem does not hide the problems of the other, well-formed entries (one round of fixes, not two)', () => {
    const text = `
services:
  - name: a
  - name: broken
    selector: 42
slos:
  - service: a
    name: typo
    objective: 99.9
    windw: 30d
    sli: { events: { errors: 'x{code=~"5.."}', total: x } }
  - service: b
    name: ghost
    objective: 99.9
    sli: { events: { errors: 'x{code=~"5.."}', total: x } }
  - service: broken
    name: fine
    objective: 99.9
    sli: { events: { errors: 'x{code=~"5.."}', total: x } }
  - service: a
    name: bad-query
    objective: 99.9
    sli: { events: { errors: 'rate(x[5m]', total: x } }
`;
    const problems = problemsOf(text);
    const at = (path: string) => problems.filter((p) => p.path === path);
    expect(problems.map((p) => p.path ?? p.file)).toEqual(
      expect.arrayContaining(['slos[0].windw', 'services[1].selector', 'slos[1].service', 'slos[3].sli.events.errors']),
    );
    expect(problems.find((p) => (p.path ?? '') === 'slos[1].service')?.message).toMatch(/unknown service "b"/);
    expect(problems.find((p) => (p.path ?? '') === 'slos[3].sli.events.errors')?.message).toMatch(/invalid PromQL/);
    // The SLO of the broken service names a service that exists: no false "unknown service".
    expect(problems.some((p) => (p.path ?? '') === 'slos[2].service')).toBe(false);
    expect(at('slos[0].windw')).toHaveLength(1);
  });

  it("an SLO with a schema problem still has its PromQL checked; its other fields' semantics wait for the shape", () => {
    const text = `
services:
  - name: api
slos:
  - service: api
    name: availability
    objectve: 99.9
    window: 2h
    sli:
      events:
        errors: 'rate(http_requests_total{code=~"5.."}[5m]'
        total: http_requests_total
`;
    const problems = problemsOf(text);
    expect(problems.map((p) => p.path)).toEqual(['slos[0].objective', 'slos[0].objectve', 'slos[0].sli.events.errors']);
    expect(problems[2].message).toMatch(/invalid PromQL/);
  });

  it('reports every problem at once, each with file, field path, message and fix', () => {
    const text = `
services:
  - name: api
slos:
  - service: apii
    name: availability
    objective: 100
    windw: 30d
    sli:
      events:
        errors: http_requests_total{job="api",code=~"5.."}
        total: http_requests_total{job="api"}
  - service: api
    name: latency
    objective: 99
    sli:
      latency:
        histogram: http_request_duration_seconds{job="api"}
        threshold: 300ms
`;
    const problems = problemsOf(text);
    // Schema problems come first (the spec's shape), then the service and SLI of every SLO (the broken one's
    // too) and everything of the well-formed one, all in one go.
    expect(problems).toEqual([
      { file: 'spec.yaml', path: 'slos[0].objective', message: expect.stringMatching(/<100|less than 100/), fix: 'write a percentage above 0 and below 100, e.g. 99.9' },
      { file: 'spec.yaml', path: 'slos[0].windw', message: 'unknown field "windw"', fix: 'did you mean "window"?' },
      { file: 'spec.yaml', path: 'slos[0].service', message: 'unknown service "apii"', fix: 'use one of: api; or declare it under services' },
      { file: 'spec.yaml', path: 'slos[1].sli.latency.threshold', message: expect.stringMatching(/0\.3s is not a bucket boundary/), fix: expect.stringMatching(/nearest: 0\.25s or 0\.5s/) },
    ]);
  });

  it('after the shape is right, reports cross-references and semantics together', () => {
    const text = base.replace('service: api\n    name: availability', 'service: apii\n    name: availability') + `
  - service: api
    name: latency
    objective: 99
    window: 2h
    sli:
      latency:
        histogram: http_request_duration_seconds{job="api"}
        threshold: 300ms
`;
    const problems = problemsOf(text);
    expect(problems.map((p) => p.path)).toEqual(['slos[0].service', 'slos[1].window', 'slos[1].sli.latency.threshold', 'slos[1].alerting.tiers.page-6h.longWindow', 'slos[1].alerting.tiers.ticket-1d.longWindow', 'slos[1].alerting.tiers.ticket-3d.longWindow']);
    expect(problems[0]).toMatchObject({ message: 'unknown service "apii"', fix: 'use one of: api; or declare it under services' });
    // The latency threshold must be a bucket boundary; the error names the nearest buckets.
    expect(problems[2].message).toContain('0.3s is not a bucket boundary of http_request_duration_seconds');
    expect(problems[2].fix).toContain('nearest: 0.25s or 0.5s');
  });

  it('catches a PromQL typo when the spec is read, pointing at it', () => {
    const problems = problemsOf(base.replace('code=~"5.."}', 'code=~"5.."'));
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('slos[0].sli.events.errors');
    expect(problems[0].message).toMatch(/^invalid PromQL: (syntax error|unexpected end of query)/);
    expect(problems[0].message).toContain('^');
  });

  it('rejects a tier that can be written but is inconsistent (short window not shorter)', () => {
    const problems = problemsOf(`${base}    alerting:\n      tiers:\n        page-1h: { shortWindow: 2h }\n`);
    expect(problems).toEqual([expect.objectContaining({ path: 'slos[0].alerting.tiers.page-1h.shortWindow', message: 'short window 2h is not shorter than long window 1h' })]);
  });

  it('names the line of a YAML syntax error', () => {
    const problems = problemsOf('services:\n  - name: api\n slos: [\n', 'broken.yaml');
    expect(problems[0].file).toMatch(/^broken\.yaml:\d+:\d+$/);
    expect(problems[0].message).toMatch(/^YAML syntax/);
  });
});

describe('solida CLI on bad input', () => {
  it('exits 2 with a readable list, no stack trace, and writes nothing', async () => {
    const spec = join(dir, 'bad.yaml');
    writeFileSync(spec, base.replace('objective: 99.9', 'objective: "high"'));
    const out = join(dir, 'rules');
    const result = await runSolida(['generate', 'prometheus', '--config', spec, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${spec}: slos[0].objective: expected number, got string "high"`);
    expect(result.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    expect(existsSync(out)).toBe(false);
  });

  it('validates the TypeScript example and explains it (detection time of the 1h page: 51.8s)', async () => {
    const { stdout } = await runSolida(['validate', '--config', new URL('../../examples/solida.config.ts', import.meta.url).pathname, '--explain']);
    expect(stdout).toContain('valid typescript spec — 1 service(s), 3 SLO(s)');
    // 14.4 × 0.1% × 3600 s = 51.84 s; the 99% latency SLO: 14.4 × 1% × 3600 s = 518 s = 8.6 min.
    expect(stdout).toMatch(/inventory-availability[^\n]*\n\s+page-1h\s+page\s+14\.4x over 1h\/5m .*detects a total outage in 51\.8s/);
    expect(stdout).toMatch(/inventory-latency[^\n]*\n\s+page-1h\s+page\s+14\.4x over 1h\/5m .*detects a total outage in 8\.6m/);
  });

  it('warns about tiers that can never fire and low traffic', async () => {
    const spec = join(dir, 'warn.yaml');
    writeFileSync(spec, base.replace('objective: 99.9', 'objective: 90\n    expectedEventsPerSecond: 0.05'));
    const { stdout } = await runSolida(['validate', '--config', spec, '--explain']);
    // 14.4 × 10% = 144% > 100%: the 1h page can never fire; 6 × 10% = 60% can.
    expect(stdout).toContain('warning: tier page-1h can never fire');
    expect(stdout).not.toContain('warning: tier page-6h can never fire');
    // 0.05/s × 5 min = 15 events: one failure is 6.7%, under the 60% bar of page-6h? No — 30m short window:
    // 90 events, one failure 1.1% < 60%: no warning there; ticket-3d (1 × 10%) with a 6h window: 1080 events.
    expect(stdout).not.toContain('warning: tier page-6h: low traffic');
  });
});
