// Prometheus for the lab: scrapes every component every second and loads the burn-rate rules solida
// generates for the SLO spec it is given (the CLI and the game day give the example spec).
import { existsSync } from 'node:fs';
import { stringify } from 'yaml';
import { generatePrometheusRules, type RuleFile } from '../prometheus/rules.ts';
import { loadModel } from '../slo/load.ts';
import type { LabDescription } from './description.ts';

export const SCRAPE_INTERVAL = '1s';

export function prometheusConfig(lab: LabDescription, rulesGlob: string): string {
  const inventory = lab.components.filter((c) => c.kind === 'inventory');
  const balancers = lab.components.filter((c) => c.kind === 'haproxy');
  const self = lab.components.find((c) => c.kind === 'prometheus');
  const config = {
    global: {
      scrape_interval: SCRAPE_INTERVAL,
      scrape_timeout: SCRAPE_INTERVAL,
      evaluation_interval: SCRAPE_INTERVAL,
      external_labels: { lab: 'solida' },
    },
    rule_files: [rulesGlob],
    scrape_configs: [
      {
        job_name: 'inventory',
        static_configs: inventory.map((c) => ({
          targets: [`127.0.0.1:${c.port}`],
          labels: { region: c.region, az: c.az ?? '', component: c.name },
        })),
      },
      {
        job_name: 'haproxy',
        static_configs: balancers.map((c) => ({
          targets: [`127.0.0.1:${c.extraPorts.stats}`],
          labels: { region: c.region, component: c.name },
        })),
      },
      ...(self ? [{ job_name: 'prometheus', static_configs: [{ targets: [`127.0.0.1:${self.port}`], labels: { region: self.region } }] }] : []),
    ],
  };
  return stringify(config);
}

/** Rule files for the lab's SLO spec, or the reason there are none (a missing spec does not stop the lab). */
export async function demoRules(configFile: string | undefined): Promise<{ files: RuleFile[]; skipped?: string }> {
  if (configFile === undefined) return { files: [], skipped: 'no SLO spec given (sloConfig)' };
  if (!existsSync(configFile)) return { files: [], skipped: `${configFile} does not exist` };
  // The lab compresses time: rules are evaluated every scrape (not the spec's 30 s or so), so a game day
  // measures its time to detect in seconds, as a page alert would fire at the first evaluation in production.
  const model = await loadModel(configFile);
  const files = generatePrometheusRules({ ...model, evaluationInterval: { text: SCRAPE_INTERVAL, seconds: 1 } });
  return files.length > 0 ? { files } : { files, skipped: `${configFile} has no SLO with a Prometheus SLI` };
}
