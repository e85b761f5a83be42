// `solida report`: the error-budget report (Markdown, JSON or HTML) from Prometheus or CloudWatch.
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadModel } from '../../slo/load.ts';
import { SolidaError } from '../../util/errors.ts';
import { collectReports } from '../../budget/collect.ts';
import type { CalendarPeriod } from '../../budget/window.ts';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { boundedCloudWatchClient } from '../../budget/sources/cloudwatch-limits.ts';
import { DEFAULT_HTTP_LIMITS, redactUrl, type HttpLimits } from '../../util/http.ts';
import { parseDuration } from '../../slo/duration.ts';
import type { BudgetSource } from '../../budget/source.ts';
import { CloudWatchSource } from '../../budget/sources/cloudwatch.ts';
import { PrometheusSource } from '../../budget/sources/prometheus.ts';
import { renderJson } from '../../budget/render-json.ts';
import { renderMarkdown } from '../../budget/render-markdown.ts';
import { renderHtml } from '../../budget/render-html.ts';
import { writeFileAtomically } from '../../util/files.ts';
import { deprecated, resolveConfigPath, withExamples, configOptionHelp } from '../shared.ts';
import { assertAwsReady } from '../../aws/preflight.ts';
import { declaredRegion } from './cloudwatch.ts';
import type { SolidaModel } from '../../slo/model.ts';
import { clientConfig, ENDPOINT_URL_HELP, parseEndpointUrl } from '../../aws/endpoint.ts';

interface ReportOptions {
  source: string;
  url?: string;
  region?: string;
  endpointUrl?: string;
  config?: string;
  format?: string;
  markdown?: string | boolean;
  json?: string | boolean;
  html?: string | boolean;
  at?: string;
  out?: string;
  period: string;
  service?: string;
  timeout: string;
}

export interface ReportCliDeps {
  /** Builds the client for --source cloudwatch (tests pass a mocked one); credentials come from the standard chain. */
  cloudWatchClient: (region: string | undefined, endpointUrl?: string, limits?: HttpLimits) => CloudWatchClient;
}

// Deadlines and a response-size cap on every CloudWatch call (src/budget/sources/cloudwatch-limits.ts).
const defaultDeps: ReportCliDeps = { cloudWatchClient: (region, endpointUrl, limits) => boundedCloudWatchClient(clientConfig({ region, endpointUrl }), limits) };

const FORMATS = ['markdown', 'json', 'html'] as const;
type Format = (typeof FORMATS)[number];
const EXTENSION: Record<Format, string> = { markdown: 'md', json: 'json', html: 'html' };

/**
 * Which reports to write where. `--markdown/--json/--html [FILE]` (any of them; markdown on stdout when none);
 * without FILE a report goes to stdout, or into the `-o` folder as error-budget.<ext>. The old
 * `--format F [-o FILE]` still works, with a note.
 */
export function reportOutputs(opts: Pick<ReportOptions, 'format' | 'markdown' | 'json' | 'html' | 'out'>): Array<{ format: Format; file?: string }> {
  const outs: Array<{ format: Format; file?: string }> = [];
  for (const f of FORMATS) if (opts[f] !== undefined && opts[f] !== false) outs.push({ format: f, file: typeof opts[f] === 'string' ? opts[f] : undefined });
  if (opts.format !== undefined) {
    const f = parseFormat(opts.format);
    deprecated('report --format F', `--${f} [FILE]`);
    if (!outs.some((o) => o.format === f)) outs.push({ format: f });
  }
  if (outs.length === 0) outs.push({ format: 'markdown' });
  if (opts.out) {
    if (/\.(md|markdown|json|html?)$/i.test(opts.out) && outs.length === 1 && !outs[0].file) {
      deprecated('report -o FILE', `--${outs[0].format} FILE (-o names a folder on every command)`);
      outs[0].file = opts.out;
    } else for (const o of outs) o.file ??= join(opts.out, `error-budget.${EXTENSION[o.format]}`);
  }
  if (outs.filter((o) => !o.file).length > 1) {
    throw new SolidaError('only one report can go to stdout', 2, [{ path: outs.filter((o) => !o.file).map((o) => `--${o.format}`).join(', '), message: 'several formats without a FILE', fix: 'give a FILE to all but one, or -o FOLDER for all' }]);
  }
  return outs;
}

export function registerReportCommands(program: Command, deps: ReportCliDeps = defaultDeps): void {
  const report = program
    .command('report')
    .description('error-budget report per SLO: SLI, budget consumed/remaining, burn rates, time to exhaustion, policy status')
    .option('--source <source>', 'metrics source: prometheus or cloudwatch', 'prometheus')
    .option('--url <url>', 'Prometheus base URL, e.g. http://localhost:9090')
    .option('--region <region>', 'AWS region for --source cloudwatch (default: the services\' aws.region, then AWS_REGION or the profile\'s)')
    .option('--endpoint-url <url>', `--source cloudwatch: ${ENDPOINT_URL_HELP}`, parseEndpointUrl)
    .option('-c, --config <file>', configOptionHelp())
    .option('--markdown [file]', 'the Markdown report, to FILE or stdout (the default report)')
    .option('--json [file]', 'the JSON report (schema solida.report/v1), to FILE or stdout')
    .option('--html [file]', 'the HTML report with burn-down charts, to FILE or stdout')
    .option('--format <format>', 'old spelling of --markdown/--json/--html')
    .option('--at <time>', 'report as of this time: RFC 3339 (2026-05-01T00:00:00Z), unix seconds, or now', 'now')
    .option('--period <which>', 'calendar windows: current or previous week/month', 'current')
    .option('--service <name>', 'only the SLOs of this service')
    .option('-o, --out <dir>', 'folder for the reports given without FILE (error-budget.md, .json, .html)')
    .option('--timeout <duration>', 'deadline for each request to the metrics source', '30s')
    .action(async (opts: ReportOptions) => {
      const outputs = reportOutputs(opts);
      const at = parseAt(opts.at ?? 'now');
      const period = parsePeriod(opts.period);
      const model = await loadModel(resolveConfigPath(opts.config));
      const source = await makeSource(opts, deps, model);
      const slos = opts.service ? model.slos.filter((s) => s.service === opts.service) : model.slos;
      if (slos.length === 0) throw new SolidaError('no SLO to report', 2, [{ message: opts.service ? `no SLO of service ${opts.service}` : 'the config has no SLO', fix: 'check --service and the config' }]);
      const result = await collectReports({ ...model, slos }, source, { at, period, burnDown: outputs.some((o) => o.format === 'html') });
      for (const s of result.skipped) process.stderr.write(`note: ${s.id} not reported: ${s.reason}\n`);
      // Every report is rendered before the first is written.
      const texts = outputs.map((o) => ({ ...o, text: o.format === 'json' ? renderJson(result, at) : o.format === 'html' ? renderHtml(result, at) : renderMarkdown(result, at) }));
      for (const o of texts) {
        if (!o.file) continue;
        await writeFileAtomically(o.file, o.text);
        process.stdout.write(`wrote ${o.file}\n`);
      }
      for (const o of texts) if (!o.file) process.stdout.write(o.text);
    });
  withExamples(
    report,
    'solida report --url http://127.0.0.1:9090                               # Markdown on stdout',
    'solida report --url http://prometheus:9090 --markdown "$GITHUB_STEP_SUMMARY" --html out/budget.html --json out/budget.json',
    'solida report --source cloudwatch --region us-east-1 --period previous -o out/reports',
  );
}

async function makeSource(opts: ReportOptions, deps: ReportCliDeps, model: SolidaModel): Promise<BudgetSource> {
  const timeout = parseDuration(opts.timeout ?? '30s');
  if (!timeout || timeout.seconds <= 0) throw new SolidaError(`invalid --timeout ${JSON.stringify(opts.timeout)}`, 2, [{ message: 'not a positive duration', fix: 'e.g. --timeout 30s' }]);
  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, timeoutMs: timeout.seconds * 1000 };
  if (opts.source === 'cloudwatch') {
    const client = deps.cloudWatchClient(opts.region ?? declaredRegion(model), opts.endpointUrl, limits);
    await assertAwsReady(client, 'report --source cloudwatch');
    return new CloudWatchSource(client);
  }
  if (opts.source !== 'prometheus') throw new SolidaError(`unknown --source ${JSON.stringify(opts.source)}`, 2, [{ message: 'not a report source', fix: 'use prometheus (with --url) or cloudwatch' }]);
  if (!opts.url) throw new SolidaError('--url is required with --source prometheus', 2, [{ message: 'no Prometheus URL', fix: 'pass --url http://prometheus:9090' }]);
  try {
    new URL(opts.url);
  } catch {
    throw new SolidaError(`--url is not a URL: ${redactUrl(opts.url)}`, 2, [{ message: 'cannot parse the URL', fix: 'pass --url http://prometheus:9090' }]);
  }
  return new PrometheusSource(opts.url, fetch, limits);
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
