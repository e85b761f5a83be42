// `solida gate --k6-points` alone and a sub-metric threshold: k6's --out json declares the sub-metric
// (because a script threshold names it) but never the threshold, so the points alone cannot settle the
// run. The gate must refuse (exit 2, naming the sub-metric and the fix), never print a PASS it cannot know.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tmp } from './helpers.ts';

/** k6 --out json lines as k6 v0.46 writes them (Metric records, then Points with tags). */
function pointsFile(submetrics: string[]): string {
  const sub = submetrics.map((name) => ({ name, suffix: name.slice(name.indexOf('{') + 1, -1), tags: Object.fromEntries([name.slice(name.indexOf('{') + 1, -1).split(':')]) }));
  const lines = [
    { type: 'Metric', data: { name: 'http_reqs', type: 'counter', contains: 'default', thresholds: [], submetrics: null }, metric: 'http_reqs' },
    { type: 'Metric', data: { name: 'http_req_duration', type: 'trend', contains: 'time', thresholds: [], submetrics: sub }, metric: 'http_req_duration' },
    { type: 'Metric', data: { name: 'http_req_failed', type: 'rate', contains: 'default', thresholds: ['rate<0.01'], submetrics: null }, metric: 'http_req_failed' },
  ].map((l) => JSON.stringify(l));
  for (let i = 0; i < 50; i++) {
    const time = new Date(Date.UTC(2026, 10, 22, 17, 45, 50, i * 20)).toISOString();
    const tags = { expected_response: 'true', method: 'GET', name: '/items', op: 'read', status: '200', scenario: 'gameday' };
    // Slow reads: a script threshold p(95)<100 on http_req_duration{op:read} failed in k6.
    lines.push(JSON.stringify({ metric: 'http_req_duration', type: 'Point', data: { time, value: 900, tags } }));
    lines.push(JSON.stringify({ metric: 'http_req_failed', type: 'Point', data: { time, value: 0, tags } }));
    lines.push(JSON.stringify({ metric: 'http_reqs', type: 'Point', data: { time, value: 1, tags } }));
  }
  const file = join(tmp(), 'points.json');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('gate --k6-points with a sub-metric threshold k6 did not write down', () => {
  it('exits 2 naming the sub-metric and the fix, instead of PASS', async () => {
    const file = pointsFile(['http_req_duration{expected_response:true}', 'http_req_duration{op:read}']);
    const r = await runCli(['gate', '--k6-points', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('http_req_duration{op:read}');
    expect(r.stderr).toMatch(/--k6-summary/);
    expect(r.stderr).toMatch(/--threshold "http_req_duration\{op:read\}: /);
    expect(r.stdout).not.toMatch(/PASS/);
  });

  it('judges it once the threshold is given (and fails the slow reads), and ignores k6\'s own expected_response sub-metric', async () => {
    const withThreshold = await runCli(['gate', '--k6-points', pointsFile(['http_req_duration{op:read}']), '--threshold', 'http_req_duration{op:read}: p(95)<100']);
    expect(withThreshold.code).toBe(1);
    expect(withThreshold.stdout).toMatch(/FAIL/);
    const ownOnly = await runCli(['gate', '--k6-points', pointsFile(['http_req_duration{expected_response:true}'])]);
    expect(ownOnly.code).toBe(0);
  });
});
