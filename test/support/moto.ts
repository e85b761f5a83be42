// A real moto_server (an independent implementation of AWS's wire protocols) for the tests that call AWS:
// started on a free loopback port with dummy credentials, reset between tests, always stopped.
// A missing moto_server fails the test with the fix; it is never skipped.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { findBinary } from '../../src/util/binaries.ts';

export const MOTO_REGION = 'eu-west-1';
/** moto's fixed account for every ARN it hands out. */
export const MOTO_ACCOUNT = '123456789012';
export const DUMMY_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export interface Moto {
  url: string;
  port: number;
  /** Environment for a `solida` run: the endpoint override, dummy credentials and region (see withEnv). */
  env: Record<string, string>;
  /** Forgets every resource (POST /moto-api/reset), so tests do not see each other's. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export function motoBinary(): string {
  const path = findBinary('moto_server');
  if (!path) throw new Error("moto_server not found on PATH: run `npm test` (its set-up runs `pip install 'moto[server]'`), or install it yourself with `pip install 'moto[server]'`");
  return path;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function waitUp(url: string, child: ChildProcess, log: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${log()}`);
    try {
      const res = await fetch(`${url}/moto-api/data.json`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer on ${url} within ${timeoutMs / 1000} s: ${log()}`);
}

export async function startMoto(): Promise<Moto> {
  const bin = motoBinary();
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv(credentialsEnv()) });
    let output = '';
    child.stdout!.on('data', (c) => (output = (output + c).slice(-4000)));
    child.stderr!.on('data', (c) => (output = (output + c).slice(-4000)));
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitUp(url, child, () => output);
    } catch (err) {
      child.kill('SIGKILL');
      // Another process may have taken the port between our probe and moto's bind: try a new one.
      if (attempt < 2 && /in use/i.test(output)) continue;
      throw err;
    }
    return {
      url,
      port,
      env: { ...credentialsEnv(), AWS_REGION: MOTO_REGION, AWS_ENDPOINT_URL: url },
      async reset() {
        const res = await fetch(`${url}/moto-api/reset`, { method: 'POST' });
        if (!res.ok) throw new Error(`moto reset failed: ${res.status}`);
      },
      stop: () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 3000).unref();
        }),
    };
  }
}

/** Dummy credentials: the SDK signs requests, moto accepts any key; nothing reads a real profile. */
export function credentialsEnv(): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** process.env plus `extra`, without a profile or session token that could point at a real account. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const k of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_PROFILE']) delete env[k];
  for (const k of Object.keys(env)) if (k.startsWith('AWS_ENDPOINT_URL') && !(k in extra)) delete env[k];
  return env;
}
