// A service that depends on solida imports the compiled package with plain Node (no tsx):
// `solida` for defineConfig/loadModel and `solida/exporter` for instrumentation.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'solida-consumer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the published package', () => {
  it('builds, and plain Node imports solida and solida/exporter and serves golden-signal metrics', async () => {
    await run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root });
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'solida'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    writeFileSync(
      join(dir, 'service.js'),
      `import http from 'node:http';
import { defineConfig } from 'solida';
import { createExporter } from 'solida/exporter';
const config = defineConfig({ services: [{ name: 'shop' }], slos: [] });
const exporter = createExporter({ service: config.services[0].name, routes: ['/items/:id'] });
const server = http.createServer(exporter.wrap((req, res) => res.end(req.url === '/boom' ? (res.statusCode = 503, 'x') : 'ok')));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = 'http://127.0.0.1:' + server.address().port;
await fetch(base + '/items/7'); await fetch(base + '/boom');
const metrics = await new Promise((resolve) => {
  const res = { statusCode: 200, headers: {}, setHeader(k, v) { this.headers[k] = v; }, writeHead(s, h) { this.statusCode = s; Object.assign(this.headers, h || {}); return this; }, end(body) { resolve(String(body)); } };
  exporter.metricsHandler({ headers: {}, method: 'GET', url: '/metrics' }, res);
});
console.log(metrics);
server.close(); await exporter.shutdown();
`,
    );
    const { stdout } = await run('node', ['service.js'], { cwd: dir });
    expect(stdout).toMatch(/http_server_request_duration_seconds_count\{[^}]*http_route="\/items\/:id"[^}]*\} 1/);
    expect(stdout).toMatch(/http_server_request_duration_seconds_count\{[^}]*error_type="503"[^}]*\} 1/);
  }, 120_000);
});
