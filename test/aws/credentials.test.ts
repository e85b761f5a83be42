// Every command that calls AWS, run with nothing AWS in the environment: missing credentials, or a missing
// region, end in ONE line naming the fix (the variables or profile to set), exit 2, no SDK stack — and
// before any request (the endpoint points at a port where nothing listens, so a request would show as a
// different error).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSolida } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'solida-aws-creds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The same service with and without aws.region. */
function specFile(name: string, region: string | undefined): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({
    services: [{
      name: 'inventory',
      aws: {
        ...(region ? { region } : {}),
        alb: { loadBalancer: 'app/inventory-alb/50dc6c495c0c9188', targetGroup: 'targetgroup/inventory-tg/943f017f100becff' },
        rds: { instance: 'inventory-db', engine: 'postgres' },
        sns: { page: 'arn:aws:sns:us-east-1:123456789012:inventory-page', ticket: 'arn:aws:sns:us-east-1:123456789012:inventory-ticket' },
      },
    }],
    slos: [{ service: 'inventory', name: 'availability', objective: 99.9, window: '30d', sli: { golden: { signal: 'availability' } } }],
  }));
  return file;
}
const WITH_REGION = specFile('with-region.json', 'us-east-1');
const NO_REGION = specFile('no-region.json', undefined);

// Nothing anywhere the SDK looks: no variables, no profile files, no instance metadata endpoint to wait for.
const EMPTY: Record<string, string | undefined> = {
  AWS_ACCESS_KEY_ID: undefined,
  AWS_SECRET_ACCESS_KEY: undefined,
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_DEFAULT_PROFILE: undefined,
  AWS_REGION: undefined,
  AWS_DEFAULT_REGION: undefined,
  AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
  AWS_ROLE_ARN: undefined,
  AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
  AWS_ENDPOINT_URL_CLOUDWATCH: undefined,
  AWS_ENDPOINT_URL_APPLICATION_SIGNALS: undefined,
  AWS_ENDPOINT_URL_FIS: undefined,
  AWS_ENDPOINT_URL_RDS: undefined,
  AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: undefined,
  AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none', 'credentials'),
  AWS_CONFIG_FILE: join(dir, 'none', 'config'),
  AWS_EC2_METADATA_DISABLED: 'true',
  // A request that slipped past the check would fail on this closed port, not with the credentials line.
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
};
const KEYS = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' };

/** Each command that calls AWS, as a user would type it (config given with -c). */
const COMMANDS: Record<string, (config: string) => string[]> = {
  'plan cloudwatch': (c) => ['plan', 'cloudwatch', '-c', c],
  'apply cloudwatch': (c) => ['apply', 'cloudwatch', '-c', c, '--yes'],
  'plan application-signals': (c) => ['plan', 'application-signals', '-c', c],
  'apply application-signals': (c) => ['apply', 'application-signals', '-c', c, '--yes'],
  'report --source cloudwatch': (c) => ['report', '--source', 'cloudwatch', '-c', c],
  'serve --source cloudwatch': (c) => ['serve', '--source', 'cloudwatch', '-c', c, '--port', '0'],
  'runbook run --target aws': (c) => ['runbook', 'run', 'az-failure', '--target', 'aws', '-c', c, '--az', 'us-east-1a'],
  'gameday --target aws': (c) => ['gameday', 'az-failure', '--target', 'aws', '-c', c, '--execute', '--yes', '--account', '123456789012', '--az', 'us-east-1a', '--subnet-arn', 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0123456789abcdef0', '--stop-alarm-prefix', 'solida'],
};

/** stderr without generate's notes about the config (they come before, and are not errors). */
const errorLines = (stderr: string) => stderr.trim().split('\n').filter((l) => l && !l.startsWith('note: ') && !l.startsWith('warning: '));

describe('a command that calls AWS, with no AWS settings at all', () => {
  for (const [what, argv] of Object.entries(COMMANDS)) {
    it(`${what}: no credentials → one line naming AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE, exit 2`, async () => {
      const r = await runSolida(argv(WITH_REGION), { env: EMPTY });
      expect(errorLines(r.stderr), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(new RegExp(`^error: ${what.replace(/[-]/g, '\\$&')} found no AWS credentials .*AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.*AWS_PROFILE`, 'm'));
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(2);
    });

    it(`${what}: no region → one line naming --region / AWS_REGION, exit 2`, async () => {
      const r = await runSolida(argv(NO_REGION), { env: { ...EMPTY, ...KEYS } });
      expect(errorLines(r.stderr), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(new RegExp(`^error: ${what.replace(/[-]/g, '\\$&')} needs an AWS region: pass --region, or set AWS_REGION`, 'm'));
      expect(r.code).toBe(2);
    });
  }

  it('a region from AWS_REGION is enough when the spec names none', async () => {
    const r = await runSolida(COMMANDS['plan cloudwatch'](NO_REGION), { env: { ...EMPTY, ...KEYS, AWS_REGION: 'eu-west-1' } });
    // Past the checks: the request itself fails on the closed port.
    expect(r.stderr).toContain('CloudWatch DescribeAlarms failed');
    expect(r.code).toBe(1);
  });
});
