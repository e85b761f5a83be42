// `solida gameday --load k6`: k6's NDJSON output turned into the same request records and write ledger as
// the built-in load. The parser is checked on real k6 output (test/fixtures/k6, counts from its
// README and k6's own end-of-test summary), and a whole az-failure game day runs on the lab with a
// stand-in k6 (k6 cannot be installed here) first on PATH, cross-checked against the database.
import { createServer, type Server } from 'node:http';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gamedayOptionsFromFlags } from '../../src/gameday/command.ts';
import { collectK6Records } from '../../src/gameday/k6-records.ts';
import { resolveK6, startK6GamedayLoad } from '../../src/gameday/load-k6.ts';
import { runGameday, type GamedayResult } from '../../src/gameday/orchestrator.ts';
import { component, labDown, readLab, withAdmin } from '../../src/lab/index.ts';
import { forEachK6Record } from '../../src/k6/points.ts';
import { SolidaError } from '../../src/util/errors.ts';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/k6');
const HERE = dirname(fileURLToPath(import.meta.url));

/** Installs the stand-in as an executable named k6 in a new temp dir; returns the dir. */
function installStandin(): string {
  const bin = mkdtempSync(join(tmpdir(), 'solida-k6-standin-'));
  copyFileSync(join(HERE, 'fixtures', 'k6-standin.mjs'), join(bin, 'k6-standin.mjs'));
  writeFileSync(join(bin, 'k6'), `#!/bin/sh\nexec "${process.execPath}" "${join(bin, 'k6-standin.mjs')}" "$@"\n`);
  chmodSync(join(bin, 'k6'), 0o755);
  return bin;
}

async function recordsOf(file: string) {
  const c = collectK6Records();
  await forEachK6Record(file, c.visitor);
  return c;
}

describe('k6 NDJSON → game-day request records', () => {
  it('real k6 output, pass run: 251 requests (k6 summary: http_reqs 251, http_req_failed 0.00%), all reads, all ok', async () => {
    const r = await recordsOf(join(FIXTURES, 'pass-points.jsonl.gz'));
    expect(r.samples).toHaveLength(251);
    expect(r.summary()).toEqual({ sent: 251, ok: 251, failed: 0, dropped: 0 });
    expect(r.samples.every((s) => s.kind === 'read' && s.status === 200 && s.seq === -1)).toBe(true);
    expect(r.ledger).toEqual([]);
    // The first request (first http_req_duration point): ended 17:45:50.997890629Z after 13.470947 ms.
    const first = r.samples[0];
    expect(first.endedAt).toBe(Date.UTC(2026, 10, 22, 17, 45, 50, 997));
    expect(first.latencyMs).toBe(13.470947);
    expect(first.scheduledAt).toBeCloseTo(Date.UTC(2026, 10, 22, 17, 45, 50, 997) - 13.470947, 6);
  });

  it('real k6 output, fail run: 13 of 251 requests failed with 503 (k6 summary: http_req_failed 5.17%, ✓ 13 ✗ 238)', async () => {
    const r = await recordsOf(join(FIXTURES, 'fail-points.jsonl.gz'));
    expect(r.summary()).toEqual({ sent: 251, ok: 238, failed: 13, dropped: 0 });
    expect(r.samples.filter((s) => !s.ok).every((s) => s.status === 503)).toBe(true);
  });

  it('writes: seq from the point metadata, ledger from solida_write_acked, dropped iterations are failures', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'solida-k6-records-'));
    try {
      const tags = (status: string, method = 'POST', op = 'write') => ({ expected_response: String(status.startsWith('2')), group: '', method, name: '/writes', op, proto: 'HTTP/1.1', scenario: 'gameday', status, url: 'http://127.0.0.1:1/writes' });
      const lines = [
        { type: 'Metric', data: { name: 'http_req_duration', type: 'trend', contains: 'time', thresholds: [], submetrics: null }, metric: 'http_req_duration' },
        { metric: 'http_req_duration', type: 'Point', data: { time: '2026-11-22T10:00:01.500Z', value: 20, tags: tags('201'), metadata: { seq: '0' } } },
        { type: 'Metric', data: { name: 'solida_write_acked', type: 'counter', contains: 'default', thresholds: [], submetrics: null }, metric: 'solida_write_acked' },
        { metric: 'solida_write_acked', type: 'Point', data: { time: '2026-11-22T10:00:01.501Z', value: 1, tags: { group: '', op: 'write', scenario: 'gameday' }, metadata: { seq: '0' } } },
        { metric: 'http_req_duration', type: 'Point', data: { time: '2026-11-22T10:00:02Z', value: 3, tags: tags('200', 'GET', 'read') } },
        { metric: 'http_req_duration', type: 'Point', data: { time: '2026-11-22T10:00:04Z', value: 2000, tags: { ...tags('0'), error: 'request timeout', error_code: '1050' }, metadata: { seq: '5' } } },
        { type: 'Metric', data: { name: 'dropped_iterations', type: 'counter', contains: 'default', thresholds: ['count<1'], submetrics: null }, metric: 'dropped_iterations' },
        { metric: 'dropped_iterations', type: 'Point', data: { time: '2026-11-22T10:00:05Z', value: 2, tags: { scenario: 'gameday' } } },
      ];
      const file = join(dir, 'points.json');
      writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
      const r = await recordsOf(file);
      const t = (iso: string) => Date.parse(iso);
      expect(r.samples).toEqual([
        { kind: 'write', seq: 0, scheduledAt: t('2026-11-22T10:00:01.480Z'), endedAt: t('2026-11-22T10:00:01.500Z'), latencyMs: 20, status: 201, ok: true, dropped: false },
        { kind: 'read', seq: -1, scheduledAt: t('2026-11-22T10:00:01.997Z'), endedAt: t('2026-11-22T10:00:02Z'), latencyMs: 3, status: 200, ok: true, dropped: false },
        { kind: 'write', seq: 5, scheduledAt: t('2026-11-22T10:00:02Z'), endedAt: t('2026-11-22T10:00:04Z'), latencyMs: 2000, status: 0, ok: false, dropped: false },
        { kind: 'read', seq: -1, scheduledAt: t('2026-11-22T10:00:05Z'), endedAt: t('2026-11-22T10:00:05Z'), latencyMs: 0, status: 0, ok: false, dropped: true },
        { kind: 'read', seq: -1, scheduledAt: t('2026-11-22T10:00:05Z'), endedAt: t('2026-11-22T10:00:05Z'), latencyMs: 0, status: 0, ok: false, dropped: true },
      ]);
      expect(r.ledger).toEqual([{ seq: 0, ackedAt: t('2026-11-22T10:00:01.501Z') }]);
      expect(r.summary()).toEqual({ sent: 3, ok: 2, failed: 1, dropped: 2 });

      // A script without the counter: the 2xx writes are the ledger.
      writeFileSync(file, [lines[0], lines[1], lines[5]].map((l) => JSON.stringify(l)).join('\n') + '\n');
      expect((await recordsOf(file)).ledger).toEqual([{ seq: 0, ackedAt: t('2026-11-22T10:00:01.500Z') }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--load', () => {
  it('k6 without k6 on PATH is bad input (exit 2); auto falls back to builtin; builtin never looks', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'solida-nok6-'));
    try {
      const err = await resolveK6('k6', empty).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SolidaError);
      expect((err as SolidaError).exitCode).toBe(2);
      expect(await resolveK6('auto', empty)).toBeUndefined();
      expect(await resolveK6('builtin', empty)).toBeUndefined();
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('the flag is parsed and checked', () => {
    expect(gamedayOptionsFromFlags('az-failure', { load: 'k6' }).load).toBe('k6');
    expect(gamedayOptionsFromFlags('az-failure', {}).load).toBeUndefined();
    expect(() => gamedayOptionsFromFlags('az-failure', { load: 'jmeter' })).toThrow(SolidaError);
  });
});

describe('the k6 load process', () => {
  let bin: string;
  let server: Server;
  let target: string;
  const writes: number[] = [];
  beforeAll(async () => {
    bin = installStandin();
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        if (req.method === 'POST' && url.pathname === '/writes') {
          writes.push(JSON.parse(body).seq);
          res.writeHead(201).end('{}');
        } else if (req.method === 'GET' && url.pathname === '/items' && url.searchParams.get('limit') === '1000') {
          // The lab's answer to the checked read: the seeded rows of the prefix. Under "stale-" one row
          // carries an old quantity (200, wrong content), as a restore from the wrong point would.
          const prefix = url.searchParams.get('prefix') ?? '';
          const items = [1, 2, 3].map((i) => ({ id: i, name: `${prefix}${i}`, quantity: prefix === 'stale-' && i === 2 ? 7 : i }));
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items }));
        } else res.writeHead(404).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    target = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(bin, { recursive: true, force: true });
  });

  it('records are read while k6 runs; SIGINT stops it cleanly; the ledger holds only writes the server took', async () => {
    const check = { prefix: 'gd-', rows: 3 };
    const load = startK6GamedayLoad({ k6: join(bin, 'k6'), scenario: 'az-failure', target, runId: 'r1', ratePerSecond: 40, writeEvery: 2, timeoutMs: 1000, check });
    const deadline = Date.now() + 15_000;
    while (load.samples.length < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(load.samples.length).toBeGreaterThanOrEqual(10); // seen before stop(): the file is tailed
    const summary = await load.stop();
    expect(await load.stop()).toEqual(summary); // idempotent
    expect(summary.sent).toBe(load.samples.length);
    expect(summary.failed).toBe(0);
    expect(load.notes!.filter((n) => /exited|ended with|not fully readable/.test(n))).toEqual([]);
    const ledger = load.ledger.map((w) => w.seq);
    expect(ledger.length).toBe(load.samples.filter((s) => s.kind === 'write').length);
    expect(ledger.every((seq) => seq % 2 === 0 && writes.includes(seq))).toBe(true);
    // Reads carry their seq too (the script sets the metadata for every iteration).
    expect(load.samples.filter((s) => s.kind === 'read').every((s) => s.seq % 2 === 1)).toBe(true);
  });

  it('a 200 read with stale content is a failed, incorrect read (the generated script’s check, run by k6)', async () => {
    const load = startK6GamedayLoad({ k6: join(bin, 'k6'), scenario: 'pitr', target, runId: 'r3', ratePerSecond: 40, writeEvery: 2, timeoutMs: 1000, check: { prefix: 'stale-', rows: 3 } });
    const deadline = Date.now() + 15_000;
    while (load.samples.length < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await load.stop();
    const reads = load.samples.filter((s) => s.kind === 'read');
    const writes = load.samples.filter((s) => s.kind === 'write');
    expect(reads.length).toBeGreaterThanOrEqual(4);
    expect(reads.every((s) => s.status === 200 && !s.ok && s.incorrect === true)).toBe(true);
    expect(writes.length).toBeGreaterThanOrEqual(4);
    expect(writes.every((s) => s.ok)).toBe(true);
  });

  it('a k6 that exits on its own (script error) is reported, not hidden', async () => {
    const broken = join(bin, 'k6-broken');
    writeFileSync(broken, '#!/bin/sh\necho \'level=error msg="SyntaxError: Unexpected token"\' >&2\nexit 107\n');
    chmodSync(broken, 0o755);
    const load = startK6GamedayLoad({ k6: broken, scenario: 'pitr', target, runId: 'r2', ratePerSecond: 10, writeEvery: 2, timeoutMs: 1000 });
    await new Promise((r) => setTimeout(r, 500));
    expect(await load.stop()).toEqual({ sent: 0, ok: 0, failed: 0, dropped: 0 });
    expect(load.notes!.join('\n')).toMatch(/k6 exited on its own before the game day stopped it \(code 107\): .*SyntaxError/);
  });
});

describe.sequential('az-failure on the lab with --load k6 (stand-in k6 first on PATH)', () => {
  const FAILOVER_DELAY = 5;
  const TIMEOUT_SECONDS = 2; // the orchestrator's per-request timeout
  let bin: string;
  const savedPath = process.env.PATH;
  const ackedFile = () => join(bin, 'acked.json');

  beforeAll(() => {
    bin = installStandin();
    process.env.PATH = `${bin}${delimiter}${savedPath}`;
    process.env.K6_STANDIN_ACKED = ackedFile();
  });
  afterAll(() => {
    process.env.PATH = savedPath;
    delete process.env.K6_STANDIN_ACKED;
    rmSync(bin, { recursive: true, force: true });
  });

  it('same verdict and figures as the built-in load: no acknowledged write lost, outage ≈ the failover delay, ledger = what k6 saw acknowledged = in the database', async () => {
    const result: GamedayResult = await runGameday({
      scenario: 'az-failure',
      load: 'k6',
      ratePerSecond: 30,
      baselineSeconds: 5,
      windowSeconds: 5,
      sustainSeconds: 10,
      failoverDelaySeconds: FAILOVER_DELAY,
      keep: true,
    });
    try {
      const r = result.report;
      expect(r.load.driver).toBe('k6');
      expect(r.verdict, r.reasons.join('; ')).toBe('pass');
      expect(r.rpo.lostWrites).toBe(0);
      expect(r.rto.measuredSeconds).not.toBeNull();
      expect(r.rto.measuredSeconds!).toBeGreaterThanOrEqual(FAILOVER_DELAY - TIMEOUT_SECONDS);
      expect(r.rto.measuredSeconds!).toBeLessThanOrEqual(120);
      // The outage was seen through k6's output: failed requests after the fault.
      const faultAt = Date.parse(r.faultStartedAt!);
      expect(result.samples.filter((s) => s.scheduledAt >= faultAt && !s.ok).length).toBeGreaterThan(0);
      expect(r.notes.some((n) => n.startsWith('load by k6'))).toBe(true);

      // The ledger is exactly what the stand-in saw acknowledged…
      const standin = (JSON.parse(readFileSync(ackedFile(), 'utf8')) as number[]).sort((a, b) => a - b);
      const ledger = result.ledger.map((w) => w.seq).sort((a, b) => a - b);
      expect(standin.length).toBeGreaterThan(50);
      expect(ledger).toEqual(standin);
      expect(r.rpo.acknowledgedWrites).toBe(standin.length);
      // …and every acknowledged write is in the database the service ended on (read here, not by the run).
      const lab = readLab(result.labDir);
      const rows = await withAdmin(component(lab, result.readFrom!.name).port, (sql) => sql`select seq from writes where run = ${r.load.runId}`, { database: 'inventory' });
      const present = new Set(rows.map((row) => Number(row.seq)));
      expect(standin.filter((s) => !present.has(s))).toEqual([]);
      // Writes only go out every 2nd request: seq parity says the stand-in followed WRITE_EVERY.
      expect([...present].every((s) => s % 2 === 0)).toBe(true);
    } finally {
      await labDown(result.labDir);
      rmSync(dirname(result.labDir), { recursive: true, force: true });
    }
  }, 240_000);
});
