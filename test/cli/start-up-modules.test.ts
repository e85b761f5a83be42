// What `solida --help` and `solida validate` load (start-up time, issue 19): the real command in a child
// process, with a probe that records every module the process loads and every worker thread it starts.
// Timings are the bench's job (bench/cli-start.mjs); this checks the causes: no zod, AWS SDK, OpenTelemetry
// or worker thread on the usual path, while a config that needs Node still gets its worker. (esbuild is not
// checked here: tsx, which runs the sources, loads it itself; test/slo/config-cache.test.ts shows a warm
// compile cache is read, not bundled again.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'solida-start-up-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Loaded with --import: module hooks (their own thread) append each loaded URL to the log; the main thread
// appends each package it require()s (which the hooks do not see) and "worker" when a worker thread starts.
const hooks = join(dir, 'hooks.mjs');
writeFileSync(
  hooks,
  `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  appendFileSync(process.env.PROBE_LOG, url + '\\n');\n  return next(url, context);\n}\n`,
);
const probe = join(dir, 'probe.mjs');
writeFileSync(
  probe,
  `import { register } from 'node:module';\nimport { appendFileSync } from 'node:fs';\nregister(${JSON.stringify(new URL(`file://${hooks}`).href)});\nprocess.on('worker', () => appendFileSync(process.env.PROBE_LOG, 'worker\\n'));\n` +
    `import Module from 'node:module';\nconst load = Module._load;\nModule._load = function (request, ...rest) {\n  if (/^[@a-z]/.test(request) && !request.startsWith('node:')) appendFileSync(process.env.PROBE_LOG, '/node_modules/' + request + '/\\n');\n  return load.call(this, request, ...rest);\n};\n`,
);
const ENTRY = join(import.meta.dirname, '../support/cli-entry.ts');

const CONFIG = `// no import: the bundle is closed data
export default {
  services: [{ name: 'api' }],
  slos: [{ service: 'api', name: 'availability', objective: 99.9, sli: { golden: { signal: 'availability' as const } } }],
};
`;

let runs = 0;
/** Runs solida with the probe; returns what it loaded (package names, node: builtins, "worker") and its output. */
function probed(args: string[], cache = join(dir, 'cache')) {
  const log = join(dir, `log-${runs++}`);
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', probe, ENTRY, ...args], {
    cwd: join(import.meta.dirname, '../..'),
    encoding: 'utf8',
    env: { ...process.env, PROBE_LOG: log, SOLIDA_CACHE_DIR: cache, NO_COLOR: '1' },
  });
  const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const packages = new Set(lines.map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? (u === 'worker' ? 'worker' : '')).filter(Boolean));
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, packages, lines };
}

const HEAVY = ['zod', 'yaml', 'ajv', '@aws-sdk/client-cloudwatch', '@opentelemetry/sdk-node', 'prom-client', 'express', 'postgres'];

describe('start-up: what the usual commands load', () => {
  it('solida --help loads commander and none of the heavy packages', () => {
    const r = probed(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('validate');
    expect(r.packages).toContain('commander');
    for (const p of [...HEAVY, '@prometheus-io/lezer-promql', 'worker']) expect(r.packages, p).not.toContain(p);
  });

  it('solida validate of a valid config, compile cache cold and warm: no zod, no worker thread, no PromQL parser when no query needs it', () => {
    const config = join(dir, 'solida.config.ts');
    writeFileSync(config, CONFIG);
    const cold = probed(['validate', '-c', config]);
    expect(cold.stderr).toBe('');
    expect(cold.stdout).toContain('valid typescript spec — 1 service(s), 1 SLO(s)');
    const warm = probed(['validate', '-c', config]);
    expect(warm.stdout).toBe(cold.stdout);
    for (const p of [...HEAVY, '@prometheus-io/lezer-promql', 'worker']) expect(warm.packages, p).not.toContain(p);
    for (const p of ['zod', 'worker']) expect(cold.packages, p).not.toContain(p);
  });

  it('a config that needs Node (process.env) still runs in the worker, queries are still parsed, an invalid config still gets zod’s wording', () => {
    const config = join(dir, 'env.config.ts');
    writeFileSync(config, CONFIG.replace("name: 'api' }]", "name: process.env.SERVICE_NAME ?? 'api' }]").replace("service: 'api'", "service: process.env.SERVICE_NAME ?? 'api'"));
    const r = probed(['validate', '-c', config]);
    expect(r.stdout).toContain('valid typescript spec');
    expect(r.packages).toContain('worker');
    const events = join(dir, 'events.config.ts');
    writeFileSync(events, CONFIG.replace("golden: { signal: 'availability' as const }", "events: { errors: 'http_requests_total{code=~\"5..\"}', total: 'http_requests_total' }"));
    const parsed = probed(['validate', '-c', events]);
    expect(parsed.stdout).toContain('valid typescript spec');
    expect(parsed.packages).toContain('@prometheus-io/lezer-promql');
    const invalid = join(dir, 'invalid.config.ts');
    writeFileSync(invalid, CONFIG.replace('objective: 99.9', "objective: '99.9'"));
    const bad = probed(['validate', '-c', invalid]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/slos\[0\]\.objective/);
    expect(bad.packages).toContain('zod');
    expect(bad.packages).not.toContain('worker');
  });
});
