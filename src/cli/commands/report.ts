// `solida report`: the error-budget report (Markdown, JSON or HTML) from Prometheus.
import type { Command } from 'commander';
import { loadModel } from '../../slo/load.ts';
import { SolidaError } from '../../util/errors.ts';
import { collectReports } from '../../budget/collect.ts';
import type { CalendarPeriod } from '../../budget/window.ts';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { BudgetSource } from '../../budget/source.ts';
import { CloudWatchSource } from '../../budget/sources/cloudwatch.ts';
import { PrometheusSource } from '../../budget/sources/prometheus.ts';
import { renderJson } from '../../budget/render-json.ts';
import { renderMarkdown } from '../../budget/render-markdown.ts';
import { renderHtml } from '../../budget/render-html.ts';
import { writeFileAtomically } from '../../util/files.ts';
import { resolveConfigPath } from '../shared.ts';
import { clientConfig, ENDPOINT_URL_HELP, parseEndpointUrl } from '../../aws/endpoint.ts';

interface ReportOptions {
  source: string;
  url?: string;
  region?: string;
  endpointUrl?: string;
  config?: string;
  format: string;
  at?: string;
  out?: string;
  period: string;
  service?: string;
}

export interface ReportCliDeps {
  /** Builds the client for --source cloudwatch (tests pass a mocked one); credentials come from the standard chain. */
  cloudWatchClient: (region: string | undefined, endpointUrl?: string) => CloudWatchClient;
}

const defaultDeps: ReportCliDeps = { cloudWatchClient: (region, endpointUrl) => new CloudWatchClient(clientConfig({ region, endpointUrl })) };

const FORMATS = ['markdown', 'json', 'html'] as const;
type Format = (typeof FORMATS)[number];

export function registerReportCommands(program: Command, deps: ReportCliDeps = defaultDeps): void {
  program
    .command('report')
    .description('error-budget report per SLO: SLI, budget consumed/remaining, burn rates, time to exhaustion, policy status')
    .option('--source <source>', 'metrics source: prometheus or cloudwatch', 'prometheus')
    .option('--url <url>', 'Prometheus base URL, e.g. http://localhost:9090')
    .option('--region <region>', 'AWS region for --source cloudwatch (default: the SDK\'s, e.g. AWS_REGION)')
    .option('--endpoint-url <url>', `--source cloudwatch: ${ENDPOINT_URL_HELP}`, parseEndpointUrl)
    .option('-c, --config <file>', 'spec file')
    .option('--format <format>', 'markdown, json or html', 'markdown')
    .option('--at <time>', 'report as of this time: RFC 3339 (2026-05-01T00:00:00Z), unix seconds, or now', 'now')
    .option('--period <which>', 'calendar windows: current or previous week/month', 'current')
    .option('--service <name>', 'only the SLOs of this service')
    .option('-o, --out <file>', 'write to a file (default: stdout)')
    .action(async (opts: ReportOptions) => {
      const format = parseFormat(opts.format);
      const at = parseAt(opts.at ?? 'now');
      const period = parsePeriod(opts.period);
      const source = makeSource(opts, deps);
      const model = await loadModel(resolveConfigPath(opts.config));
      const slos = opts.service ? model.slos.filter((s) => s.service === opts.service) : model.slos;
      if (slos.length === 0) throw new SolidaError('no SLO to report', 2, [{ message: opts.service ? `no SLO of service ${opts.service}` : 'the config has no SLO', fix: 'check --service and the config' }]);
      const result = await collectReports({ ...model, slos }, source, { at, period, burnDown: format === 'html' });
      const text = format === 'json' ? renderJson(result, at) : format === 'html' ? renderHtml(result, at) : renderMarkdown(result, at);
      for (const s of result.skipped) process.stderr.write(`note: ${s.id} not reported: ${s.reason}\n`);
      if (opts.out) {
        await writeFileAtomically(opts.out, text);
        process.stdout.write(`wrote ${opts.out}\n`);
      } else process.stdout.write(text);
    });
}

function makeSource(opts: ReportOptions, deps: ReportCliDeps): BudgetSource {
  if (opts.source === 'cloudwatch') return new CloudWatchSource(deps.cloudWatchClient(opts.region, opts.endpointUrl));
  if (opts.source !== 'prometheus') throw new SolidaError(`unknown --source ${JSON.stringify(opts.source)}`, 2, [{ message: 'not a report source', fix: 'use prometheus (with --url) or cloudwatch' }]);
  if (!opts.url) throw new SolidaError('--url is required with --source prometheus', 2, [{ message: 'no Prometheus URL', fix: 'pass --url http://prometheus:9090' }]);
  return new PrometheusSource(opts.url);
}

function parseFormat(value: string): Format {
  if ((FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new SolidaError(`unknown --format ${JSON.stringify(value)}`, 2, [{ message: 'not a report format', fix: `use one of ${FORMATS.join(', ')}` }]);
}

function parsePeriod(value: string): CalendarPeriod {
  if (value === 'current' || value === 'previous') return value;
  throw new SolidaError(`unknown --period ${JSON.stringify(value)}`, 2, [{ message: 'not a calendar period', fix: 'use current or previous' }]);
}

/** RFC 3339, unix seconds (as Prometheus takes them), or now. */
export function parseAt(value: string): Date {
  if (value === 'now') return new Date();
  const t = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (!Number.isFinite(t)) throw new SolidaError(`cannot read --at ${JSON.stringify(value)}`, 2, [{ message: 'not a time', fix: 'use RFC 3339 (2026-05-01T00:00:00Z), unix seconds, or now' }]);
  return new Date(t);
}
