// `solida gate --target` with k6 on PATH. k6 cannot be installed here, so a stand-in named `k6`
// records its arguments and writes the real fixture files k6 wrote for pass.js / fail.js.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, runCli, tmp } from './helpers.ts';

const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
  delete process.env.FAKE_K6_MODE;
});

function fakeK6(): { dir: string; log: string } {
  const dir = tmp('fake-k6-');
  const log = join(dir, 'calls.json');
  writeFileSync(join(dir, 'k6'), `#!${process.execPath}
const fs = require('fs');
const args = process.argv.slice(2);
const mode = process.env.FAKE_K6_MODE || 'pass';
const script = args[args.length - 1];
fs.writeFileSync(${JSON.stringify(log)}, JSON.stringify({ args, script: fs.readFileSync(script, 'utf8') }));
if (mode === 'crash') { console.error('ERRO[0000] could not initialize the script'); process.exit(107); }
const summary = args[args.indexOf('--summary-export') + 1];
const points = args[args.indexOf('--out') + 1].replace(/^json=/, '');
fs.copyFileSync(${JSON.stringify(fixture('x'))}.replace(/x$/, mode + '-summary-export.json'), summary);
fs.copyFileSync(${JSON.stringify(fixture('x'))}.replace(/x$/, mode + '-points.jsonl.gz'), points);
process.exit(mode === 'fail' ? 99 : 0);
`);
  chmodSync(join(dir, 'k6'), 0o755);
  process.env.PATH = `${dir}:${savedPath}`;
  return { dir, log };
}

describe('gate --target with k6 on PATH', () => {
  it('runs k6 with a constant-arrival-rate script carrying the thresholds, then gates its files', async () => {
    const { log } = fakeK6();
    const out = join(tmp(), 'gate.json');
    const r = await runCli(['gate', '--url', 'http://127.0.0.1:9', '--rate', '25', '--duration', '5s', '--path', '/items', '--threshold', 'http_req_duration{name:/items}: p(99)<100', '--json', out]);
    const call = JSON.parse(readFileSync(log, 'utf8'));
    expect(call.args).toEqual(expect.arrayContaining(['run', '-e', 'TARGET=http://127.0.0.1:9', '-e', 'RATE=25', '-e', 'DURATION=5s', '--summary-export']));
    expect(call.script).toContain("executor: 'constant-arrival-rate'");
    expect(call.script).toContain('"http_req_duration{name:/items}": ["p(99)<100"]');
    // The run dir is removed afterwards.
    const summaryPath = call.args[call.args.indexOf('--summary-export') + 1];
    expect(existsSync(summaryPath)).toBe(false);
    // The fixture (pass.js run) has no name:/items sub-metric in its summary, but the points are tag-filtered.
    expect(r.code, r.stderr).toBe(1); // name:/items matches no request of pass.js → no samples → not a pass
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.thresholds.find((t: { metric: string }) => t.metric === 'http_req_duration{name:/items}')).toMatchObject({ ok: false, value: null });
    expect(json.thresholds.filter((t: { origins: string[] }) => t.origins.includes('k6'))).toHaveLength(4);
  });

  it('k6 exit 99 (thresholds crossed) still yields results; the gate fails on its own evaluation', async () => {
    fakeK6();
    process.env.FAKE_K6_MODE = 'fail';
    const r = await runCli(['gate', '--url', 'http://127.0.0.1:9', '--duration', '5s', '--threshold', 'http_req_failed: rate<0.1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+http_req_failed\s+rate<0\.01/);
    expect(r.stdout).toMatch(/PASS\s+http_req_failed\s+rate<0\.1/);
  });

  it('a k6 crash is exit 2 with the message of k6; a missing k6 with --load k6 is exit 2', async () => {
    fakeK6();
    process.env.FAKE_K6_MODE = 'crash';
    const r = await runCli(['gate', '--url', 'http://127.0.0.1:9', '--threshold', 'http_req_failed: rate<0.1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/k6 exited with code 107[\s\S]*could not initialize/);
    process.env.PATH = savedPath;
    const missing = await runCli(['gate', '--url', 'http://127.0.0.1:9', '--load', 'k6', '--threshold', 'http_req_failed: rate<0.1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/k6 is not on PATH/);
  });

  it('an unknown --load is exit 2 naming the three choices as the fix', async () => {
    const r = await runCli(['gate', '--url', 'http://127.0.0.1:9', '--load', 'bogus', '--threshold', 'http_req_failed: rate<0.1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--load: expected auto, k6 or builtin\n\s+fix: pass --load auto \(k6 when on PATH\), --load k6 or --load builtin/);
  });
});
