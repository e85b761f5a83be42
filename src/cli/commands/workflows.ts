// `solida generate workflows`: GitHub Actions workflows for the load gate, the error-budget report and the game day.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { loadModel } from '../../slo/load.ts';
import { SolidaError } from '../../util/errors.ts';
import { writeFilesAtomically } from '../../util/files.ts';
import { renderWorkflows, workflowSettingsFromModel } from '../../ci/workflows.ts';
import { parentCommand, resolveConfigPath, shownPath, withExamples, configOptionHelp } from '../shared.ts';

export function registerWorkflowCommands(program: Command): void {
  const workflows = parentCommand(program, 'generate', 'generate artifacts from the SLOs')
    .command('workflows')
    .description('GitHub Actions workflows: pull-request load gate (k6 + gate), weekly error-budget report, monthly DR game day (AWS OIDC)')
    .option('-c, --config <file>', configOptionHelp('spec file inside the repository, run from its root'))
    .option('-o, --out <dir>', 'folder to write the workflows into', '.github/workflows')
    .action(async (opts: { config?: string; out: string }) => {
      opts.config = resolveConfigPath(opts.config);
      const configPath = repoRelative(opts.config);
      const model = await loadModel(opts.config);
      const settings = workflowSettingsFromModel(model, configPath);
      if (settings.services.length === 0) {
        throw new SolidaError('no SLO to gate', 2, [{ file: opts.config, path: 'slos', message: 'the load gate runs one k6 script per service with SLOs, and there is none', fix: 'add an SLO' }]);
      }
      const written = await writeFilesAtomically(opts.out, renderWorkflows(settings), { manifest: 'generate workflows' });
      process.stdout.write(written.map((p) => `wrote ${shownPath(p)}\n`).join(''));
    });
  withExamples(workflows, 'solida generate workflows                 # into .github/workflows', 'solida generate workflows -c slos/solida.config.ts -o .github/workflows');
}

/** The workflows run from the checkout root, so the config path must be relative to it (taken as the cwd). */
function repoRelative(config: string): string {
  const rel = relative(process.cwd(), resolve(config));
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new SolidaError(`config ${config} is outside the current directory`, 2, [{ file: config, message: 'the workflows pass the config path relative to the repository root', fix: 'run solida from the repository root with a config inside it' }]);
  }
  return rel.split(sep).join('/');
}
