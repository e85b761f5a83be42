// The whole outputs kept as golden files under test/golden/<case>/: what solida writes for the example
// config (Prometheus rules, CloudWatch API requests, k6 scripts, GitHub workflows) and for a Sloth and an
// OpenSLO input (Prometheus rules). A change to a generator shows up in a PR as a diff of these files.
// Regenerate after an intended change: UPDATE_GOLDEN=1 npx vitest run test/golden
import { apiFiles } from '../../src/cli/commands/cloudwatch.ts';
import { renderWorkflows, workflowSettingsFromModel } from '../../src/ci/workflows.ts';
import { generateCloudWatch } from '../../src/cloudwatch/generate.ts';
import { resolveCloudWatchOptions } from '../../src/cloudwatch/options.ts';
import { generateK6Scripts } from '../../src/k6/script.ts';
import { generatePrometheusRules } from '../../src/prometheus/rules.ts';
import { loadModel } from '../../src/slo/load.ts';

export interface GoldenFile {
  path: string;
  content: string;
}

export interface GoldenCase {
  /** Folder under test/golden. */
  name: string;
  /** Repository-relative input (paths in the outputs stay stable across checkouts). */
  input: string;
  outputs(): Promise<GoldenFile[]>;
}

const under = (dir: string, files: GoldenFile[]): GoldenFile[] => files.map((f) => ({ path: `${dir}/${f.path}`, content: f.content }));

const rulesOnly = (name: string, input: string): GoldenCase => ({
  name,
  input,
  outputs: async () => under('prometheus', generatePrometheusRules(await loadModel(input))),
});

export const GOLDEN_CASES: GoldenCase[] = [
  {
    name: 'example',
    input: 'examples/solida.config.ts',
    async outputs() {
      const model = await loadModel(this.input);
      return [
        ...under('prometheus', generatePrometheusRules(model)),
        ...under('cloudwatch', apiFiles(generateCloudWatch(model, resolveCloudWatchOptions({})))),
        ...under('k6', generateK6Scripts(model)),
        ...under('workflows', renderWorkflows(workflowSettingsFromModel(model, this.input))),
      ];
    },
  },
  rulesOnly('sloth', 'test/fixtures/sloth-getting-started.yml'),
  rulesOnly('openslo', 'test/fixtures/openslo-availability.yaml'),
];
