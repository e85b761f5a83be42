// `solida serve` flags: bad input exits 2 with one line naming the flag and the fix, before listening.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { main } from '../../src/cli/main.ts';
import { CONFIG } from './scenario.ts';

const dir = mkdtempSync(join(tmpdir(), 'solida-serve-cli-'));
const cfg = join(dir, 'solida.yaml');
writeFileSync(cfg, stringify(CONFIG));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  try {
    return { code: await main(args), err };
  } finally {
    spy.mockRestore();
  }
}

describe('solida serve flags', () => {
  it.each([
    [['serve', '-c', cfg], /--prometheus is required[\s\S]*fix: pass --prometheus http:\/\/localhost:9090/],
    [['serve', '-c', cfg, '--prometheus', 'localhost:9090'], /invalid --prometheus "localhost:9090"[\s\S]*not an http\(s\) URL/],
    [['serve', '-c', cfg, '--prometheus', 'http://127.0.0.1:1', '--port', '99999'], /invalid --port "99999"/],
    [['serve', '-c', cfg, '--prometheus', 'http://127.0.0.1:1', '--refresh', 'soon'], /invalid --refresh "soon"[\s\S]*e\.g\. --refresh 15s/],
    [['serve', '-c', cfg, '--source', 'datadog'], /unknown --source "datadog"/],
  ])('%j exits 2', async (args, message) => {
    const { code, err } = await run(args as string[]);
    expect(code).toBe(2);
    expect(err).toMatch(message as RegExp);
    expect(err).not.toMatch(/\n\s+at /);
  });
});
