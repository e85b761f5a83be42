// generate / plan / apply application-signals: native CloudWatch Application Signals SLOs from the spec.
import type { Command } from 'commander';
import { ApplicationSignalsClient } from '@aws-sdk/client-application-signals';
import { loadModel } from '../../slo/load.ts';
import { generateApplicationSignals, type ApplicationSignalsArtifacts } from '../../cloudwatch/application-signals.ts';
import { applyApplicationSignals, formatSloPlan, planApplicationSignals, type ApplicationSignalsPlan } from '../../aws/application-signals.ts';
import { assertValidRequest } from '../../aws-models/smithy.ts';
import { clientConfig } from '../../aws/endpoint.ts';
import { confirmedPlan, printPlan, withApplyOptions, withAwsTargetOptions, withSpecOptions, type ApplyFlags, type AwsTargetFlags } from '../aws-apply.ts';
import { writeFilesAtomically } from '../../util/files.ts';
import { parentCommand, resolveConfigPath, withExamples } from '../shared.ts';
import { readOptions, regionFor, type CommonOpts } from './cloudwatch.ts';
import type { SolidaModel } from '../../slo/model.ts';

export interface ApplicationSignalsCliDeps {
  /** region undefined: the SDK's chain decides (AWS_REGION, the profile's region). */
  client: (region: string | undefined, endpointUrl?: string) => ApplicationSignalsClient;
}

const defaultDeps: ApplicationSignalsCliDeps = { client: (region, endpointUrl) => new ApplicationSignalsClient(clientConfig({ region, endpointUrl })) };

/** What apply would send: creates and updates, and deletes only with --prune. */
function pendingSloChanges(plan: ApplicationSignalsPlan, prune: boolean): number {
  return plan.changes.filter((c) => c.action === 'create' || c.action === 'update' || (c.action === 'delete' && prune)).length;
}

async function build(opts: CommonOpts): Promise<{ model: SolidaModel; artifacts: ApplicationSignalsArtifacts }> {
  const model = await loadModel(resolveConfigPath(opts.config));
  const o = await readOptions(opts);
  const artifacts = generateApplicationSignals(model, { prefix: o.prefix, tags: o.tags });
  // Every request is checked before anything is written or sent.
  for (const r of artifacts.requests) assertValidRequest('application-signals', 'CreateServiceLevelObjective', r, `SLO ${r.Name}`);
  for (const n of artifacts.notes) process.stderr.write(`note: ${n}\n`);
  return { model, artifacts };
}

export function registerApplicationSignalsCommands(program: Command, deps: ApplicationSignalsCliDeps = defaultDeps): void {
  const common = (c: Command) => withSpecOptions(c, 'every SLO', 'prefix, tags');

  const generate = common(
    parentCommand(program, 'generate', 'generate artifacts from the SLOs')
      .command('application-signals')
      .description('write one CreateServiceLevelObjective request (JSON) per SLO CloudWatch can measure'),
  )
    .requiredOption('-o, --out <dir>', 'folder to write the requests into')
    .action(async (opts: CommonOpts & { out: string }) => {
      const { artifacts } = await build(opts);
      const files = artifacts.requests.map((r) => ({ path: `${r.Name}.json`, content: `${JSON.stringify(r, null, 2)}\n` }));
      await writeFilesAtomically(opts.out, files);
      process.stdout.write(`wrote ${files.length} Application Signals SLO request(s) to ${opts.out}\n`);
    });

  withExamples(generate, 'solida generate application-signals -o out/application-signals');
  const plan = withAwsTargetOptions(common(
    parentCommand(program, 'plan', 'show what apply would change')
      .command('application-signals')
      .description('diff the generated Application Signals SLOs against the account (under the prefix only)'),
  ))
    .option('--prune', 'show deletions as they would be applied with --prune')
    .option('--show-unchanged', 'list unchanged SLOs too')
    .action(async (opts: CommonOpts & AwsTargetFlags & { prune?: boolean; showUnchanged?: boolean }) => {
      const { model, artifacts } = await build(opts);
      const client = deps.client(regionFor(model, opts.region), opts.endpointUrl);
      await printPlan(client, { command: 'plan application-signals', plan: () => planApplicationSignals(client, artifacts), format: formatSloPlan }, opts);
    });

  withExamples(plan, 'solida plan application-signals --region us-east-1');
  const apply = withApplyOptions(common(
    parentCommand(program, 'apply', 'make the account match the generated resources')
      .command('application-signals')
      .description('create/update Application Signals SLOs under the prefix; delete removed ones only with --prune'),
  ), 'SLOs')
    .action(async (opts: CommonOpts & ApplyFlags) => {
      const { model, artifacts } = await build(opts);
      const client = deps.client(regionFor(model, opts.region), opts.endpointUrl);
      const steps = { command: 'apply application-signals', plan: () => planApplicationSignals(client, artifacts), format: formatSloPlan, pending: pendingSloChanges };
      const plan = await confirmedPlan(client, steps, opts);
      if (!plan) return;
      const result = await applyApplicationSignals(client, plan, { prune: !!opts.prune });
      process.stdout.write(`applied: ${result.sent.length} request(s)${result.keptWithoutPrune.length ? `; ${result.keptWithoutPrune.length} removed SLO(s) kept (use --prune)` : ''}\n`);
    });
  withExamples(
    apply,
    'solida apply application-signals --region us-east-1              # shows the plan, then asks',
    'solida apply application-signals --region us-east-1 --yes --prune  # in CI: no prompt; also delete what the config dropped',
  );
}
