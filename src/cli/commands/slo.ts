// validate, generate prometheus, export openslo.
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { loadSpec } from '../../slo/load.ts';
import { explainModel, formatExplanation } from '../../slo/explain.ts';
import { generatePrometheusRules } from '../../prometheus/rules.ts';
import { checkRules } from '../../prometheus/promtool.ts';
import { modelToOpenSlo } from '../../slo/formats/openslo.ts';
import { writeFileAtomically, writeFilesAtomically } from '../../util/files.ts';
import { SolidaError } from '../../util/errors.ts';
import { parentCommand, resolveConfigPath } from '../shared.ts';

export function registerSloCommands(program: Command): void {
  program
    .command('validate')
    .description('validate a spec (solida.config.ts, solida YAML, Sloth or OpenSLO); --explain shows the burn-rate math')
    .option('-c, --config <file>', 'spec file')
    .option('--explain', 'per SLO and tier: burn rate, windows, budget spent, detection and reset times, warnings')
    .option('--json', 'print the explanation as JSON')
    .action(async (opts: { config?: string; explain?: boolean; json?: boolean }) => {
      const file = resolveConfigPath(opts.config);
      const { model, format } = await loadSpec(file);
      const explanations = explainModel(model);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ file, format, slos: explanations }, jsonNumbers, 2)}\n`);
        return;
      }
      process.stdout.write(`${file}: valid ${format} spec — ${model.services.length} service(s), ${model.slos.length} SLO(s)\n`);
      if (opts.explain) for (const e of explanations) process.stdout.write(`\n${formatExplanation(e)}\n`);
      else {
        const warnings = explanations.reduce((n, e) => n + e.warnings.length, 0);
        if (warnings) process.stdout.write(`${warnings} warning(s); run with --explain to see them\n`);
      }
    });

  parentCommand(program, 'generate', 'generate artifacts from the SLOs')
    .command('prometheus')
    .description('write Prometheus recording and multiwindow multi-burn-rate alert rules')
    .option('-c, --config <file>', 'spec file')
    .requiredOption('-o, --out <dir>', 'output directory')
    .option('--no-check', 'skip promtool check rules')
    .action(async (opts: { config?: string; out: string; check: boolean }) => {
      const model = (await loadSpec(resolveConfigPath(opts.config))).model;
      const files = generatePrometheusRules(model);
      if (files.length === 0) throw new SolidaError('nothing to generate', 2, [{ message: 'no SLO has a Prometheus SLI', fix: 'add an SLO with an events, latency, raw or golden SLI' }]);
      // promtool checks the staged copies: rejected rules never reach the output directory.
      const check = opts.check
        ? async (staged: string[], stagingDir: string) => {
            const result = await checkRules(staged);
            if (!result.ok) throw new SolidaError(`promtool rejected the generated rules (nothing was written):\n${result.output.split(stagingDir).join(opts.out)}`, 1);
          }
        : undefined;
      const written = await writeFilesAtomically(opts.out, files, { check, manifest: 'generate prometheus' });
      for (const w of written) process.stdout.write(`wrote ${w}\n`);
      for (const r of written.removed ?? []) process.stdout.write(`removed ${r} (written by the previous run, no longer generated)\n`);
      for (const k of written.keptChanged ?? []) process.stderr.write(`warning: kept ${k}: the previous run wrote it but it has been changed since\n`);
      if (opts.check) process.stdout.write(`promtool check rules: ${written.length} file(s) OK\n`);
    });

  parentCommand(program, 'export', 'write the SLOs in another spec format')
    .command('openslo')
    .description('write the SLOs as OpenSLO v1 documents')
    .option('-c, --config <file>', 'spec file')
    .option('-o, --out <file>', 'output file (default: stdout)')
    .action(async (opts: { config?: string; out?: string }) => {
      const model = (await loadSpec(resolveConfigPath(opts.config))).model;
      const { documents, notes } = modelToOpenSlo(model);
      const text = documents.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
      for (const n of notes) process.stderr.write(`note: ${n}\n`);
      if (opts.out) {
        await writeFileAtomically(opts.out, text);
        process.stdout.write(`wrote ${opts.out} (${documents.length} documents)\n`);
      } else process.stdout.write(text);
    });
}

function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
