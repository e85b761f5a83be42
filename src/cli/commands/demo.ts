// `solida demo` (what `npm run demo` runs): the most complete end-to-end flow on the embedded example —
// validate and explain the SLOs, generate Prometheus rules and check them with the real promtool,
// generate the CloudWatch requests and validate each against AWS's API models, then run the az-failure game
// day on the local lab and measure its RTO/RPO.
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { shownPath, specKind, withExamples } from '../shared.ts';
import { loadSpec } from '../../slo/load.ts';
import { explainModel, formatExplanation } from '../../slo/explain.ts';
import { generatePrometheusRules } from '../../prometheus/rules.ts';
import { checkRules } from '../../prometheus/promtool.ts';
import { generateCloudWatch } from '../../cloudwatch/generate.ts';
import { resolveCloudWatchOptions } from '../../cloudwatch/options.ts';
import { validateRequest } from '../../aws-models/smithy.ts';
import { writeFilesAtomically } from '../../util/files.ts';
import { SolidaError } from '../../util/errors.ts';
import { localGamedayCommand } from '../../gameday/command.ts';
import { EXAMPLE_SPEC } from '../../slo/example.ts';


export function registerDemoCommand(program: Command): void {
  const demo = program
    .command('demo')
    .description('end-to-end run on the embedded example: validate, explain, generate and check rules and CloudWatch requests, then the az-failure game day on the lab')
    .option('-c, --config <file>', 'spec file', EXAMPLE_SPEC)
    .option('-o, --out <dir>', 'folder for the rules, CloudWatch requests and game-day reports', 'out/demo')
    .option('--no-gameday', 'skip step 4 (the az-failure game day on the local lab)')
    .action(async (opts: { config: string; out: string; gameday: boolean }) => {
      const say = (s = '') => process.stdout.write(`${s}\n`);
      say(`== 1. Read and validate ${shownPath(resolve(opts.config))}`);
      const { model, format } = await loadSpec(opts.config);
      say(`valid ${specKind(opts.config, format)}: ${model.services.length} service(s), ${model.slos.length} SLO(s)`);
      for (const e of explainModel(model)) say(`\n${formatExplanation(e)}`);

      say('\n== 2. Prometheus recording and multiwindow multi-burn-rate alert rules');
      const ruleDir = join(opts.out, 'prometheus');
      const rules = await writeFilesAtomically(ruleDir, generatePrometheusRules(model));
      const check = await checkRules(rules);
      if (!check.ok) throw new SolidaError(`promtool rejected the rules:\n${check.output}`, 1);
      for (const r of rules) say(`wrote ${shownPath(r)}`);
      say(check.output.trim().split('\n').map((l) => `  promtool: ${l.trim()}`).join('\n'));

      say('\n== 3. CloudWatch dashboards, burn-rate alarms and composite alarms (PutDashboard/PutMetricAlarm/PutCompositeAlarm inputs)');
      const artifacts = generateCloudWatch(model, resolveCloudWatchOptions({}));
      const requests = [
        ...artifacts.dashboards.map((d) => ({ op: 'PutDashboard', dir: 'dashboards', name: d.DashboardName!, input: d })),
        ...artifacts.metricAlarms.map((a) => ({ op: 'PutMetricAlarm', dir: 'alarms', name: a.AlarmName!, input: a })),
        ...artifacts.compositeAlarms.map((a) => ({ op: 'PutCompositeAlarm', dir: 'composite-alarms', name: a.AlarmName!, input: a })),
      ];
      const problems = requests.flatMap((r) => validateRequest('cloudwatch', r.op, r.input));
      if (problems.length) throw new SolidaError('generated CloudWatch requests do not match the AWS API model', 1, problems);
      const cwDir = join(opts.out, 'cloudwatch');
      await writeFilesAtomically(cwDir, requests.map((r) => ({ path: `${r.dir}/${r.name}.json`, content: `${JSON.stringify(r.input, null, 2)}\n` })));
      say(`wrote ${artifacts.dashboards.length} dashboard(s), ${artifacts.metricAlarms.length} alarm(s), ${artifacts.compositeAlarms.length} composite alarm(s) under ${shownPath(resolve(cwDir))}`);
      say(`all ${requests.length} requests validate against the CloudWatch API model (required members, lengths, ranges, enums)`);
      for (const n of artifacts.notes ?? []) say(`  note: ${n}`);

      if (opts.gameday) {
        say('\n== 4. Game day az-failure on the local lab: load, AZ loss, runbook, measured RTO/RPO against the objectives');
        say('   timing profile "short": RDS failure detection 10 s, slept (the reference\'s 120 s: `solida gameday az-failure --profile reference`)');
        const dir = join(opts.out, 'gameday');
        const { report } = await localGamedayCommand('az-failure', {
          json: join(dir, 'az-failure.json'),
          markdown: join(dir, 'az-failure.md'),
          html: join(dir, 'az-failure.html'),
          baseline: '5s',
          sustain: '15s',
          // Seconds, slept: the demo stays short. `--profile reference` models the reference's minutes.
          profile: 'short',
        });
        if (report.verdict !== 'pass') throw new SolidaError(`the az-failure game day did not pass (${report.verdict}): ${report.reasons.join('; ')}`, 1);
      }

      // With --no-gameday there are no game-day reports: the last line names only what was written.
      const written = opts.gameday ? 'rules, CloudWatch requests and game-day reports' : 'rules and CloudWatch requests (no game day: --no-gameday)';
      say(`\n== Done: ${written} under ${shownPath(resolve(opts.out))}. With AWS credentials: \`solida plan cloudwatch -c <config> --region <region>\`.`);
    });
  withExamples(demo, 'solida demo                    # what npm run demo runs', 'solida demo --no-gameday -o out/demo   # only the steps that need no lab');
}
