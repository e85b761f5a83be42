// What `plan`/`apply cloudwatch` and `plan`/`apply application-signals` share: where the requests go
// (--region, --endpoint-url), how apply is made safe (--prune, --yes), and the terraform-style question
// between the plan and the first write. One definition, so the two apply commands cannot drift apart.
import type { Command } from 'commander';
import { ENDPOINT_URL_HELP, parseEndpointUrl } from '../aws/endpoint.ts';
import { confirmChanges } from './confirm.ts';
import { cliIo } from './context.ts';

export interface AwsTargetFlags {
  region?: string;
  endpointUrl?: string;
}

export interface ApplyFlags extends AwsTargetFlags {
  prune?: boolean;
  yes?: boolean;
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

/**
 * After the plan is printed: true when apply may write. Nothing pending → says so (no question). Otherwise,
 * like terraform apply, only an explicit "yes" (or --yes) goes ahead; without a terminal it refuses (exit 2),
 * and any other answer cancels (exit 1) with nothing changed.
 */
export async function confirmApply(command: string, pending: number, region: string | undefined, flags: ApplyFlags): Promise<boolean> {
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
