// `solida gate` (CI load-test gate) and `solida generate k6` (k6 scripts from the SLOs).
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { loadModel } from '../../slo/load.ts';
import { SolidaError } from '../../util/errors.ts';
import { runGate, type GateOptions } from '../../gate/run.ts';
import { generateK6Scripts } from '../../k6/script.ts';
import { writeFileAtomically } from '../../util/files.ts';
import { defaultConfigPath, deprecated, parentCommand, resolveConfigPath, shownPath, withExamples, withJsonOnStdout, configOptionHelp } from '../shared.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

function positiveNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new SolidaError(`${flag} must be a positive number, got ${JSON.stringify(value)}`, 2);
    return n;
  };
}

export function registerGateCommands(program: Command): void {
  const gate = program
    .command('gate')
    .description('Fail a build when a load test crosses a threshold: k6 results (or a built-in open-model run) against SLO-derived and script thresholds. Exit 0 pass, 1 fail, 2 bad input')
    .option('--k6-summary <file>', 'k6 --summary-export JSON, or the data object handleSummary received')
    .option('--k6-points <file>', 'k6 --out json NDJSON (plain or gzipped): exact percentiles and sub-metrics from the samples')
    .option('-c, --config <file>', 'SLO config: adds thresholds derived from the SLOs (default: ./solida.config.ts when present)')
    .option('--service <name>', 'only the SLOs of this service')
    .option('--threshold <spec>', 'extra threshold, e.g. "http_req_duration{name:/items}: p(99)<300" (repeatable)', collect, [])
    .option('--json [file]', '{ verdict, thresholds: [{ metric, threshold, value, ok }] } to FILE, or on stdout (the text goes to stderr)')
    .option('--junit <file>', 'write JUnit XML, one testcase per threshold')
    .option('--markdown <file>', 'write Markdown (e.g. $GITHUB_STEP_SUMMARY)')
    .option('--url <url>', 'run the load against this base URL (open model: k6 when on PATH, else built in)')
    // --target means "where it runs" (lab, aws…) on every other command; here it was the URL.
    .addOption(new Option('--target <url>', 'old name of --url').hideHelp())
    .option('--rate <n>', 'requests per second with --url (default: the SLOs\' expected traffic, else 10)', positiveNumber('--rate'))
    .option('--duration <d>', 'test length with --url (default 30s)')
    .option('--path <path>', 'path to request with --url (repeatable; default: the SLO routes, else /)', collect, [])
    .option('--max-in-flight <n>', 'in-flight bound with --url; beyond it requests are dropped and counted (default 256)', positiveNumber('--max-in-flight'))
    .option('--timeout <d>', 'per-request timeout with --url (default 10s)')
    .option('--load <who>', 'load generator for --url: auto (k6 when on PATH, else built-in), k6, builtin', 'auto')
    .action(async (opts: Omit<GateOptions, 'json'> & { url?: string; json?: string | boolean }) => {
      if (opts.target !== undefined) deprecated('gate --target URL', '--url URL');
      const target = opts.url ?? opts.target;
      // The help promises ./solida.config.ts as the default: without it the SLO thresholds would silently
      // drop out of the verdict.
      const config = opts.config ?? defaultConfigPath();
      if (config && !opts.config) process.stderr.write(`SLO thresholds from ./${config} (the default config; -c FILE for another)\n`);
      const code = await withJsonOnStdout(opts.json, (json) => runGate({ ...opts, config, target, json }));
      if (code !== 0) process.exitCode = code;
    });
  withExamples(
    gate,
    'solida gate --k6-summary summary.json --junit out/gate.xml         # k6 run --summary-export summary.json …',
    'solida gate --k6-points points.jsonl.gz -c solida.config.ts --markdown "$GITHUB_STEP_SUMMARY"',
    'solida gate --url http://127.0.0.1:8080 --rate 50 --duration 1m -c solida.config.ts --json',
  );

  const k6 = parentCommand(program, 'generate', 'generate artifacts from the SLOs')
    .command('k6')
    .description('k6 scripts: one per service (constant arrival rate, SLO thresholds) and the DR game-day loads')
    .option('-c, --config <file>', configOptionHelp())
    .requiredOption('-o, --out <dir>', 'folder to write the scripts into')
    .option('--service <name>', 'only this service (and its thresholds in the game-day scripts)')
    .action(async (opts: { config?: string; out: string; service?: string }) => {
      opts.config = resolveConfigPath(opts.config);
      const model = await loadModel(opts.config);
      const files = generateK6Scripts(model, { service: opts.service });
      if (opts.service && !files.some((f) => f.path === `${opts.service}.k6.js`)) {
        const services = [...new Set(model.slos.map((s) => s.service))];
        throw new SolidaError(`no SLOs for service ${opts.service}`, 2, [
          { file: opts.config, path: '--service', message: 'no SLO names this service', fix: `pass --service with one of: ${services.join(', ') || '(no SLOs in the spec)'}` },
        ]);
      }
      // Every script is rendered before the first is written.
      for (const f of files) await writeFileAtomically(join(opts.out, f.path), f.content);
      process.stdout.write(files.map((f) => `wrote ${shownPath(join(opts.out, f.path))}\n`).join(''));
    });
  withExamples(k6, 'solida generate k6 -o loadtests', 'solida generate k6 -c solida.config.ts -o loadtests --service inventory');
}
