// Checks that an AWS SDK client has a region and credentials before solida sends anything: without them
// the SDK fails deep inside the first request with a stack trace, or retries the instance-metadata endpoint.
// A missing region or credential is bad input (exit 2) with one line saying how to provide it.
import { SolidaError } from '../util/errors.ts';

/** The part of an SDK v3 client this needs (tests' stand-in clients may have no config: nothing to check). */
export interface ClientWithConfig {
  config?: { region?: unknown; credentials?: unknown };
}

export const REGION_FIX = 'pass --region, or set AWS_REGION (or region in the AWS_PROFILE profile of ~/.aws/config)';
export const CREDENTIALS_FIX =
  'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or AWS_PROFILE naming a profile in ~/.aws (aws configure / aws sso login)';

async function resolveProvider(value: unknown): Promise<unknown> {
  return typeof value === 'function' ? await (value as () => Promise<unknown>)() : value;
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}

/** Returns the region the client will use (resolved from --region, the spec, AWS_REGION or the profile). */
export async function assertAwsReady(client: ClientWithConfig, what: string): Promise<string | undefined> {
  const config = client.config;
  if (!config) return undefined;
  let region: unknown;
  try {
    region = await resolveProvider(config.region);
  } catch {
    region = undefined;
  }
  if (typeof region !== 'string' || region === '') throw new SolidaError(`${what} needs an AWS region: ${REGION_FIX}`, 2);
  try {
    const credentials = (await resolveProvider(config.credentials)) as { accessKeyId?: string } | undefined;
    if (!credentials?.accessKeyId) throw new Error('no access key id');
  } catch (err) {
    throw new SolidaError(`${what} found no AWS credentials (${firstLine(err)}): ${CREDENTIALS_FIX}`, 2);
  }
  return region;
}
