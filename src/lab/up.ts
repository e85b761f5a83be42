// `lab up`: plan, write configs, start every process, wire replication, wait until all is healthy.
// Any failure or Ctrl-C on the way tears down whatever was started (no orphans).
import { stopInflight } from './inflight.ts';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SolidaError } from '../util/errors.ts';
import { spawnComponent, runtime, waitReady, type Runtime } from './components.ts';
import { component, labExists, readLab, resolveLabDir, writeLab, type LabComponent, type LabDescription } from './description.ts';
import { teardown } from './down.ts';
import { haproxyConfig } from './haproxy.ts';
import { INVENTORY_SCHEMA } from './inventory/schema.ts';
import { haproxyConfigFile, planLab, prometheusConfigFile, prometheusRulesDir, regionWalDir, socketPath } from './plan.ts';
import {
  archiveSettings,
  baseBackup,
  configureStandby,
  initdb,
  ownedDir,
  pgIdent,
  replicasOf,
  withAdmin,
  writeServerSettings,
} from './postgres.ts';
import { isAlive } from './processes.ts';
import { assertDeletableLab, claimLabDir } from './ownership.ts';
import { createLabSecret, readLabSecret } from './secrets.ts';
import { takeBaseBackup } from './backup.ts';
import { demoRules, frontDoorRules, prometheusConfig } from './prometheus.ts';
import { backfillHistory, type HistoryOptions } from './history.ts';
import { findBinary } from '../util/binaries.ts';
import { waitFor } from './wait.ts';

export interface UpOptions {
  dir?: string;
  regions?: 1 | 2;
  /** Asynchronous standby in r1 (default: synchronous). */
  async?: boolean;
  /** Tear down on SIGINT/SIGTERM during `up` and exit (the CLI sets this). */
  handleSignals?: boolean;
  /** Progress messages (the CLI prints them to stderr). */
  log?: (msg: string) => void;
  /** SLO spec whose rules Prometheus loads (none: Prometheus runs without SLO rules; the CLI passes the example spec). */
  sloConfig?: string;
  /** Steady-state history Prometheus starts with (backfilled blocks); none: it starts empty. */
  history?: HistoryOptions;
}

export interface UpResult {
  lab: LabDescription;
  seconds: number;
  /** Why no SLO rules were loaded, when none were. */
  rulesSkipped?: string;
  ruleFiles: string[];
}

function ensureNoRunningLab(dir: string): void {
  if (!labExists(dir)) {
    // Creates the directory (or adopts an empty one) with the ownership marker; anything else is refused.
    claimLabDir(dir);
    return;
  }
  const old = readLab(dir);
  const alive = old.components.filter((c) => isAlive(c.pid, c.startTicks));
  if (alive.length > 0) {
    throw new SolidaError(`a lab is already running in ${dir}`, 2, [
      { message: `running: ${alive.map((c) => `${c.name} (pid ${c.pid})`).join(', ')}`, fix: `run \`solida lab down --dir ${dir}\` first, or use another --dir` },
    ]);
  }
  // A stale lab (everything dead): its directory is replaced, if solida made it.
  assertDeletableLab(dir, 'replace the stale lab in');
  rmSync(dir, { recursive: true, force: true });
  claimLabDir(dir);
}

// PostgreSQL runs as an unprivileged user: every directory above the lab must let it through.
function checkReachable(dir: string, rt: Runtime): void {
  mkdirSync(dir, { recursive: true });
  const probe = spawnSync('test', ['-x', dir], { uid: rt.pgUser.uid, gid: rt.pgUser.gid });
  if (probe.status !== 0) {
    throw new SolidaError(`the PostgreSQL user (${rt.pgUser.name}) cannot reach ${dir}`, 2, [
      { message: 'a directory above the lab directory is not searchable by that user', fix: 'choose another --dir, or chmod o+x the parent directories' },
    ]);
  }
}

function writeConfigs(lab: LabDescription, rules: { path: string; content: string }[]): string[] {
  mkdirSync(join(lab.dir, 'haproxy'), { recursive: true });
  mkdirSync(join(lab.dir, 'run'), { recursive: true });
  for (const c of lab.components.filter((x) => x.kind === 'haproxy')) {
    const servers =
      c.role === 'global-front'
        ? lab.regions.map((r, i) => ({ name: r, port: component(lab, `alb-${r}`).port, backup: i > 0 }))
        : lab.components.filter((x) => x.kind === 'inventory' && x.region === c.region).map((x) => ({ name: x.name, port: x.port }));
    const text = haproxyConfig({
      name: c.name,
      port: c.port,
      statsPort: c.extraPorts.stats,
      socket: socketPath(lab.dir, `${c.name}.sock`),
      backend: c.role === 'global-front' ? 'regions' : `inventory-${c.region}`,
      servers,
    });
    writeFileSync(haproxyConfigFile(lab.dir, c.name), text);
  }
  const rulesDir = prometheusRulesDir(lab.dir);
  mkdirSync(rulesDir, { recursive: true });
  const written: string[] = [];
  for (const r of rules) {
    const file = join(rulesDir, basename(r.path));
    writeFileSync(file, r.content);
    written.push(file);
  }
  mkdirSync(component(lab, 'prometheus').dataDir!, { recursive: true });
  writeFileSync(prometheusConfigFile(lab.dir), prometheusConfig(lab, join(rulesDir, '*.y*ml')));
  return written;
}

async function setUpPrimary(lab: LabDescription, primary: LabComponent, rt: Runtime): Promise<void> {
  const db = lab.database;
  const password = readLabSecret(lab.dir) ?? undefined;
  await initdb(rt.bins.pgBin, primary.dataDir!, rt.pgUser, db.superuser, password);
  writeServerSettings(primary.dataDir!, {
    port: primary.port,
    socketDir: db.socketDir,
    walArchiveDir: lab.objectStore.walDir,
    clusterName: primary.name,
  });
  spawnComponent(lab, primary.name, rt);
  await waitReady(lab, primary);
  await withAdmin(primary.port, async (sql) => {
    // One lab secret for every role (base64url: safe inside the literal); null only for pre-secret labs.
    const pw = password ? ` password '${password}'` : '';
    await sql.unsafe(`create role ${db.replicationUser} with replication login${pw}`);
    await sql.unsafe(`create role ${db.user} with login${pw}`);
    await sql.unsafe(`create database ${db.name} owner ${db.user}`);
  });
  await withAdmin(primary.port, (sql) => sql.unsafe(`set role ${db.user};\n${INVENTORY_SCHEMA}`).simple(), { database: db.name });
}

export async function startCopy(lab: LabDescription, copy: LabComponent, primary: LabComponent, rt: Runtime): Promise<void> {
  // r1's standby holds a slot on the primary (no WAL it needs is ever removed). r2's replica has none,
  // but can follow whichever r1 server is the primary and falls back on the WAL archive.
  const inRegion = copy.region === primary.region;
  const slot = inRegion ? pgIdent(copy.name) : undefined;
  await baseBackup(rt.bins.pgBin, rt.pgUser, { port: primary.port, replicationUser: lab.database.replicationUser }, copy.dataDir!, { slot });
  const upstreamPorts = inRegion
    ? [primary.port]
    : lab.components.filter((c) => c.kind === 'postgres' && c.region === primary.region).map((c) => c.port);
  configureStandby(
    copy.dataDir!,
    rt.pgUser,
    copy.port,
    copy.name,
    {
      ports: upstreamPorts,
      replicationUser: lab.database.replicationUser,
      applicationName: pgIdent(copy.name),
      slotName: slot,
      password: readLabSecret(lab.dir) ?? undefined,
    },
    archiveSettings(regionWalDir(lab, copy.region)),
  );
  spawnComponent(lab, copy.name, rt);
  await waitReady(lab, copy);
}

async function waitStreaming(primary: LabComponent, names: string[]): Promise<void> {
  await waitFor(
    async () => {
      const replicas = await replicasOf(primary.port);
      return names.every((n) => replicas.some((r) => r.applicationName === n && r.state === 'streaming'));
    },
    { what: `replication from ${primary.name} to ${names.join(', ')}`, timeoutMs: 20_000, logFile: primary.logFile },
  );
}

export async function makeSynchronous(primary: LabComponent, standby: string): Promise<void> {
  await withAdmin(primary.port, async (sql) => {
    await sql.unsafe(`alter system set synchronous_standby_names = '${standby}'`);
    await sql`select pg_reload_conf()`;
  });
  await waitFor(async () => (await replicasOf(primary.port)).some((r) => r.applicationName === standby && r.syncState === 'sync'), {
    what: `${standby} as synchronous standby`,
    timeoutMs: 10_000,
  });
}

async function waitPrometheusTargets(lab: LabDescription, expectRules: boolean): Promise<void> {
  const prom = component(lab, 'prometheus');
  const expected = lab.components.filter((c) => c.kind === 'inventory' || c.kind === 'haproxy').length + 1;
  await waitFor(
    async () => {
      const res = await fetch(`${prom.url}/api/v1/targets?state=active`, { signal: AbortSignal.timeout(2000) });
      const body = (await res.json()) as { data: { activeTargets: { health: string }[] } };
      const targets = body.data.activeTargets;
      if (targets.length < expected || !targets.every((t) => t.health === 'up')) return false;
      if (!expectRules) return true;
      const rules = (await (await fetch(`${prom.url}/api/v1/rules`)).json()) as { data: { groups: unknown[] } };
      return rules.data.groups.length > 0;
    },
    { what: 'Prometheus scraping every target', timeoutMs: 20_000, logFile: prom.logFile, stillRunning: () => isAlive(prom.pid, prom.startTicks) },
  );
}

export async function labUp(opts: UpOptions = {}): Promise<UpResult> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const dir = resolveLabDir(opts.dir);
  const rt = runtime();
  ensureNoRunningLab(dir);
  createLabSecret(dir);
  checkReachable(dir, rt);
  const lab = await planLab({ dir, regions: opts.regions, synchronous: !opts.async, osUser: rt.pgUser.name });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  writeLab(lab);

  let interrupted: Promise<unknown> | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    lab.state = 'stopping';
    log(`${signal}: stopping what was started`);
    // Helpers first (initdb would run on for seconds, its password file left in /tmp), then the lab.
    interrupted = stopInflight()
      .then(() => teardown(lab.dir, { keep: false }))
      .catch((err: Error) => log(`teardown: ${err.message}`))
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  if (opts.handleSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  try {
    const rules: Awaited<ReturnType<typeof demoRules>> = await demoRules(opts.sloConfig).catch((err: Error) => ({ files: [], skipped: `rule generation failed: ${err.message}` }));
    if (rules.files.length) rules.files.push(...frontDoorRules(lab));
    if (rules.skipped) log(`no SLO rules: ${rules.skipped}`);
    if (rules.sloBuckets?.length) {
      lab.sloBuckets = rules.sloBuckets;
      writeLab(lab);
    }
    const ruleFiles = writeConfigs(lab, rules.files);
    ownedDir(lab.objectStore.dir, rt.pgUser, 0o755);
    for (const region of lab.regions) ownedDir(regionWalDir(lab, region), rt.pgUser, 0o755);
    ownedDir(lab.objectStore.baseBackupsDir, rt.pgUser, 0o755);
    ownedDir(join(dir, 'pg'), rt.pgUser, 0o755);
    // The socket directory belongs to the PostgreSQL user alone (0700): no other local user reaches the socket.
    if (lab.database.socketDir) ownedDir(lab.database.socketDir, rt.pgUser, 0o700);

    // The history goes in before Prometheus opens its data directory.
    if (opts.history) {
      const promtool = findBinary('promtool');
      if (!promtool) throw new SolidaError('promtool not found (needed to backfill Prometheus history)', 2, [{ message: 'promtool is in the Debian prometheus package', fix: 'apt-get install prometheus' }]);
      const t0 = Date.now();
      await backfillHistory(lab, promtool, component(lab, 'prometheus').dataDir!, opts.history);
      log(`backfilled ${((opts.history.seconds ?? 22_200) / 3600).toFixed(1)} h of steady-state history at ${opts.history.ratePerSecond} req/s (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
    // Stateless processes start first: they come up while the database is being built.
    log('starting Prometheus, HAProxy and the inventory instances');
    for (const c of lab.components.filter((x) => x.kind !== 'postgres')) spawnComponent(lab, c.name, rt);

    const primary = component(lab, 'db-r1-a');
    log('creating the r1 primary (initdb)');
    await setUpPrimary(lab, primary, rt);
    const copies = lab.components.filter((c) => c.kind === 'postgres' && c !== primary);
    log(`cloning ${copies.map((c) => c.name).join(', ')} (pg_basebackup) and taking the first base backup`);
    const [, backup] = await Promise.all([
      Promise.all(copies.map((c) => startCopy(lab, c, primary, rt))),
      takeBaseBackup(lab, rt, primary),
    ]);
    log(`base backup in ${backup}`);
    await waitStreaming(primary, copies.map((c) => pgIdent(c.name)));
    if (lab.database.synchronous) await makeSynchronous(primary, pgIdent('db-r1-b'));

    log('waiting for every component to be healthy');
    const active = lab.components.filter((c) => c.kind !== 'postgres' && (c.region !== 'r2' || c.kind === 'haproxy'));
    await Promise.all(active.map((c) => waitReady(lab, c, { requireHealthyBackends: c.region !== 'r2' })));
    await waitPrometheusTargets(lab, ruleFiles.length > 0);
    lab.state = 'up';
    writeLab(lab);
    return { lab, seconds: (Date.now() - started) / 1000, rulesSkipped: rules.skipped, ruleFiles };
  } catch (err) {
    // Interrupted: the signal handler tears down and exits (130); rejecting now would exit first, with 1.
    if (interrupted) await interrupted;
    lab.state = 'failed';
    writeLab(lab);
    log(`lab up failed; stopping what was started (logs kept in ${join(dir, 'logs')})`);
    await teardown(lab.dir, { keep: true }).catch(() => {});
    throw err;
  } finally {
    if (opts.handleSignals) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
