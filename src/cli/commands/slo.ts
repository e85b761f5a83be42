// validate, generate prometheus, export openslo. Implementation modules are imported when a command runs,
// so registering (and `solida --help`) stays cheap.
import type { Command } from 'commander';
import { SolidaError } from '../../util/errors.ts';
import { deprecated, emitJson, parentCommand, resolveConfigPath, shownPath, specKind, withExamples, configOptionHelp } from '../shared.ts';

const loadSpec = async (file: string) => (await import('../../slo/load.ts')).loadSpec(file);

/**
 * Figures to 12 significant digits: 1 − 99.9/100 is 0.0009999999999998899 in binary floating point, and a
 * person or a JSON consumer reading the explanation should see 0.001 (float64 carries ~16 digits of noise).
 */
function roundFloats<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (_k, v: unknown) => (typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v)) as T;
}

export function registerSloCommands(program: Command): void {
  const validate = program
    .command('validate')
    .description('validate a spec (solida.config.ts, solida YAML, Sloth or OpenSLO); --explain shows the burn-rate math')
    .option('-c, --config <file>', configOptionHelp())
    .option('--explain', 'per SLO and tier: burn rate, windows, budget spent, detection and reset times, warnings')
    .option('--json [file]', 'the explanation as JSON: written to FILE, or printed instead of the text')
    .action(async (opts: { config?: string; explain?: boolean; json?: string | boolean }) => {
      const file = resolveConfigPath(opts.config);
      const { model, format } = await loadSpec(file);
      const { explainModel, formatExplanation } = await import('../../slo/explain.ts');
      const explanations = explainModel(model);
      if (await emitJson(opts.json, { file, format, slos: roundFloats(explanations) })) return;
      process.stdout.write(`${file}: valid ${specKind(file, format)} — ${model.services.length} service(s), ${model.slos.length} SLO(s)\n`);
      if (opts.explain) for (const e of explanations) process.stdout.write(`\n${formatExplanation(e)}\n`);
      else {
        const warnings = explanations.reduce((n, e) => n + e.warnings.length, 0);
        if (warnings) process.stdout.write(`${warnings} warning(s); run with --explain to see them\n`);
      }
    });
  withExamples(
    validate,
    'solida validate                                   # ./solida.config.ts',
    'solida validate -c slos/sloth.yml --explain        # Sloth, OpenSLO and solida YAML too',
    'solida validate --json out/explain.json',
  );

  const generate = parentCommand(program, 'generate', 'generate artifacts from the SLOs');
  withExamples(generate, 'solida generate prometheus -o out/rules', 'solida generate cloudwatch -o out/cloudwatch --format terraform', 'solida generate k6 -o loadtests');
  const prometheus = generate
    .command('prometheus')
    .description('write Prometheus recording and multiwindow multi-burn-rate alert rules')
    .option('-c, --config <file>', configOptionHelp())
    .requiredOption('-o, --out <dir>', 'folder to write the rule files into')
    .option('--format <format>', 'prometheus (rule files) or prometheus-operator (PrometheusRule objects)', 'prometheus')
    .option('--no-check', 'skip promtool check rules')
    .action(async (opts: { config?: string; out: string; check: boolean; format: string }) => {
      const operator = opts.format === 'prometheus-operator';
      if (!operator && opts.format !== 'prometheus') throw new SolidaError(`unknown --format ${opts.format}`, 2, [{ message: `--format ${opts.format} is not an output format`, fix: 'use --format prometheus or --format prometheus-operator' }]);
      const model = (await loadSpec(resolveConfigPath(opts.config))).model;
      const { generatePrometheusRules } = await import('../../prometheus/rules.ts');
      const { generatePrometheusOperatorRules } = await import('../../prometheus/prometheus-operator.ts');
      const { checkPrometheusRuleObjects, checkRules } = await import('../../prometheus/promtool.ts');
      const { writeFilesAtomically } = await import('../../util/files.ts');
      const files = operator ? generatePrometheusOperatorRules(model) : generatePrometheusRules(model);
      if (files.length === 0) throw new SolidaError('nothing to generate', 2, [{ message: 'no SLO has a Prometheus SLI', fix: 'add an SLO with an events, latency, raw or golden SLI' }]);
      // promtool checks the staged copies: rejected rules never reach the output directory.
      const check = opts.check
        ? async (staged: string[], stagingDir: string) => {
            const result = operator ? await checkPrometheusRuleObjects(staged) : await checkRules(staged);
            if (!result.ok) throw new SolidaError(`promtool rejected the generated rules (nothing was written):\n${result.output.split(stagingDir).join(opts.out)}`, 1);
          }
        : undefined;
      const written = await writeFilesAtomically(opts.out, files, { check, manifest: 'generate prometheus' });
      for (const w of written) process.stdout.write(`wrote ${shownPath(w)}\n`);
      for (const r of written.removed ?? []) process.stdout.write(`removed ${shownPath(r)} (written by the previous run, no longer generated)\n`);
      for (const k of written.keptChanged ?? []) process.stderr.write(`warning: kept ${shownPath(k)}: the previous run wrote it but it has been changed since\n`);
      if (opts.check) process.stdout.write(`promtool check rules: ${written.length} file(s) OK\n`);
    });
  withExamples(prometheus, 'solida generate prometheus -o out/rules', 'solida generate prometheus -c slos/sloth.yml -o /etc/prometheus/rules.d --no-check');

  const exportCmd = parentCommand(program, 'export', 'write the SLOs in another spec format');
  withExamples(exportCmd, 'solida export openslo > slos.openslo.yaml');
  const openslo = exportCmd
    .command('openslo')
    .description('write the SLOs as OpenSLO v1 documents (stdout, or openslo.yaml in the --out folder)')
    .option('-c, --config <file>', configOptionHelp())
    .option('-o, --out <dir>', 'folder to write openslo.yaml into (default: stdout)')
    .action(async (opts: { config?: string; out?: string }) => {
      const model = (await loadSpec(resolveConfigPath(opts.config))).model;
      const { modelToOpenSlo } = await import('../../slo/formats/openslo.ts');
      const { stringify } = await import('yaml');
      const { documents, notes } = modelToOpenSlo(model);
      const text = documents.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
      for (const n of notes) process.stderr.write(`note: ${n}\n`);
      if (!opts.out) {
        process.stdout.write(text);
        return;
      }
      const { join } = await import('node:path');
      const { writeFileAtomically } = await import('../../util/files.ts');
      // -o is a folder on every command; a file name here is the old spelling.
      const file = /\.ya?ml$/i.test(opts.out) ? (deprecated('export openslo -o FILE', '-o FOLDER (writes FOLDER/openslo.yaml) or stdout'), opts.out) : join(opts.out, 'openslo.yaml');
      await writeFileAtomically(file, text);
      process.stdout.write(`wrote ${shownPath(file)} (${documents.length} documents)\n`);
    });
  withExamples(openslo, 'solida export openslo > slos.openslo.yaml', 'solida export openslo -c solida.config.ts -o out');
}
