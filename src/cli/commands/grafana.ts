// `solida generate grafana`: an overview dashboard of every SLO and one dashboard per service.
import type { Command } from 'commander';
import { loadModel } from '../../slo/load.ts';
import { generateGrafana } from '../../grafana/generate.ts';
import { writeFilesAtomically } from '../../util/files.ts';
import { parentCommand, resolveConfigPath, shownPath, withExamples } from '../shared.ts';

export function registerGrafanaCommand(program: Command): void {
  const cmd = parentCommand(program, 'generate', 'generate artifacts from the SLOs')
    .command('grafana')
    .description('write Grafana dashboards (overview + one per service) reading the rules of `generate prometheus`')
    .option('-c, --config <file>', 'spec file')
    .requiredOption('-o, --out <dir>', 'output folder')
    .action(async (opts: { config?: string; out: string }) => {
      const model = await loadModel(resolveConfigPath(opts.config));
      const files = generateGrafana(model);
      for (const w of await writeFilesAtomically(opts.out, files)) process.stdout.write(`wrote ${shownPath(w)}\n`);
      process.stdout.write(`${files.length} dashboard(s), valid against Grafana's dashboard schema\n`);
    });
  withExamples(
    cmd,
    'solida generate grafana -c solida.config.ts -o grafana/   # import the JSON files in Grafana, or provision the folder; pick your Prometheus in the datasource variable',
  );
}
