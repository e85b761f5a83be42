// `solida serve`: the live SLO view (list + detail pages) over Prometheus or CloudWatch.
import type { Command } from 'commander';
import { loadModel } from '../../slo/load.ts';
import { parseDuration } from '../../slo/duration.ts';
import { SolidaError } from '../../util/errors.ts';
import { PrometheusBackend } from '../../serve/prometheus-backend.ts';
import type { ViewBackend } from '../../serve/backend.ts';
import { startView } from '../../serve/server.ts';
import { resolveConfigPath, withExamples } from '../shared.ts';
import { clientConfig } from '../../aws/endpoint.ts';
import { assertAwsReady } from '../../aws/preflight.ts';
import type { SolidaModel } from '../../slo/model.ts';

interface ServeFlags {
  config?: string;
  source: string;
  prometheus?: string;
  region?: string;
  host: string;
  port: string;
  refresh: string;
  gamedays?: string;
}

export function registerServeCommand(program: Command): void {
  withExamples(
    program.command('serve'),
    'solida serve -c solida.config.ts --prometheus http://localhost:9090 --gamedays reports/   # then open http://127.0.0.1:9099',
    'solida serve -c solida.config.ts --source cloudwatch --region us-east-1',
  )
    .description('live web view of every SLO (list and detail pages), refreshed from Prometheus or CloudWatch')
    .option('-c, --config <file>', 'spec file')
    .option('--source <source>', 'prometheus or cloudwatch', 'prometheus')
    .option('--prometheus <url>', 'Prometheus base URL, e.g. http://localhost:9090')
    .option('--region <region>', "AWS region for --source cloudwatch (default: the services' aws.region, then AWS_REGION or the profile's)")
    .option('--host <address>', 'address to listen on (loopback by default: the view has no login)', '127.0.0.1')
    .option('--port <n>', 'port (0 = any free port)', '9099')
    .option('--refresh <duration>', 'how often to re-read every SLO', '15s')
    .option('--gamedays <dir>', 'directory of game-day JSON reports to show per service')
    .action(async (flags: ServeFlags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SolidaError(`invalid --port ${JSON.stringify(flags.port)}`, 2, [{ message: 'not a port number', fix: 'e.g. --port 9099, or 0 for any free port' }]);
      const refresh = parseDuration(flags.refresh);
      if (!refresh || refresh.seconds < 1) throw new SolidaError(`invalid --refresh ${JSON.stringify(flags.refresh)}`, 2, [{ message: 'not a duration of at least 1s', fix: 'e.g. --refresh 15s' }]);
      const model = await loadModel(resolveConfigPath(flags.config));
      const backend = await makeBackend(flags, model);
      const view = await startView(model, backend, {
        host: flags.host,
        port,
        refreshSeconds: refresh.seconds,
        gamedayDir: flags.gamedays,
        log: (l) => process.stderr.write(`${l}\n`),
      }).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE' || err.code === 'EADDRNOTAVAIL' || err.code === 'EACCES') {
          throw new SolidaError(`cannot listen on ${flags.host}:${port}: ${err.code}`, 2, [{ message: err.message, fix: 'pick another --port (0 = any free one) or --host' }]);
        }
        throw err;
      });
      if (!['127.0.0.1', '::1', 'localhost'].includes(flags.host)) process.stderr.write(`warning: listening on ${flags.host}: anyone who can reach it sees every SLO (the view has no login)\n`);
      process.stdout.write(`solida serve: ${view.url} — ${model.slos.length} SLO(s) from ${backend.name}, refreshed every ${refresh.text} (Ctrl-C stops)\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          view.close().then(resolve, resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}

/**
 * The AWS SDK (and the CloudWatch command's modules) load only for --source cloudwatch: they alone took
 * seconds of the view's start over Prometheus.
 */
async function makeBackend(flags: ServeFlags, model: SolidaModel): Promise<ViewBackend> {
  if (flags.source === 'cloudwatch') {
    const [{ CloudWatchClient }, { CloudWatchBackend }, { declaredRegion }] = await Promise.all([
      import('@aws-sdk/client-cloudwatch'),
      import('../../serve/cloudwatch-backend.ts'),
      import('./cloudwatch.ts'),
    ]);
    const region = flags.region ?? declaredRegion(model);
    const client = new CloudWatchClient(clientConfig({ region }));
    // Before listening: a view that cannot read CloudWatch would only show errors on every refresh.
    return new CloudWatchBackend(client, await assertAwsReady(client, 'serve --source cloudwatch'));
  }
  if (flags.source !== 'prometheus') throw new SolidaError(`unknown --source ${JSON.stringify(flags.source)}`, 2, [{ message: 'not a view source', fix: 'use prometheus (with --prometheus URL) or cloudwatch' }]);
  if (!flags.prometheus) throw new SolidaError('--prometheus is required with --source prometheus', 2, [{ message: 'no Prometheus URL', fix: 'pass --prometheus http://localhost:9090' }]);
  if (!/^https?:\/\//.test(flags.prometheus)) throw new SolidaError(`invalid --prometheus ${JSON.stringify(flags.prometheus)}`, 2, [{ message: 'not an http(s) URL', fix: 'e.g. --prometheus http://localhost:9090' }]);
  return new PrometheusBackend(flags.prometheus);
}
