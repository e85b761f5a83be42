// `solida init`: a commented solida.config.ts to start from. It validates as written (golden-signal SLOs read
// the metrics solida/exporter emits), and the AWS identifiers are filled in only when given.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { SolidaError } from '../../util/errors.ts';
import { writeFileAtomically } from '../../util/files.ts';
import { parseDuration } from '../../slo/duration.ts';
import { defaultTiersFor } from '../../slo/tiers.ts';

export interface InitOptions {
  service: string;
  region?: string;
  alb?: string;
  targetGroup?: string;
  ecsCluster?: string;
  ecsService?: string;
  rdsInstance?: string;
  rdsCluster?: string;
}

/**
 * The default policy of the config's 30-day SLOs, in words: read from the tier table rather than written
 * out, so the comment cannot drift from what `validate --explain` reports (it once left out a tier).
 */
export function defaultTiersComment(window = '30d'): string {
  const tiers = defaultTiersFor(parseDuration(window)!.seconds).filter((t) => !t.offBecause);
  const bySeverity = (severity: string) => tiers.filter((t) => t.severity === severity).map((t) => `${t.burnRate}x`).join('/');
  return `page at ${bySeverity('page')} burn, ticket at ${bySeverity('ticket')}`;
}

const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function awsBlock(o: InitOptions): string {
  const region = o.region ? `region: ${q(o.region)},` : "// region: 'us-east-1',";
  const alb = o.alb
    ? `alb: { loadBalancer: ${q(o.alb)}${o.targetGroup ? `, targetGroup: ${q(o.targetGroup)}` : ''} },`
    : "// alb: { loadBalancer: 'app/my-alb/50dc6c495c0c9188', targetGroup: 'targetgroup/my-tg/943f017f100becff' },";
  const ecs = o.ecsCluster && o.ecsService ? `ecs: { cluster: ${q(o.ecsCluster)}, service: ${q(o.ecsService)} },` : `// ecs: { cluster: 'my-cluster', service: ${q(o.service)} },`;
  const rds = o.rdsCluster
    ? `rds: { cluster: ${q(o.rdsCluster)}, engine: 'aurora-postgresql' },`
    : o.rdsInstance
      ? `rds: { instance: ${q(o.rdsInstance)}, engine: 'postgres' },`
      : "// rds: { instance: 'my-db', engine: 'postgres' },";
  return `      // Where the service runs in AWS: CloudWatch alarms, dashboards and FIS experiments use these.
      // Leave any of them out (or commented) until you need it.
      aws: {
        ${region}
        ${alb}
        ${ecs}
        ${rds}
        // sns: { page: 'arn:aws:sns:us-east-1:123456789012:my-page', ticket: 'arn:aws:sns:us-east-1:123456789012:my-ticket' },
      },`;
}

/** The text of solida.config.ts for one service. */
export function initConfigText(o: InitOptions): string {
  return `// SLOs for ${o.service}, as code. Check with \`npx solida validate --explain\`; generate alerts with
// \`npx solida generate prometheus -o rules\` or \`npx solida generate cloudwatch -o cloudwatch\`.
// Every field is documented in the solida README; the types below guide your editor.
import { defineConfig } from 'solida';

export default defineConfig({
  services: [
    {
      name: ${q(o.service)},
      // Golden-signal SLIs read the metrics solida/exporter emits (http_server_request_duration_seconds).
      // For other metrics, write the SLI as events: { errors, total } PromQL instead.
${awsBlock(o)}
    },
  ],
  slos: [
    {
      service: ${q(o.service)},
      name: 'availability',
      description: '99.9% of requests succeed (no 5xx)',
      objective: 99.9, // percent of good events over the window
      window: '30d', // or { calendar: 'month' }
      sli: { golden: { signal: 'availability' } },
      // Multiwindow multi-burn-rate alerts: ${defaultTiersComment()} (see --explain).
      // alerting: { runbookUrl: 'https://runbooks.example.com/${o.service}/availability', labels: { team: 'my-team' } },
    },
    {
      service: ${q(o.service)},
      name: 'latency',
      description: '99% of requests complete within 300 ms',
      objective: 99,
      window: '30d',
      sli: { golden: { signal: 'latency', threshold: '300ms' } },
    },
  ],
});
`;
}

export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('write a commented solida.config.ts for one service: availability and latency SLOs, AWS identifiers optional')
    .option('--service <name>', 'service name (lowercase letters, digits, dashes)', 'my-service')
    .option('--region <region>', 'AWS region of the service')
    .option('--alb <name>', "ALB as CloudWatch names it: the end of its ARN, 'app/<name>/<id>'")
    .option('--target-group <name>', "target group: 'targetgroup/<name>/<id>'")
    .option('--ecs-cluster <name>', 'ECS cluster (with --ecs-service)')
    .option('--ecs-service <name>', 'ECS service (with --ecs-cluster)')
    .option('--rds-instance <id>', 'RDS DB instance identifier')
    .option('--rds-cluster <id>', 'Aurora DB cluster identifier')
    .option('-o, --out <dir>', 'folder to write solida.config.ts into', '.')
    .option('--force', 'overwrite an existing solida.config.ts')
    .addHelpText(
      'after',
      `
Examples:
  $ solida init --service checkout
  $ solida init --service checkout --region eu-west-1 --alb app/checkout/50dc6c495c0c9188 --rds-instance checkout-db
  $ solida init --service checkout -o services/checkout && solida validate -c services/checkout/solida.config.ts`,
    )
    .action(async (opts: InitOptions & { out: string; force?: boolean }) => {
      if (!/^[a-z0-9][a-z0-9-]*$/.test(opts.service)) {
        throw new SolidaError(`invalid --service '${opts.service}'`, 2, [{ path: '--service', message: 'service names are lowercase letters, digits and dashes', fix: '--service checkout-api' }]);
      }
      if ((opts.ecsCluster === undefined) !== (opts.ecsService === undefined)) {
        throw new SolidaError('--ecs-cluster and --ecs-service go together', 2, [{ path: opts.ecsCluster ? '--ecs-service' : '--ecs-cluster', message: 'an ECS service is named by its cluster and its name', fix: '--ecs-cluster prod --ecs-service checkout' }]);
      }
      const file = join(opts.out, 'solida.config.ts');
      if (existsSync(file) && !opts.force) {
        throw new SolidaError(`${file} already exists`, 2, [{ file, message: 'init does not overwrite a config', fix: 'pass --force to overwrite it, or -o another folder' }]);
      }
      await writeFileAtomically(file, initConfigText(opts));
      process.stdout.write(`wrote ${file}\nnext: npx solida validate -c ${file} --explain\n`);
    });
}
