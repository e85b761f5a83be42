// The CLI's conventions, checked over every command so a new one cannot drift: examples in every --help,
// -o/--out always a folder, --json [FILE] everywhere, --target only "where it runs", --version, colours
// only when allowed; plus `init`. (apply's confirmation and the one-line AWS credential/region errors are
// tested in test/aws/: cloudwatch-moto, application-signals, credentials.)
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Command, type Option } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.ts';
import { processIo } from '../../src/cli/io.ts';
import { colourize } from '../../src/cli/colour.ts';
import { runSolida } from '../support/cli.ts';

const ROOT = join(import.meta.dirname, '../..');
const EXAMPLE = join(ROOT, 'examples/solida.config.ts');
const dir = mkdtempSync(join(tmpdir(), 'solida-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every command as the user reaches it: all modules registered on one program. */
async function fullProgram(): Promise<Command> {
  const program = new Command('solida');
  const seen = new Set<unknown>();
  for (const entry of COMMANDS) {
    for (const load of entry.modules) {
      const register = await load();
      if (seen.has(register)) continue;
      seen.add(register);
      register(program);
    }
  }
  return program;
}

function commandPaths(cmd: Command, prefix: string[] = []): Array<{ path: string[]; cmd: Command }> {
  return cmd.commands.flatMap((c) => [{ path: [...prefix, c.name()], cmd: c }, ...commandPaths(c, [...prefix, c.name()])]);
}

describe('the command table (src/cli/commands/index.ts)', () => {
  it('lists exactly the top-level commands the modules register, with their arguments', async () => {
    const program = await fullProgram();
    const registered = program.commands.map((c) => `${c.name()}${c.registeredArguments.map((a) => ` <${a.name()}>`).join('')}`).sort();
    expect(COMMANDS.map((c) => `${c.name}${c.args ? ` ${c.args}` : ''}`).sort()).toEqual(registered);
  });

  it("a parent command's summary names each of its subcommands (generate: … Grafana …)", async () => {
    const program = await fullProgram();
    for (const c of COMMANDS.filter((e) => ['generate', 'export'].includes(e.name))) {
      const subs = program.commands.find((p) => p.name() === c.name)!.commands.map((s) => s.name());
      for (const sub of subs) expect(c.summary.toLowerCase(), `${c.name} ${sub}`).toContain(sub.replace(/-/g, ' '));
    }
  });

  it('solida --help lists every command with its summary; --version prints the package version', async () => {
    const help = await runSolida(['--help']);
    expect(help.code).toBe(0);
    for (const c of COMMANDS) expect(help.stdout).toMatch(new RegExp(`^  ${c.name}\\b.*\\n?.*`, 'm'));
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    for (const flag of ['--version', '-V']) expect((await runSolida([flag])).stdout.trim()).toBe(version);
  });
});

describe('every command', async () => {
  const all = commandPaths(await fullProgram());

  it.each(all.map((c) => [c.path.join(' '), c.path] as const))('%s --help ends with examples', async (_name, path) => {
    const r = await runSolida([...path, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\nExamples:\n {2}\$ solida /);
  });

  const options = all.flatMap(({ path, cmd }) => cmd.options.map((o: Option) => ({ where: path.join(' '), o })));

  it('-o/--out is a folder on every command', () => {
    const outs = options.filter(({ o }) => o.long === '--out');
    expect(outs.length).toBeGreaterThan(5);
    for (const { where, o } of outs) {
      expect(o.flags, where).toBe('-o, --out <dir>');
      expect(o.description, where).toMatch(/folder/);
    }
  });

  it('--json takes an optional FILE everywhere (stdout without it)', () => {
    const json = options.filter(({ o }) => o.long === '--json');
    expect(json.length).toBeGreaterThan(4);
    for (const { where, o } of json) expect(o.flags, where).toBe('--json [file]');
  });

  it('--target says where a command runs, nothing else (the old gate --target URL is hidden)', () => {
    const targets = options.filter(({ o }) => o.long === '--target' && !o.hidden);
    expect(targets.map((t) => t.where).sort()).toEqual(['gameday', 'runbook run']);
  });

  it('-c/--config is optional everywhere: ./solida.config.ts is found', () => {
    for (const { where, o } of options.filter(({ o }) => o.long === '--config')) expect(o.mandatory, where).toBe(false);
  });
});

describe('old spellings keep working, with a note', () => {
  it('gate --target URL is --url; report --format F is --F', async () => {
    const r = await runSolida(['gate', '--target', 'http://127.0.0.1:1', '--k6-summary', join(ROOT, 'test/fixtures/k6/pass-summary-export.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^warning: gate --target URL is deprecated and will be removed; use --url URL$/m);
    expect(r.stderr).toMatch(/--url runs a new test: it cannot be combined with --k6-summary/);
    const report = await runSolida(['report', '--url', 'http://127.0.0.1:1', '-c', EXAMPLE, '--format', 'nope']);
    expect(report.code).toBe(2);
    expect(report.stderr).toMatch(/unknown --format "nope"/);
  });

  it('export openslo: -o FOLDER writes FOLDER/openslo.yaml; -o FILE.yaml still writes the file with a warning', async () => {
    const folder = join(dir, 'openslo');
    const a = await runSolida(['export', 'openslo', '-c', EXAMPLE, '-o', folder]);
    expect(a.code, a.stderr).toBe(0);
    expect(readFileSync(join(folder, 'openslo.yaml'), 'utf8')).toContain('apiVersion: openslo/v1');
    const file = join(dir, 'old.yaml');
    const b = await runSolida(['export', 'openslo', '-c', EXAMPLE, '-o', file]);
    expect(b.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('apiVersion: openslo/v1');
    expect(b.stderr).toMatch(/^warning: export openslo -o FILE is deprecated/m);
  });

  it('validate --json prints JSON on stdout; --json FILE writes it and keeps the text', async () => {
    const bare = await runSolida(['validate', '-c', EXAMPLE, '--json']);
    expect(JSON.parse(bare.stdout).slos.length).toBe(3);
    // Figures as a person writes them, not binary floating-point noise (1 − 99.9/100 = 0.0009999999999998899).
    const first = JSON.parse(bare.stdout).slos[0];
    expect(first.objective).toBe(99.9);
    expect(first.errorBudget).toBe(0.001);
    expect(first.budgetMinutes).toBe(43.2);
    expect(first.tiers[0].threshold).toBe(0.0144);
    const file = join(dir, 'explain.json');
    const withFile = await runSolida(['validate', '-c', EXAMPLE, '--json', file]);
    expect(withFile.stdout).toContain('valid typescript spec');
    expect(JSON.parse(readFileSync(file, 'utf8')).slos.length).toBe(3);
  });
});

describe('colours', () => {
  it('mark PASS/FAIL and warnings only when the io allows colour', async () => {
    const fixture = join(ROOT, 'test/fixtures/k6/fail-summary-export.json');
    const plain = await runSolida(['gate', '--k6-summary', fixture]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain('FAIL');
    expect(plain.stdout + plain.stderr).not.toContain('\u001b[');
    const coloured = await runSolida(['gate', '--k6-summary', fixture], { colour: true });
    expect(coloured.stdout).toContain('\u001b[31mFAIL\u001b[39m');
    expect(coloured.stdout).toContain('\u001b[32mPASS\u001b[39m');
    expect(colourize('warning: x\nnote: y\n')).toBe('\u001b[33mwarning:\u001b[39m x\n\u001b[33mnote:\u001b[39m y\n');
  });

  it('are on for a terminal and off with NO_COLOR or without a terminal', () => {
    const tty = process.stdout.isTTY;
    const saved = process.env.NO_COLOR;
    try {
      Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true });
      delete process.env.NO_COLOR;
      expect(processIo().colour).toBe(true);
      process.env.NO_COLOR = '1';
      expect(processIo().colour).toBe(false);
      Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true });
      delete process.env.NO_COLOR;
      expect(processIo().colour).toBe(false);
    } finally {
      Object.defineProperty(process.stdout, 'isTTY', { value: tty, configurable: true });
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    }
  });
});

describe('solida init', () => {
  it('writes a commented solida.config.ts that validates as written, with and without AWS identifiers', async () => {
    for (const [name, extra] of [
      ['bare', []],
      [
        'aws',
        [
          '--region',
          'eu-west-1',
          '--alb',
          'app/checkout/50dc6c495c0c9188',
          '--target-group',
          'targetgroup/checkout/943f017f100becff',
          '--ecs-cluster',
          'prod',
          '--ecs-service',
          'checkout',
          '--rds-cluster',
          'checkout-db',
        ],
      ],
    ] as const) {
      const cwd = mkdtempSync(join(dir, `init-${name}-`));
      // As in a project with solida installed; here 'solida' is the sources under test (tsconfig paths).
      writeFileSync(join(cwd, 'tsconfig.json'), JSON.stringify({ compilerOptions: { paths: { solida: [join(ROOT, 'src/index.ts')] } } }));
      const init = await runSolida(['init', '--service', 'checkout', ...extra], { cwd });
      expect(init.code, init.stderr).toBe(0);
      const text = readFileSync(join(cwd, 'solida.config.ts'), 'utf8');
      expect(text).toContain("import { defineConfig } from 'solida';");
      expect(text.match(/^\s*\/\/ /gm)!.length).toBeGreaterThan(5);
      const validate = await runSolida(['validate'], { cwd });
      expect(validate.code, validate.stderr).toBe(0);
      expect(validate.stdout).toContain('solida.config.ts: valid typescript spec — 1 service(s), 2 SLO(s)');
      if (name === 'aws') {
        // The identifiers given are live code, and CloudWatch generation uses them.
        const cw = await runSolida(['generate', 'cloudwatch', '-o', 'cw'], { cwd });
        expect(cw.code, cw.stderr).toBe(0);
        expect(readdirSync(join(cwd, 'cw', 'alarms')).some((f) => f.includes('rds'))).toBe(true);
      }
    }
  });

  it("its alerting comment names every tier of the default policy that validate --explain reports", async () => {
    const cwd = mkdtempSync(join(dir, 'init-tiers-'));
    writeFileSync(join(cwd, 'tsconfig.json'), JSON.stringify({ compilerOptions: { paths: { solida: [join(ROOT, 'src/index.ts')] } } }));
    expect((await runSolida(['init'], { cwd })).code).toBe(0);
    const explain = await runSolida(['validate', '--explain'], { cwd });
    expect(explain.code, explain.stderr).toBe(0);
    // Tier lines of the first SLO: "  page-1h    page     14.4x over 1h/5m · …".
    const first = explain.stdout.split('\n\n')[1];
    const reported: Record<string, string[]> = {};
    for (const [, severity, rate] of first.matchAll(/^ {2}\S+\s+(\w+)\s+([\d.]+x) over /gm)) (reported[severity] ??= []).push(rate);
    expect(Object.values(reported).flat()).toHaveLength(4);
    const comment = readFileSync(join(cwd, 'solida.config.ts'), 'utf8').match(/^\s*\/\/ Multiwindow multi-burn-rate alerts: (.*)$/m)![1];
    const named = Object.fromEntries([...comment.matchAll(/(\w+) at ([\d.x/]+)/g)].map(([, severity, rates]) => [severity, rates.split('/')]));
    expect(named).toEqual(reported);
  });

  it('never overwrites a config without --force, and rejects a bad service name (exit 2)', async () => {
    const cwd = mkdtempSync(join(dir, 'init-again-'));
    writeFileSync(join(cwd, 'solida.config.ts'), '// mine\n');
    const again = await runSolida(['init'], { cwd });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists[\s\S]*--force/);
    expect(readFileSync(join(cwd, 'solida.config.ts'), 'utf8')).toBe('// mine\n');
    expect((await runSolida(['init', '--force'], { cwd })).code).toBe(0);
    expect((await runSolida(['init', '--service', 'Bad Name', '--force'], { cwd })).code).toBe(2);
  });
});

describe('paths after "wrote"', () => {
  it('every generator prints them relative to the working directory when inside it, else absolute', async () => {
    const cwd = mkdtempSync(join(dir, 'wrote-'));
    writeFileSync(join(cwd, 'tsconfig.json'), JSON.stringify({ compilerOptions: { paths: { solida: [join(ROOT, 'src/index.ts')] } } }));
    const aws = ['--region', 'eu-west-1', '--alb', 'app/checkout/50dc6c495c0c9188', '--target-group', 'targetgroup/checkout/943f017f100becff', '--rds-cluster', 'checkout-db'];
    expect((await runSolida(['init', '--service', 'checkout', ...aws], { cwd })).code).toBe(0);
    const fis = ['--account', '123456789012', '--az', 'eu-west-1a', '--subnet-tag', 'tier=app', '--secondary-region', 'eu-central-1', '--stop-alarm', 'checkout-page'];
    const outside = mkdtempSync(join(dir, 'wrote-outside-'));
    const wrote = async (argv: string[]) => {
      const r = await runSolida(argv, { cwd });
      expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
      const paths = [...r.stdout.matchAll(/^wrote (\S+)/gm)].map((m) => m[1]);
      expect(paths.length, argv.join(' ')).toBeGreaterThan(0);
      return paths;
    };
    for (const [command, extra] of [
      [['generate', 'prometheus'], ['--no-check']],
      [['generate', 'fis'], fis],
      [['generate', 'grafana'], []],
      [['generate', 'k6'], []],
      [['generate', 'workflows'], []],
      [['export', 'openslo'], []],
    ] as const) {
      const name = command.join('-');
      // A relative -o and an absolute one inside the working directory both print relative paths...
      for (const out of [join('out', name), join(cwd, 'out-abs', name)]) {
        for (const p of await wrote([...command, ...extra, '-o', out])) {
          expect(p, `${name} -o ${out}`).toMatch(new RegExp(`^out(-abs)?/${name}/`));
          expect(readFileSync(join(cwd, p), 'utf8').length).toBeGreaterThan(0);
        }
      }
      // ...and a folder outside it, absolute ones.
      for (const p of await wrote([...command, ...extra, '-o', join(outside, name)])) expect(p.startsWith(`${join(outside, name)}/`), `${name}: ${p}`).toBe(true);
    }
  }, 60_000);
});

describe('how tests run the CLI', () => {
  it('only test/package runs bin/solida.js (dist/ may be stale); every other test runs the sources', () => {
    const files = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name)) : /\.(ts|mjs|js)$/.test(e.name) ? [join(d, e.name)] : []));
    const offenders = files(join(ROOT, 'test'))
      .filter((f) => !relative(ROOT, f).startsWith('test/package/') && f !== import.meta.filename)
      .filter((f) => /bin\/solida|['"]bin['"],\s*['"]solida|dist\/cli\/main/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('solida validate and --help load no AWS SDK, OpenTelemetry or lab code (static imports from main)', () => {
    const seen = new Set<string>();
    const bad: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      // Static value imports only: `import type` is erased and `await import()` runs on demand.
      for (const m of text.matchAll(/^import\s+(?!type\s)[^'"]*?from\s+'([^']+)'|^import\s+'([^']+)'/gm)) {
        const spec = m[1] ?? m[2];
        if (/^@aws-sdk\/|^@opentelemetry\/|^esbuild$|^tsx/.test(spec) || /\/lab\//.test(spec)) bad.push(`${relative(ROOT, file)} → ${spec}`);
        if (spec.startsWith('.')) visit(join(file, '..', spec));
      }
    };
    for (const entry of ['src/cli/main.ts', 'src/cli/commands/slo.ts']) visit(join(ROOT, entry));
    expect(seen.size).toBeGreaterThan(5);
    expect(bad).toEqual([]);
  });
});
