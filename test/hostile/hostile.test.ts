// The hostile corpus: specs, configs, k6 files and output targets an operator or an attacker might hand
// solida. Each is run through the real CLI (a separate process, so exits, rejections and hangs are real)
// and must end in a valid result, or in exit 2 with one clear message, no stack trace, and nothing written.
import { execFile } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
// The sources through tsx, as every test but test/package runs the CLI (dist/ may be older than the code).
const ENTRY = join(ROOT, 'test/support/cli-entry.ts');
const HERE = join(ROOT, 'test/hostile');
const tmp = mkdtempSync(join(tmpdir(), 'solida-hostile-'));
const isRoot = process.getuid?.() === 0;
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function solida(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', ENTRY, ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Exit 2, the message, and none of the signs of an unhandled failure. */
function expectRefusal(r: Run, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(/^error: /);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+|Node\.js v\d/);
}

const spec = (name: string) => join(HERE, 'specs', name);
const config = (name: string) => join(HERE, 'configs', name);

describe('hostile specs: validate refuses exactly what generate could not write', () => {
  const refused: [string, RegExp][] = [
    ['control-characters.yaml', /slos\[0\]\.description: contains the control character U\+0007/],
    ['bad-label-names.yaml', /"team-name" is not a valid Prometheus label name[\s\S]*"sloth_id" is reserved[\s\S]*"alertname" is reserved[\s\S]*"not valid" is not a valid Prometheus annotation name/],
    ['selector-not-vector.yaml', /services\[0\]\.selector: .* is more than one list of label matchers/],
    ['alias-bomb.yaml', /alias/i],
  ];
  for (const [file, message] of refused) {
    it(`${file}: exit 2 from validate and generate, no output directory`, async () => {
      expectRefusal(await solida(['validate', '-c', spec(file)]), message);
      const out = join(tmp, `gen-${file}`);
      expectRefusal(await solida(['generate', 'prometheus', '-c', spec(file), '-o', out]), message);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('template-injection.yaml: valid, and the rules print the free text literally (real promtool check passes)', async () => {
    expect((await solida(['validate', '-c', spec('template-injection.yaml')])).code).toBe(0);
    const out = join(tmp, 'gen-template');
    const r = await solida(['generate', 'prometheus', '-c', spec('template-injection.yaml'), '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/promtool check rules: 1 file\(s\) OK/);
    const rules = readFileSync(join(out, 'checkout.rules.yml'), 'utf8');
    expect(rules).toContain('{{ \\"{{\\" }} query \\"up\\" }}');
    expect(rules).not.toMatch(/[^"]\{\{ query/);
    // A harmless value reference stays a template.
    expect(rules).toContain('{{ $value | humanizePercentage }}');
  });
});

describe('hostile configs: loading someone\'s code ends in one clear refusal', () => {
  const refused: [string, RegExp, Record<string, string>?][] = [
    ['throws-null.ts', /loading threw null/],
    ['throws-bare-object.ts', /loading threw \{\}/],
    ['unhandled-rejection.ts', /rejected and never handled: boom from the config/],
    ['process-exit.ts', /called process\.exit\(0\)/],
    ['never-settles.ts', /never finished loading: a top-level await/],
    ['busy-loop.ts', /did not finish within 3 s/, { SOLIDA_CONFIG_TIMEOUT_MS: '3000' }],
    ['exports-function.ts', /not plain data/],
    ['no-default.ts', /no default export/],
    ['syntax-error.ts', /Expected .* at [^ ]*syntax-error\.ts:2:\d+/],
  ];
  for (const [file, message, env] of refused) {
    it(`${file}: exit 2, nothing written`, async () => {
      const out = join(tmp, `cfg-${file}`);
      const r = await solida(['generate', 'prometheus', '-c', config(file), '-o', out], env);
      expectRefusal(r, message);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('valid.ts: a plain object config generates rules', async () => {
    const r = await solida(['generate', 'prometheus', '-c', config('valid.ts'), '-o', join(tmp, 'cfg-valid')]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('-c a directory or a device is refused before reading', async () => {
    expectRefusal(await solida(['validate', '-c', HERE]), /it is a directory/);
    expectRefusal(await solida(['validate', '-c', '/dev/zero']), /device or socket/);
  });
});

describe('hostile k6 results: impossible values are bad input, not a verdict', () => {
  const k6 = (name: string) => join(HERE, 'k6', name);
  it('a negative latency in a summary', async () => {
    expectRefusal(await solida(['gate', '--k6-summary', k6('negative-latency.summary.json')]), /http_req_duration.*never negative|avg is -12\.5/);
  });
  it('a rate above 1 in a summary', async () => {
    expectRefusal(await solida(['gate', '--k6-summary', k6('rate-above-one.summary.json')]), /rate is 1\.5: a rate is a fraction between 0 and 1/);
  });
  it('a negative latency point', async () => {
    expectRefusal(await solida(['gate', '--k6-points', k6('negative-latency.points.ndjson')]), /value -3: http_req_duration is a time and never negative/);
  });
});

describe('hostile output targets: only regular files are replaced', () => {
  // A single-file output (`--json FILE`): every such flag goes through the same writer.
  const exportTo = (target: string) => solida(['validate', '-c', join(ROOT, 'examples/solida.yaml'), '--json', target]);

  it('a symlink is followed: its target is replaced and the link stays a link', async () => {
    const real = join(tmp, 'real.yaml');
    writeFileSync(real, 'old');
    const link = join(tmp, 'link.yaml');
    symlinkSync(real, link);
    expect((await exportTo(link)).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(real);
    expect(readFileSync(real, 'utf8')).toContain('"slos"');
  });

  it('/dev/null is written to, never replaced', async () => {
    expect((await exportTo('/dev/null')).code).toBe(0);
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('a FIFO nobody reads, a directory and a device node are refused', async () => {
    const fifo = join(tmp, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expectRefusal(await exportTo(fifo), /a FIFO nobody is reading/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expectRefusal(await exportTo(tmp), /it is a directory/);
    if (isRoot) {
      const dev = join(tmp, 'zero-device');
      execFileSync('mknod', [dev, 'c', '1', '5']);
      expectRefusal(await exportTo(dev), /it is a device node/);
      expect(lstatSync(dev).isCharacterDevice()).toBe(true);
    }
  });

  // Node's own recursive mkdir spins forever on both (the parent exists, mkdir still says ENOENT).
  it('a folder under /proc or below a dangling symlink is exit 2 within seconds, not an endless loop', async () => {
    const dangling = join(tmp, 'dangling');
    symlinkSync(join(tmp, 'no-such-dir'), dangling);
    for (const out of ['/proc/solida-out/rules', join(dangling, 'rules')]) {
      const r = await solida(['generate', 'prometheus', '--no-check', '-c', join(ROOT, 'examples/solida.yaml'), '-o', out], {}, 20_000);
      expectRefusal(r, /cannot write/);
    }
    expectRefusal(await exportTo('/proc/solida-out/x.json'), /cannot write/);
  });

  it.runIf(isRoot)('a read-only filesystem and a full disk are exit 2, with no partial or temporary file left', async () => {
    const ro = join(tmp, 'ro');
    const full = join(tmp, 'full');
    mkdirSync(ro);
    mkdirSync(full);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,ro', 'tmpfs', ro]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', full]);
    try {
      expectRefusal(await exportTo(join(ro, 'out.yaml')), /EROFS[\s\S]*read-only/);
      expectRefusal(await solida(['generate', 'prometheus', '-c', join(ROOT, 'examples/solida.yaml'), '-o', join(ro, 'rules')]), /read-only/);
      // The rules for the example are far over 16 KiB.
      expectRefusal(await solida(['generate', 'prometheus', '--no-check', '-c', join(ROOT, 'examples/solida.yaml'), '-o', join(full, 'rules')]), /ENOSPC[\s\S]*disk is full/);
      expect(readdirSync(full).filter((f) => f !== 'rules')).toEqual([]);
      expect(existsSync(join(full, 'rules')) ? readdirSync(join(full, 'rules')) : []).toEqual([]);
    } finally {
      execFileSync('umount', [ro]);
      execFileSync('umount', [full]);
    }
  });
});

describe('hostile lab directories: solida deletes only what it created', () => {
  it('/ and the home directory are refused', async () => {
    expectRefusal(await solida(['lab', 'down', '--dir', '/']), /filesystem root/);
    expectRefusal(await solida(['lab', 'down', '--dir', homedir()]), /home directory|working directory/);
  });

  it('a directory without the lab marker is neither used by up nor deleted by down', async () => {
    const dir = join(tmp, 'precious');
    mkdirSync(dir);
    writeFileSync(join(dir, 'thesis.tex'), 'years of work');
    expectRefusal(await solida(['lab', 'down', '--dir', dir]), /not created by `solida lab up`/);
    expectRefusal(await solida(['lab', 'up', '--dir', dir]), /not empty and was not created by `solida lab up`/);
    expect(readFileSync(join(dir, 'thesis.tex'), 'utf8')).toBe('years of work');
  });
});

describe('hostile metrics sources: report never hangs, never floods memory, never prints credentials', () => {
  let server: Server;
  let port = 0;
  const listen = (handler: Parameters<typeof createServer>[1]) =>
    new Promise<void>((resolve) => {
      server = createServer(handler);
      server.listen(0, '127.0.0.1', () => {
        port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  const stop = () => new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  });
  const report = (url: string) => solida(['report', '-c', join(ROOT, 'examples/solida.yaml'), '--url', url, '--timeout', '1s'], {}, 30_000);

  it('a silent server: exit 2 after the deadline, credentials redacted', async () => {
    await listen(() => {
      /* never answers */
    });
    try {
      const r = await report(`http://admin:s3cret@127.0.0.1:${port}`);
      expectRefusal(r, /no complete answer from http:\/\/\*\*\*@127\.0\.0\.1:\d+.* within 1 s/);
      expect(r.stderr + r.stdout).not.toContain('s3cret');
    } finally {
      await stop();
    }
  });

  it('a slow-drip server is cut at the deadline', async () => {
    await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const t = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(t));
    });
    try {
      expectRefusal(await report(`http://127.0.0.1:${port}`), /within 1 s/);
    } finally {
      await stop();
    }
  });

  it('an endless body is cut at the size limit', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 32);
    await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const pump = () => {
        while (res.write(chunk)) {
          /* fill the socket */
        }
      };
      res.on('drain', pump);
      pump();
    });
    try {
      const r = await solida(['report', '-c', join(ROOT, 'examples/solida.yaml'), '--url', `http://127.0.0.1:${port}`, '--timeout', '20s'], {}, 40_000);
      expectRefusal(r, /larger than \d+ bytes/);
    } finally {
      await stop();
    }
  });
});
