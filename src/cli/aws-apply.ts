// What `generate`/`plan`/`apply cloudwatch` and `generate`/`plan`/`apply application-signals` share: the
// spec and prefix flags, where the requests go (--region, --endpoint-url), how apply is made safe (--prune,
// --yes), and the terraform-style steps: check the account can be reached, print the plan, ask before the
// first write. One definition, so the two families of commands cannot drift apart.
import type { Command } from 'commander';
import { ENDPOINT_URL_HELP, parseEndpointUrl } from '../aws/endpoint.ts';
import { assertAwsReady, type ClientWithConfig } from '../aws/preflight.ts';
import { confirmChanges } from './confirm.ts';
import { configOptionHelp } from './shared.ts';
import { cliIo } from './context.ts';

export interface AwsTargetFlags {
  region?: string;
  endpointUrl?: string;
}

export interface ApplyFlags extends AwsTargetFlags {
  prune?: boolean;
  yes?: boolean;
}

/**
 * -c, --prefix and --options, for every generate, plan and apply command of the family; `named` says what the
 * prefix names (e.g. "every SLO"), `optionsFile` what the options file holds.
 */
export function withSpecOptions(c: Command, named: string, optionsFile: string): Command {
  return c
    .option('-c, --config <file>', configOptionHelp())
    .option('--prefix <prefix>', `name prefix of ${named} (default solida)`)
    .option('--options <file>', `CloudWatch options (YAML/JSON): ${optionsFile}`);
}

/** --region and --endpoint-url, for every plan and apply command. */
export function withAwsTargetOptions(c: Command): Command {
  return c
    .option('--region <region>', "AWS region (default: the services' aws.region, then AWS_REGION or the profile's region)")
    .option('--endpoint-url <url>', ENDPOINT_URL_HELP, parseEndpointUrl);
}

/** --prune and --yes, for every apply command; `what` names the resources (e.g. "alarms and dashboards"). */
export function withApplyOptions(c: Command, what: string): Command {
  return withAwsTargetOptions(c)
    .option('--prune', `delete ${what} solida made that the config no longer describes`)
    .option('-y, --yes', 'apply without asking (needed when there is no terminal, e.g. in CI)');
}

/** One family's plan: how to compute it once the account is reachable, and how to print it. */
export interface PlanSteps<P> {
  /** The command as typed, e.g. "plan cloudwatch": named in the preflight's errors and apply's question. */
  command: string;
  plan: () => Promise<P>;
  format: (plan: P, opts: { prune: boolean; showUnchanged?: boolean }) => string;
}

/** `plan <family>`: check region and credentials, diff, print (deletions shown as --prune would apply them). */
export async function printPlan<P>(client: ClientWithConfig, steps: PlanSteps<P>, flags: { prune?: boolean; showUnchanged?: boolean }): Promise<void> {
  await assertAwsReady(client, steps.command);
  const plan = await steps.plan();
  process.stdout.write(`${steps.format(plan, { prune: !!flags.prune, showUnchanged: flags.showUnchanged })}\n`);
}

/**
 * `apply <family>` up to its first write: check, diff, print the plan, ask. The plan to apply, or undefined
 * when nothing is to be sent (no changes, or the answer was not "yes"). `pending` counts what apply would send.
 */
export async function confirmedPlan<P>(
  client: ClientWithConfig,
  steps: PlanSteps<P> & { pending: (plan: P, prune: boolean) => number },
  flags: ApplyFlags,
): Promise<P | undefined> {
  const region = await assertAwsReady(client, steps.command);
  const plan = await steps.plan();
  process.stdout.write(`${steps.format(plan, { prune: !!flags.prune })}\n`);
  return (await confirmApply(steps.command, steps.pending(plan, !!flags.prune), region, flags)) ? plan : undefined;
}

/**
 * After the plan is printed: true when apply may write. Nothing pending → says so (no question). Otherwise,
 * like terraform apply, only an explicit "yes" (or --yes) goes ahead; without a terminal it refuses (exit 2),
 * and any other answer cancels (exit 1) with nothing changed.
 */
async function confirmApply(command: string, pending: number, region: string | undefined, flags: ApplyFlags): Promise<boolean> {
  if (pending === 0) {
    process.stdout.write('No changes: the account already matches.\n');
    return false;
  }
  const what = `${command} will change ${pending} resource(s)${region ? ` in ${region}` : ''}`;
  if (!(await confirmChanges(cliIo(), { yes: flags.yes, what }))) {
    process.stdout.write('Apply cancelled: nothing was changed.\n');
    process.exitCode = 1;
    return false;
  }
  return true;
}
