// Prometheus for the lab: scrapes every component every second and loads the burn-rate rules solida
// generates for the SLO spec it is given (the CLI and the game day give the example spec).
import { existsSync } from 'node:fs';
import { stringify } from 'yaml';
import { generatePrometheusRules, type RuleFile } from '../prometheus/rules.ts';
import { loadModel } from '../slo/load.ts';
import { normalizeConfig } from '../slo/normalize.ts';
import type { SolidaConfig } from '../slo/config.ts';
import { sloLatencyThresholds } from '../exporter/buckets.ts';
import type { LabDescription } from './description.ts';

export const SCRAPE_INTERVAL = '1s';
export const SCRAPE_INTERVAL_SECONDS = 1;

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
export async function demoRules(configFile: string | undefined): Promise<{ files: RuleFile[]; skipped?: string; sloBuckets?: number[] }> {
  if (configFile === undefined) return { files: [], skipped: 'no SLO spec given (sloConfig)' };
  if (!existsSync(configFile)) return { files: [], skipped: `${configFile} does not exist` };
  // The lab compresses time: rules are evaluated every scrape (not the spec's 30 s or so), so a game day
  // measures its time to detect in seconds, as a page alert would fire at the first evaluation in production.
  const model = await loadModel(configFile);
  const files = generatePrometheusRules({ ...model, evaluationInterval: { text: SCRAPE_INTERVAL, seconds: 1 } });
  // The inventory instances get these as histogram buckets, so "faster than 300 ms" is an exact bucket.
  const sloBuckets = sloLatencyThresholds('inventory', model.slos);
  return files.length > 0 ? { files, sloBuckets } : { files, sloBuckets, skipped: `${configFile} has no SLO with a Prometheus SLI` };
}

/**
 * Availability measured at the front door too: the outermost HAProxy (the global front with two regions,
 * else the region's balancer) through its built-in Prometheus exporter, as the CloudWatch path measures
 * at the ALB. Requests that die in front of the instances (a dead or frozen instance, no server left)
 * are invisible to the instances' own SLI; here they are 5xx answers of the front.
 */
export function frontDoorRules(lab: LabDescription): RuleFile[] {
  const front = lab.components.find((c) => c.role === 'global-front') ?? lab.components.find((c) => c.kind === 'haproxy' && c.region === lab.regions[0]);
  if (!front) return [];
  const selector = `job="haproxy",proxy="${front.name}"`;
  const config: SolidaConfig = {
    scrapeInterval: SCRAPE_INTERVAL,
    evaluationInterval: SCRAPE_INTERVAL,
    services: [{ name: 'front-door', description: `the lab's outermost load balancer (${front.name})` }],
    slos: [
      {
        service: 'front-door',
        name: 'availability',
        description: '99.9% of requests through the front door answer without a 5xx',
        objective: 99.9,
        window: '30d',
        sli: { events: { errors: `haproxy_frontend_http_responses_total{${selector},code="5xx"}`, total: `haproxy_frontend_http_requests_total{${selector}}` } },
      },
    ],
  };
  const { model, problems } = normalizeConfig(config, 'lab front door');
  if (problems.length) throw new Error(`front-door SLO: ${problems.map((p) => p.message).join('; ')}`);
  return generatePrometheusRules(model).map((f) => ({ ...f, path: `front-door-${f.path}` }));
}
