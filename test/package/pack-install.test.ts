// solida as a user gets it: `npm pack` (which builds dist/ through `prepare`), installed from the tarball
// into an empty project in the temp folder — nothing of the checkout beside it — then the installed
// `npx solida` and `import 'solida'` / `import 'solida/exporter'` used the way the README says.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binary } from '../support/binaries.ts';

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
const version = (name: string) => lock.packages[`node_modules/${name}`].version as string;

const work = mkdtempSync(join(tmpdir(), 'solida-pack-'));
const project = join(work, 'app');
let tarball = '';

// A clean environment: no override pointing at models elsewhere, promtool found on PATH as a user has it.
const env = { ...process.env, SOLIDA_AWS_MODELS: '', NO_COLOR: '1', PATH: `${dirname(binary('promtool'))}:${process.env.PATH}` };
delete (env as Record<string, string | undefined>).SOLIDA_AWS_MODELS;

async function npx(args: string[]) {
  return exec('npx', ['--no-install', 'solida', ...args], { cwd: project, env, encoding: 'utf8', timeout: 120_000 });
}

beforeAll(async () => {
  const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, env, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20 });
  const info = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(work, info[0].filename);
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // From npm's cache when it has the packages (the checkout was installed from the same lockfile).
  await exec('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball, `express@${version('express')}`], {
    cwd: project,
    env,
    timeout: 300_000,
  });
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed tarball, installed in an empty project', () => {
  it('holds the compiled CLI, the AWS models with their licence, and no sources or tests', () => {
    const installed = join(project, 'node_modules', 'solida');
    for (const f of ['bin/solida.js', 'dist/cli/main.js', 'dist/index.js', 'dist/index.d.ts', 'dist/exporter/index.js', 'dist/grafana/schema/dashboard.jsonschema.json', 'models/aws/cloudwatch-2010-08-01.json', 'models/aws/LICENSE', 'models/aws/NOTICE', 'examples/solida.config.ts']) {
      expect(existsSync(join(installed, f)), f).toBe(true);
    }
    for (const f of ['src', 'test', 'scripts', 'bench', 'tsconfig.json']) expect(existsSync(join(installed, f)), f).toBe(false);
    // Compiling TypeScript is not a production dependency of the CLI: only esbuild, for a user's solida.config.ts.
    expect(existsSync(join(project, 'node_modules', 'tsx'))).toBe(false);
  });

  it('npx solida --version and --help', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect((await npx(['--version'])).stdout.trim()).toBe(pkg.version);
    const help = (await npx(['--help'])).stdout;
    for (const c of ['init', 'validate', 'generate', 'gameday', 'report']) expect(help).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
  });

  it('init writes a solida.config.ts importing solida; validate and generate prometheus|cloudwatch|fis use it', async () => {
    await npx(['init', '--service', 'shop', '--region', 'us-east-1', '--alb', 'app/shop/50dc6c495c0c9188', '--ecs-cluster', 'prod', '--ecs-service', 'shop', '--rds-instance', 'shop-db']);
    expect(readFileSync(join(project, 'solida.config.ts'), 'utf8')).toContain("import { defineConfig } from 'solida';");
    expect((await npx(['validate'])).stdout).toContain('solida.config.ts: valid typescript spec — 1 service(s), 2 SLO(s)');

    const prom = await npx(['generate', 'prometheus', '-o', 'rules']);
    expect(prom.stdout).toMatch(/promtool check rules: 1 file\(s\) OK/);
    expect(readdirSync(join(project, 'rules')).filter((f) => !f.startsWith('.'))).toEqual(['shop.rules.yml']);

    // Every request is validated against the AWS API models shipped in the package.
    const cw = await npx(['generate', 'cloudwatch', '-o', 'cloudwatch']);
    expect(cw.stdout).toMatch(/wrote 1 dashboard\(s\), \d+ alarm\(s\), \d+ composite alarm\(s\)/);
    expect(readdirSync(join(project, 'cloudwatch', 'alarms')).length).toBeGreaterThan(0);

    const fis = await npx(['generate', 'fis', '-c', 'solida.config.ts', '-o', 'fis', '--account', '123456789012', '--az', 'us-east-1a', '--subnet-tag', 'tier=app', '--stop-alarm-prefix', 'solida', '--secondary-region', 'us-west-2']);
    expect(fis.stdout).toContain('az-failure.template.json');
    expect(JSON.parse(readFileSync(join(project, 'fis', 'az-failure.template.json'), 'utf8')).actions).toBeDefined();

    // Every other generate kind, from the installed package: data files the build copies (Grafana's JSON
    // Schemas) must be in dist/ too.
    const grafana = await npx(['generate', 'grafana', '-o', 'grafana']);
    expect(grafana.stdout).toMatch(/2 dashboard\(s\), valid against Grafana's dashboard schema/);
    expect(readdirSync(join(project, 'grafana')).filter((f) => f.endsWith('.json')).sort()).toEqual(['service-shop.json', 'slo-overview.json']);
    for (const kind of ['k6', 'workflows', 'application-signals']) {
      await npx(['generate', kind, '-o', kind]);
      expect(readdirSync(join(project, kind), { recursive: true }).length, kind).toBeGreaterThan(0);
    }
  }, 300_000);

  it('an express app importing solida/exporter serves /metrics with the route template', async () => {
    writeFileSync(
      join(project, 'server.js'),
      `import express from 'express';
import { defineConfig } from 'solida';
import { createExporter } from 'solida/exporter';
const config = defineConfig({ services: [{ name: 'shop' }], slos: [] });
const exporter = createExporter({ service: config.services[0].name });
const app = express();
app.use(exporter.middleware);
app.get('/items/:id', (req, res) => res.json({ id: req.params.id }));
app.get('/metrics', exporter.metricsHandler);
const server = app.listen(0, '127.0.0.1', async () => {
  const base = 'http://127.0.0.1:' + server.address().port;
  await fetch(base + '/items/7');
  await fetch(base + '/items/8');
  await fetch(base + '/metrics'); // a new series is read at zero first; the next scrape has its counts
  process.stdout.write(await (await fetch(base + '/metrics')).text());
  server.close();
  await exporter.shutdown();
});
`,
    );
    const { stdout } = await exec(process.execPath, ['server.js'], { cwd: project, env, encoding: 'utf8', timeout: 60_000 });
    expect(stdout).toMatch(/http_server_request_duration_seconds_count\{[^}]*http_route="\/items\/:id"[^}]*\} 2/);
  });
});
