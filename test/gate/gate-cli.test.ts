// `solida gate` on every file of the k6 fixtures, through the CLI command. Expected verdicts come from
// the README and from k6's own stdout of the same runs (✓/✗ marks, "thresholds ... crossed" lines,
// exit code 99 for fail.js and summary.js).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { fixture, FIXTURES, runCli, runMain, tmp } from './helpers.ts';

interface GateJson {
  verdict: string;
  thresholds: { metric: string; threshold: string; value: number | null; ok: boolean; basis: string; notes: string[]; range?: { atLeast: number; atMost: number } }[];
}

async function gateJson(args: string[]): Promise<{ code: number; json: GateJson; stdout: string; stderr: string }> {
  const out = join(tmp(), 'gate.json');
  const r = await runCli(['gate', ...args, '--json', out]);
  return { ...r, json: r.code === 2 ? (undefined as never) : JSON.parse(readFileSync(out, 'utf8')) };
}

const verdicts = (j: GateJson) => Object.fromEntries(j.thresholds.map((t) => [`${t.metric} ${t.threshold}`, t.ok]));

describe('gate on each k6 fixture', () => {
  it('pass-summary-export.json passes every threshold (exit 0)', async () => {
    const { code, json, stdout } = await gateJson(['--k6-summary', fixture('pass-summary-export.json')]);
    expect(code).toBe(0);
    expect(json.verdict).toBe('pass');
    expect(verdicts(json)).toEqual({
      'http_req_failed{scenario:steady} rate<0.01': true,
      'http_req_duration{scenario:steady} p(99)<500': true,
      'http_req_duration{scenario:steady} p(95)<400': true,
      'checks rate>0.99': true,
    });
    // p(99) is not in the file: max 13.47 ms < 500 settles it, and the output says so.
    const p99 = json.thresholds.find((t) => t.threshold === 'p(99)<500')!;
    expect(p99).toMatchObject({ value: null, basis: 'bounds', range: { atLeast: 3.651721, atMost: 13.470947 } });
    expect(stdout).toMatch(/verdict: PASS/);
  });

  it('fail-summary-export.json fails on http_req_failed only (exit 1)', async () => {
    const { code, json, stdout } = await gateJson(['--k6-summary', fixture('fail-summary-export.json')]);
    expect(code).toBe(1);
    expect(json.verdict).toBe('fail');
    expect(verdicts(json)).toEqual({ 'http_req_failed rate<0.01': false, 'http_req_duration p(99)<20': true });
    expect(json.thresholds[0].value).toBeCloseTo(13 / 251, 12);
    expect(stdout).toMatch(/FAIL\s+http_req_failed\s+rate<0\.01/);
    expect(stdout).toMatch(/verdict: FAIL \(1 of 2/);
  });

  it('handle-summary-data.json fails on http_req_failed only (exit 1)', async () => {
    const { code, json } = await gateJson(['--k6-summary', fixture('handle-summary-data.json')]);
    expect(code).toBe(1);
    expect(verdicts(json)).toEqual({ 'http_req_failed rate<0.01': false, 'http_req_duration p(50)<10': true, 'http_req_duration p(99)<20': true });
    expect(json.thresholds.find((t) => t.threshold === 'p(50)<10')).toMatchObject({ value: 3.119961, basis: 'summary' });
  });

  it('points alone: no PASS claimed while sub-metric thresholds are unknown (exit 2); a failed known threshold is a FAIL', async () => {
    const pass = await runCli(['gate', '--k6-points', fixture('pass-points.jsonl.gz')]);
    expect(pass.code).toBe(2);
    expect(pass.stderr).toMatch(/never records the threshold[\s\S]*--k6-summary/);
    const fail = await gateJson(['--k6-points', fixture('fail-points.jsonl.gz')]);
    expect(fail.code).toBe(1);
    expect(verdicts(fail.json)).toMatchObject({ 'http_req_failed rate<0.01': false });
  });

  it('summary and points together: exact p(99) from the points, same verdicts', async () => {
    const pass = await gateJson(['--k6-summary', fixture('pass-summary-export.json'), '--k6-points', fixture('pass-points.jsonl.gz')]);
    expect(pass.code).toBe(0);
    expect(pass.json.thresholds.find((t) => t.threshold === 'p(99)<500')).toMatchObject({ basis: 'points' });
    const fail = await gateJson(['--k6-summary', fixture('fail-summary-export.json'), '--k6-points', fixture('fail-points.jsonl.gz')]);
    expect(fail.code).toBe(1);
    expect(verdicts(fail.json)).toEqual({ 'http_req_failed rate<0.01': false, 'http_req_duration p(99)<20': true });
  });

  it('covers every file in the fixtures directory', async () => {
    const expected: Record<string, number> = {
      'pass-summary-export.json': 0,
      'fail-summary-export.json': 1,
      'handle-summary-data.json': 1,
      // Points alone cannot know the scripts' sub-metric thresholds: exit 2 (see above).
      'pass-points.jsonl.gz': 2,
      'fail-points.jsonl.gz': 1,
    };
    for (const name of readdirSync(FIXTURES)) {
      if (name === 'README.md') continue;
      const flag = name.endsWith('.gz') ? '--k6-points' : '--k6-summary';
      const r = await runCli(['gate', flag, join(FIXTURES, name)]);
      // Scripts and stdout captures are not results: bad input, exit 2, never a verdict.
      expect(r.code, name).toBe(expected[name] ?? 2);
      if (!(name in expected)) expect(r.stderr, name).toMatch(/^error: /);
    }
  });
});

describe('SLO-derived thresholds', () => {
  function config(objective: number, latency: string, extra = ''): string {
    const file = join(tmp(), 'slo.yaml');
    writeFileSync(file, `services:
  - name: items
slos:
  - service: items
    name: availability
    objective: ${objective}
    sli: { golden: { signal: availability } }
  - service: items
    name: latency
    objective: 95
    sli: { golden: { signal: latency, threshold: ${latency} } }
${extra}`);
    return file;
  }

  it('adds the SLO thresholds to the script ones and judges them', async () => {
    // pass run: 0 failures of 251, p(95) = 3.65 ms.
    const ok = await gateJson(['--k6-summary', fixture('pass-summary-export.json'), '--config', config(99.9, '10ms')]);
    expect(ok.code).toBe(0);
    expect(verdicts(ok.json)).toMatchObject({ 'http_req_failed rate<0.001': true, 'http_req_duration p(95)<10': true });
    // fail run: 5.2% errors crosses a 99% SLO's 1% budget rate.
    const bad = await gateJson(['--k6-summary', fixture('fail-summary-export.json'), '--config', config(99, '10ms')]);
    expect(bad.code).toBe(1);
    expect(verdicts(bad.json)).toMatchObject({ 'http_req_failed rate<0.01': false, 'http_req_duration p(95)<10': true });
    const slow = await gateJson(['--k6-summary', fixture('pass-summary-export.json'), '--config', config(95, '3ms')]);
    expect(slow.code).toBe(1);
    expect(verdicts(slow.json)).toMatchObject({ 'http_req_failed rate<0.05': true, 'http_req_duration p(95)<3': false });
  });

  it('reads ./solida.yaml when no --config is given, as the help says (the SLO thresholds are judged)', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'solida.yaml'), readFileSync(config(99, '10ms'), 'utf8'));
    const out = join(dir, 'gate.json');
    const r = await runMain(['gate', '--k6-summary', fixture('fail-summary-export.json'), '--json', out], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('SLO thresholds from ./solida.yaml');
    expect(verdicts(JSON.parse(readFileSync(out, 'utf8')))).toMatchObject({ 'http_req_failed rate<0.01': false, 'http_req_duration p(95)<10': true });
  });

  it('merges an SLO threshold identical to a script one and keeps both origins', async () => {
    const j = await gateJson(['--k6-summary', fixture('fail-summary-export.json'), '--config', config(99, '10ms')]);
    const merged = j.json.thresholds.filter((t) => t.metric === 'http_req_failed' && t.threshold === 'rate<0.01');
    expect(merged).toHaveLength(1);
    expect((merged[0] as unknown as { origins: string[] }).origins).toEqual(['k6', 'slo:items-availability']);
  });

  it('a percentile the summary lacks is exit 2 naming the --summary-trend-stats to add', async () => {
    const file = join(tmp(), 'slo.yaml');
    writeFileSync(file, `services: [{ name: items }]
slos:
  - service: items
    name: latency
    objective: 99
    sli: { golden: { signal: latency, threshold: 10ms } }
`);
    // p(99) lies between p(95) = 3.65 and max = 13.47: the summary cannot tell whether it is < 10.
    const r = await runCli(['gate', '--k6-summary', fixture('pass-summary-export.json'), '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--summary-trend-stats "avg,min,med,max,p(90),p(95),p(99)"');
    expect(r.stdout).toBe('');
    // With the points the same threshold is decided exactly.
    const withPoints = await runCli(['gate', '--k6-summary', fixture('pass-summary-export.json'), '--k6-points', fixture('pass-points.jsonl.gz'), '--config', file]);
    expect(withPoints.code).toBe(0);
  });

  it('a route SLO needs its sub-metric: exit 2 from a summary without it, judged from points', async () => {
    const file = join(tmp(), 'slo.yaml');
    writeFileSync(file, `services: [{ name: items }]
slos:
  - service: items
    name: items-availability
    objective: 99
    sli: { golden: { signal: availability, route: "http://127.0.0.1:18099/flaky/slow" } }
`);
    const r = await runCli(['gate', '--k6-summary', fixture('fail-summary-export.json'), '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/http_req_failed\{name:http:\/\/127\.0\.0\.1:18099\/flaky\/slow\}.*not in the results/);
    const p = await gateJson(['--k6-points', fixture('fail-points.jsonl.gz'), '--config', file]);
    expect(p.code).toBe(1);
    const t = p.json.thresholds.find((x) => x.metric.startsWith('http_req_failed{name:'))!;
    expect(t).toMatchObject({ threshold: 'rate<0.01', ok: false, basis: 'points' });
    expect(t.value).toBeCloseTo(13 / 251, 12);
  });
});

describe('distrust of k6 verdicts', () => {
  it('flags and fails a threshold whose reported verdict contradicts its value', async () => {
    const dir = tmp();
    const doc = JSON.parse(readFileSync(fixture('fail-summary-export.json'), 'utf8'));
    // A parser that read the boolean the natural way would call this "passed": the value says 5.2%.
    doc.metrics.http_req_failed.thresholds['rate<0.01'] = false;
    const lying = join(dir, 'lying.json');
    writeFileSync(lying, JSON.stringify(doc));
    const j = await gateJson(['--k6-summary', lying]);
    expect(j.code).toBe(1);
    const t = j.json.thresholds.find((x) => x.metric === 'http_req_failed')!;
    expect(t.ok).toBe(false);
    expect(t.notes.join(' ')).toMatch(/k6 reported this threshold as passed/);

    const pass = JSON.parse(readFileSync(fixture('pass-summary-export.json'), 'utf8'));
    pass.metrics.checks.thresholds['rate>0.99'] = true;
    const contradicting = join(dir, 'contradicting.json');
    writeFileSync(contradicting, JSON.stringify(pass));
    const k = await gateJson(['--k6-summary', contradicting]);
    expect(k.code).toBe(1);
    expect(k.json.thresholds.find((x) => x.metric === 'checks')!.notes.join(' ')).toMatch(/k6 reported this threshold as failed/);
  });
});

describe('reports', () => {
  it('writes JUnit XML that parses, one testcase per threshold, failures with a message', async () => {
    const dir = tmp();
    const junit = join(dir, 'junit.xml');
    const md = join(dir, 'summary.md');
    const r = await runCli(['gate', '--k6-summary', fixture('fail-summary-export.json'), '--junit', junit, '--markdown', md, '--threshold', 'http_req_duration{expected_response:true}: avg<3']);
    expect(r.code).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase' }).parse(xml);
    const suite = doc.testsuites.testsuite;
    expect(suite['@_tests']).toBe('3');
    expect(suite['@_failures']).toBe('1');
    const cases = suite.testcase as { '@_name': string; failure?: { '@_message': string } }[];
    expect(cases.map((c) => c['@_name'])).toEqual([
      'http_req_failed rate<0.01',
      'http_req_duration p(99)<20',
      'http_req_duration{expected_response:true} avg<3',
    ]);
    expect(cases[0].failure?.['@_message']).toMatch(/http_req_failed rate<0.01 crossed: 0.05179/);
    expect(cases[1].failure).toBeUndefined();
    const markdown = readFileSync(md, 'utf8');
    expect(markdown).toMatch(/^### Load-test gate: ❌ fail \(1 of 3 not met\)/);
    expect(markdown).toContain('| ❌ | `http_req_failed` | `rate<0.01` | 0.05179 | k6 |');
    expect(markdown).toContain('| status is 200 | 238 | 13 |');
  });

  it('escapes tag values in XML', async () => {
    const dir = tmp();
    const junit = join(dir, 'junit.xml');
    const r = await runCli(['gate', '--k6-summary', fixture('pass-summary-export.json'), '--k6-points', fixture('pass-points.jsonl.gz'), '--junit', junit, '--threshold', 'http_reqs{name:http://127.0.0.1:18099/items?a=1&b=<2>}: count>0']);
    expect(r.code).toBe(1);
    expect(XMLValidator.validate(readFileSync(junit, 'utf8'))).toBe(true);
  });
});

describe('bad input: exit 2 with a clear message, no output files', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['missing file', () => ['--k6-summary', '/nonexistent/summary.json'], /cannot read k6 summary/],
    ['not JSON', () => ['--k6-summary', fixture('pass-stdout.txt')], /is not JSON/],
    ['NDJSON given as summary', () => { const f = join(tmp(), 'p.json'); writeFileSync(f, '{"type":"Metric"}\n{"type":"Point"}\n'); return ['--k6-summary', f]; }, /is not JSON[\s\S]*--k6-points/],
    ['wrong shape', () => { const f = join(tmp(), 'x.json'); writeFileSync(f, '{"results": []}'); return ['--k6-summary', f]; }, /not a k6 summary/],
    ['summary given as points', () => ['--k6-points', fixture('pass-summary-export.json')], /cannot read k6 points/],
    ['no input at all', () => [], /nothing to evaluate/],
    ['bad threshold', () => ['--k6-summary', fixture('pass-summary-export.json'), '--threshold', 'http_req_duration: p99<3'], /not a k6 threshold/],
    ['unknown metric', () => ['--k6-summary', fixture('pass-summary-export.json'), '--threshold', 'http_req_durations: avg<3'], /metric not in the results/],
    ['missing config', () => ['--k6-summary', fixture('pass-summary-export.json'), '--config', '/nonexistent/slo.yaml'], /no such file/],
    ['no thresholds', () => { const f = join(tmp(), 's.json'); writeFileSync(f, '{"metrics":{"http_reqs":{"count":3,"rate":1}}}'); return ['--k6-summary', f]; }, /nothing to gate on/],
    ['target and files', () => ['--k6-summary', fixture('pass-summary-export.json'), '--url', 'http://127.0.0.1:1'], /cannot be combined/],
    ['bad rate', () => ['--url', 'http://127.0.0.1:1', '--rate', '-3'], /--rate must be a positive number/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const dir = tmp();
      const json = join(dir, 'out.json');
      const r = await runCli(['gate', ...args(), '--json', json]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
      expect(readdirSync(dir)).toEqual([]);
    });
  }
});

describe('the whole CLI (main.ts)', () => {
  it('exits 0 / 1 / 2', async () => {
    expect((await runMain(['gate', '--k6-summary', fixture('pass-summary-export.json')])).code).toBe(0);
    expect((await runMain(['gate', '--k6-summary', fixture('fail-summary-export.json')])).code).toBe(1);
    const bad = await runMain(['gate', '--k6-summary', fixture('pass.js')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: .*not JSON/);
  });
});
