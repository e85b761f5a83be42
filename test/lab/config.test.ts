// The lab's generated configuration, checked by the real tools (haproxy -c, promtool), and small parsers.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { haproxyConfig, parseStatsCsv } from '../../src/lab/haproxy.ts';
import { parseHosts } from '../../src/lab/inventory/db.ts';
import { planLab } from '../../src/lab/plan.ts';
import { backupStamp, listBaseBackups, primaryConninfo, serverSettings } from '../../src/lab/postgres.ts';
import { prometheusConfig } from '../../src/lab/prometheus.ts';
import { parse } from 'yaml';
import { binary } from '../support/binaries.ts';

const tmp = mkdtempSync(join(tmpdir(), 'solida-lab-config-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('generated configuration', () => {
  it('HAProxy accepts the regional and global load balancer configs', () => {
    const regional = haproxyConfig({
      name: 'alb-r1',
      port: 18080,
      statsPort: 18081,
      socket: join(tmp, 'alb.sock'),
      backend: 'inventory-r1',
      servers: [{ name: 'inventory-r1-a', port: 18082 }, { name: 'inventory-r1-b', port: 18083 }],
    });
    const global = haproxyConfig({
      name: 'global-front',
      port: 18090,
      statsPort: 18091,
      socket: null,
      backend: 'regions',
      servers: [{ name: 'r1', port: 18080 }, { name: 'r2', port: 18092, backup: true }],
    });
    expect(global).toContain('server r2 127.0.0.1:18092 check backup');
    for (const [name, text] of [['regional', regional], ['global', global]]) {
      const file = join(tmp, `${name}.cfg`);
      writeFileSync(file, text);
      const r = spawnSync(binary('haproxy'), ['-c', '-f', file], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
  });

  it('promtool accepts the Prometheus config, with one target per service instance and balancer', async () => {
    const lab = await planLab({ dir: tmp, regions: 2, osUser: 'postgres' });
    const text = prometheusConfig(lab, join(tmp, 'rules', '*.yml'));
    const file = join(tmp, 'prometheus.yml');
    writeFileSync(file, text);
    execFileSync(binary('promtool'), ['check', 'config', file], { stdio: 'pipe' });
    const config = parse(text) as { scrape_configs: { job_name: string; static_configs: { labels: Record<string, string> }[] }[] };
    const job = (name: string) => config.scrape_configs.find((j) => j.job_name === name)!.static_configs.map((s) => s.labels);
    expect(job('inventory').map((l) => `${l.region}/${l.az}`)).toEqual(['r1/a', 'r1/b', 'r2/a']);
    expect(job('haproxy').map((l) => l.component)).toEqual(['alb-r1', 'alb-r2', 'global-front']);
  });

  it('plans distinct free ports and a database layout per AZ', async () => {
    const lab = await planLab({ dir: tmp, regions: 1, osUser: 'postgres' });
    const ports = lab.components.flatMap((c) => [c.port, ...Object.values(c.extraPorts)]);
    expect(new Set(ports).size).toBe(ports.length);
    expect(lab.components.filter((c) => c.kind === 'postgres').map((c) => `${c.name}:${c.az}:${c.role}`)).toEqual([
      'db-r1-a:a:primary',
      'db-r1-b:b:standby',
    ]);
    expect(lab.database.synchronous).toBe(true);
  });

  it('archives WAL into the object store without overwriting', () => {
    const text = serverSettings({ port: 5999, socketDir: null, walArchiveDir: '/lab/objectstore/wal', clusterName: 'db-r1-a' });
    expect(text).toContain(`archive_command = 'test ! -f /lab/objectstore/wal/%f && cp %p /lab/objectstore/wal/%f'`);
    expect(text).toContain(`restore_command = 'cp /lab/objectstore/wal/%f %p'`);
    expect(text).toContain("unix_socket_directories = ''");
  });
});

describe('parsers', () => {
  it('reads server states from the HAProxy stats CSV', () => {
    const csv = [
      '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight',
      'alb-r1,FRONTEND,,,0,1,4000,5,0,0,0,0,0,,,,,OPEN,',
      'inventory-r1,inventory-r1-a,0,0,0,1,,3,0,0,,0,,0,0,0,0,UP,1',
      'inventory-r1,inventory-r1-b,0,0,0,1,,2,0,0,,0,,0,0,0,0,DOWN 1/2,1',
      'inventory-r1,BACKEND,0,0,0,1,400,5,0,0,0,0,,0,0,0,0,UP,2',
      'stats,FRONTEND,,,1,1,4000,1,0,0,0,0,0,,,,,OPEN,',
    ].join('\n');
    expect(parseStatsCsv(csv)).toEqual([
      { backend: 'inventory-r1', server: 'inventory-r1-a', status: 'UP', up: true },
      { backend: 'inventory-r1', server: 'inventory-r1-b', status: 'DOWN 1/2', up: false },
    ]);
  });

  it('parses DB_HOSTS and rejects a missing port', () => {
    expect(parseHosts('127.0.0.1:5432, 127.0.0.1:5433')).toEqual([
      { host: '127.0.0.1', port: 5432 },
      { host: '127.0.0.1', port: 5433 },
    ]);
    expect(() => parseHosts('127.0.0.1')).toThrow(/bad host:port/);
    expect(() => parseHosts('')).toThrow(/no database hosts/);
  });

  it('builds a multi-host primary_conninfo that targets the writable server', () => {
    expect(primaryConninfo({ ports: [5001, 5002], replicationUser: 'replicator', applicationName: 'db_r2_a' })).toBe(
      'host=127.0.0.1,127.0.0.1 port=5001,5002 user=replicator application_name=db_r2_a connect_timeout=2 target_session_attrs=read-write',
    );
    expect(primaryConninfo({ ports: [5001], replicationUser: 'r', applicationName: 'x' })).not.toContain('target_session_attrs');
  });

  it('names base backups by their start time and lists them oldest first', () => {
    const base = join(tmp, 'base');
    const t1 = new Date('2026-01-02T03:04:05.678Z');
    const t2 = new Date('2026-01-02T03:04:06.000Z');
    expect(backupStamp(t1)).toBe('20260102T030405678Z');
    for (const t of [t2, t1]) execFileSync('mkdir', ['-p', join(base, backupStamp(t))]);
    execFileSync('mkdir', ['-p', join(base, 'not-a-backup')]);
    expect(listBaseBackups(base).map((b) => b.startedAt.toISOString())).toEqual([t1.toISOString(), t2.toISOString()]);
  });
});
