// The lab target lives in src/lab (above runbooks in the layers), so the CLI registers it; this checks
// `solida runbook run --target lab` still finds it once the runbook commands are loaded.
import { describe, expect, it } from 'vitest';
import { SolidaError } from '../../src/util/errors.ts';
import '../../src/cli/commands/runbook.ts';
import { createTarget, targetNames } from '../../src/runbooks/targets.ts';

describe('runbook targets', () => {
  it('the CLI offers dry and lab', async () => {
    expect(targetNames()).toEqual(expect.arrayContaining(['dry', 'lab']));
    const err = await createTarget('nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SolidaError);
    expect((err as SolidaError).problems[0]!.fix).toMatch(/dry, .*lab/);
  });
});
