// k6 scripts: one per service (constant arrival rate over the SLO routes, SLO thresholds), and the
// game-day load for each DR scenario (reads + writes that carry a client sequence id, so acknowledged
// writes can be checked against the database after recovery). Everything a user may vary at run time
// comes from __ENV; everything from the model is embedded as JSON literals (no string-built code).
import type { SolidaModel } from '../slo/model.ts';
import { durationText, SCENARIO_TABLE, SCENARIOS, type ScenarioName } from '../scenarios/index.ts';
import { groupByMetric, k6ThresholdsFromModel, type K6ThresholdSet } from './thresholds.ts';
import { parseThresholdExpr } from './threshold-expr.ts';

/** Per scenario: how long the load runs (steady state, fault, recovery) and what the fault is. */
export const GAMEDAY_SCENARIOS: Readonly<Record<ScenarioName, { duration: string; fault: string }>> = Object.fromEntries(
  SCENARIOS.map((s) => [s, { duration: durationText(SCENARIO_TABLE[s].loadSeconds), fault: SCENARIO_TABLE[s].fault }]),
) as Record<ScenarioName, { duration: string; fault: string }>;

export type GamedayScenario = ScenarioName;

const BASE_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'];

/** The percentiles the thresholds use must be in the summary, or the gate cannot read them back. */
export function summaryTrendStatsFor(set: { thresholds: { expression: string }[] }): string[] {
  const stats = [...BASE_TREND_STATS];
  for (const t of set.thresholds) {
    const e = parseThresholdExpr(t.expression);
    if (e?.stat.startsWith('p(') && !stats.includes(e.stat)) stats.push(e.stat);
  }
  return stats;
}

/** Text safe inside a // comment line. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/** JSON literal laid out for reading: one object key per line, arrays of scalars on one line. */
function js(value: unknown, indent = '  '): string {
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) return JSON.stringify(value).replace(/","/g, '", "');
  if (Array.isArray(value)) return `[\n${value.map((v) => `${indent}  ${js(v, `${indent}  `)},`).join('\n')}\n${indent}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.every(([, v]) => typeof v !== 'object' || v === null) && entries.length <= 3) {
      return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')} }`;
    }
    return `{\n${entries.map(([k, v]) => `${indent}  ${JSON.stringify(k)}: ${js(v, `${indent}  `)},`).join('\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** A route template (/items/:id, /items/{id}) made requestable; the template stays the `name` tag. */
export function concretePath(route: string): string {
  return route.replace(/:[A-Za-z_]\w*|\{[^}]+\}|\*/g, '1');
}

function serviceRoutes(model: SolidaModel, service: string): string[] {
  const routes = new Set<string>();
  for (const s of model.slos) {
    if (s.service === service && s.sli.source === 'prometheus' && s.sli.origin.kind === 'golden' && s.sli.origin.route) routes.add(s.sli.origin.route);
  }
  return [...routes];
}

function thresholdComments(set: K6ThresholdSet): string[] {
  const lines = set.thresholds.map((t) => `  ${t.metric}: ${t.expression}  (${t.rationale})`);
  for (const s of set.skipped) lines.push(`  (not judged here) ${s.sloId}: ${s.reason}`);
  return lines.length ? lines : ['  (none: this service has no SLO a load test can judge)'];
}

export interface RouteScriptSpec {
  /** Comment lines (without //) opening the file. */
  header: string[];
  /** Test-wide service tag (multi-service thresholds filter on it). */
  service?: string;
  /** Route templates; each is requested with concrete ids and tagged name=<template>. */
  routes: string[];
  defaultRate: number;
  defaultDuration: string;
  thresholds: Record<string, string[]>;
  summaryTrendStats: string[];
}

/** A constant-arrival-rate GET load over routes: the shape of the service scripts and of `gate --url` with k6. */
export function renderRouteK6Script(spec: RouteScriptSpec): string {
  const routeList = (spec.routes.length ? spec.routes : ['/']).map((r) => ({ name: r, path: concretePath(r) }));
  return `${spec.header.map((l) => `// ${oneLine(l)}`.trimEnd()).join('\n')}
import http from 'k6/http';
import exec from 'k6/execution';
import { check } from 'k6';

const TARGET = (__ENV.TARGET || 'http://127.0.0.1:8080').replace(/\\/+$/, '');
const RATE = Number(__ENV.RATE || ${spec.defaultRate});
// \`name\` is the route template the SLO is scoped to; \`path\` is what gets requested.
const ROUTES = ${js(routeList, '')};

export const options = {
${spec.service ? `  tags: { service: ${JSON.stringify(spec.service)} },\n` : ''}  summaryTrendStats: ${js(spec.summaryTrendStats)},
  scenarios: {
    steady: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: __ENV.DURATION || ${JSON.stringify(spec.defaultDuration)},
      preAllocatedVUs: Math.max(10, Math.ceil(RATE / 2)),
      maxVUs: Math.max(50, RATE * 5),
    },
  },
  thresholds: ${js({ ...spec.thresholds, dropped_iterations: ['count<1'] })},
};

export default function () {
  const route = ROUTES[exec.scenario.iterationInTest % ROUTES.length];
  const res = http.get(TARGET + route.path, { tags: { name: route.name } });
  check(res, { 'status is 2xx/3xx': (r) => r.status >= 200 && r.status < 400 });
}
`;
}

export function renderServiceK6Script(model: SolidaModel, service: string): string {
  const set = k6ThresholdsFromModel(model, { service });
  const expected = Math.max(0, ...model.slos.filter((s) => s.service === service).map((s) => s.expectedEventsPerSecond ?? 0));
  const defaultRate = expected > 0 ? Math.ceil(expected) : 10;
  return renderRouteK6Script({
    header: [
      `Generated by solida from ${model.source}. Do not edit: run \`solida generate k6\` again.`,
      `Load test for service "${service}": constant arrival rate (open model: a slow or failing server`,
      'does not lower the offered load), thresholds derived from its SLOs:',
      ...thresholdComments(set),
      '',
      'Run, then gate:',
      `  k6 run -e TARGET=https://staging.example.com --summary-export summary.json --out json=points.json.gz ${service}.k6.js`,
      `  solida gate --k6-summary summary.json --k6-points points.json.gz --config ${model.source} --service ${service}`,
      `Tunables: TARGET (base URL), RATE (requests/s, default ${defaultRate}), DURATION (default 1m).`,
    ],
    service,
    routes: serviceRoutes(model, service),
    defaultRate,
    defaultDuration: '1m',
    thresholds: set.byMetric,
    summaryTrendStats: summaryTrendStatsFor(set),
  });
}

export interface GamedayScriptOptions {
  /** Thresholds from the model (only route-less ones apply: game-day requests are not SLO routes). */
  thresholds?: K6ThresholdSet;
  source?: string;
}

export function renderGamedayK6Script(scenario: GamedayScenario, opts: GamedayScriptOptions = {}): string {
  const info = GAMEDAY_SCENARIOS[scenario];
  const applicable = opts.thresholds?.thresholds.filter((t) => Object.keys(t.selector.tags).length === 0) ?? [];
  const thresholds = groupByMetric(applicable);
  // An open model that drops iterations no longer offers the load it claims: the run is invalid.
  thresholds.dropped_iterations = ['count<1'];
  const trendStats = summaryTrendStatsFor({ thresholds: applicable });
  const origin = opts.source ? `Generated by solida from ${oneLine(opts.source)}` : 'Generated by solida (no SLO model: add yours with `solida generate k6 --config`)';
  const sloLines = applicable.length
    ? applicable.map((t) => `//   ${t.metric}: ${t.expression}  (${oneLine(t.rationale)})`).join('\n')
    : '//   (none from SLOs)';
  return `// ${origin}. Do not edit: run \`solida generate k6\` again.
// DR game day "${scenario}": ${info.fault}.
// Reads and writes at a constant arrival rate for the whole scenario. Every write carries a client
// sequence id (body, X-Client-Seq header, and the sample metadata \`seq\`, which k6 writes to its JSON
// output without indexing it as a tag), and each acknowledged write adds one to solida_write_acked,
// so the ledger of acknowledged writes can be rebuilt from --out json and checked against the database.
// Thresholds:
${sloLines}
//   dropped_iterations: count<1  (a dropped iteration means the offered load was not held)
// The fault is expected to cross SLO thresholds: the game day judges RTO and RPO itself.
//
//   k6 run -e TARGET=http://127.0.0.1:8080 --summary-export summary.json --out json=points.json.gz ${scenario}.js
// Tunables: TARGET, RATE (requests/s, default 50), DURATION (default ${info.duration}), WRITE_EVERY (every Nth
// request is a write, default 5), READ_PATH (default /items?limit=1000), WRITE_PATH (default /writes, the
// lab's sequence-marked writes), REQUEST_TIMEOUT (default 5s), RUN_ID, and the read check: CHECK_PREFIX and
// CHECK_ROWS — the rows "<prefix><i>" with quantity i (i = 1..CHECK_ROWS) every read must return, so a
// corrupted or stale answer is a failed read, not a success.
import http from 'k6/http';
import exec from 'k6/execution';
import { check } from 'k6';
import { Counter } from 'k6/metrics';

const SCENARIO = ${JSON.stringify(scenario)};
const TARGET = (__ENV.TARGET || 'http://127.0.0.1:8080').replace(/\\/+$/, '');
const RATE = Number(__ENV.RATE || 50);
const WRITE_EVERY = Math.max(1, Number(__ENV.WRITE_EVERY || 5));
const CHECK_PREFIX = __ENV.CHECK_PREFIX || '';
const CHECK_ROWS = Number(__ENV.CHECK_ROWS || 0);
const READ_PATH = (__ENV.READ_PATH || '/items?limit=1000') + (CHECK_PREFIX ? '&prefix=' + encodeURIComponent(CHECK_PREFIX) : '');
const WRITE_PATH = __ENV.WRITE_PATH || '/writes';
// Short timeouts: during an outage a hung request would hold a VU for k6's default 60 s.
const TIMEOUT = __ENV.REQUEST_TIMEOUT || '5s';
const TIMEOUT_SECONDS = /ms$/.test(TIMEOUT) ? parseFloat(TIMEOUT) / 1000 : parseFloat(TIMEOUT);
// During an outage every request may hang for the whole timeout: RATE × timeout requests are in flight
// at once, each holding a VU. Fewer pre-allocated VUs and k6 drops iterations exactly when it matters.
const VUS = Math.ceil(RATE * TIMEOUT_SECONDS * 1.2) + 10;
const acked = new Counter('solida_write_acked');
const incorrect = new Counter('solida_read_incorrect');

export const options = {
  tags: { gameday: SCENARIO },
  summaryTrendStats: ${js(trendStats)},
  scenarios: {
    gameday: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: __ENV.DURATION || ${JSON.stringify(info.duration)},
      preAllocatedVUs: VUS,
      maxVUs: VUS * 2,
    },
  },
  thresholds: ${js(thresholds)},
};

// setup() runs once, so every VU shares one run id (init code runs once per VU).
export function setup() {
  return { runId: __ENV.RUN_ID || SCENARIO + '-' + Date.now() };
}

/** The known rows, exactly: anything missing, extra or changed is corruption or stale data. */
function readIsCorrect(r) {
  if (r.status < 200 || r.status >= 300) return false;
  if (!CHECK_PREFIX || CHECK_ROWS <= 0) return true;
  let items;
  try {
    items = r.json('items');
  } catch (e) {
    return false;
  }
  if (!Array.isArray(items) || items.length !== CHECK_ROWS) return false;
  const seen = {};
  for (const it of items) seen[it.name] = it.quantity;
  for (let i = 1; i <= CHECK_ROWS; i++) if (seen[CHECK_PREFIX + i] !== i) return false;
  return true;
}

export default function (data) {
  // Unique across all VUs of the scenario: the client sequence id (on reads too, to match their check).
  const seq = exec.scenario.iterationInTest;
  exec.vu.metrics.metadata.seq = String(seq);
  try {
    if (seq % WRITE_EVERY === 0) {
      // \`run\` is the field the lab's POST /writes files the write under; runId for other services.
      const body = JSON.stringify({ run: data.runId, runId: data.runId, seq: seq, sentAt: Date.now() });
      const res = http.post(TARGET + WRITE_PATH, body, {
        headers: { 'Content-Type': 'application/json', 'X-Client-Seq': String(seq), 'X-Run-Id': data.runId },
        tags: { op: 'write', name: WRITE_PATH },
        timeout: TIMEOUT,
      });
      const ok = check(res, { 'write acknowledged': (r) => r.status >= 200 && r.status < 300 });
      if (ok) acked.add(1, { op: 'write' });
    } else {
      const res = http.get(TARGET + READ_PATH, { tags: { op: 'read', name: READ_PATH }, timeout: TIMEOUT });
      const ok = check(res, { 'read correct': readIsCorrect });
      if (!ok && res.status >= 200 && res.status < 300) incorrect.add(1, { op: 'read' });
    }
  } finally {
    delete exec.vu.metrics.metadata.seq;
  }
}
`;
}

export interface GeneratedFile {
  path: string;
  content: string;
}

/** All k6 scripts for a model: one per service with SLOs, and the game-day scenarios. */
export function generateK6Scripts(model: SolidaModel, opts: { service?: string } = {}): GeneratedFile[] {
  const services = [...new Set(model.slos.map((s) => s.service))].filter((s) => !opts.service || s === opts.service);
  const files: GeneratedFile[] = services.map((s) => ({ path: `${s}.k6.js`, content: renderServiceK6Script(model, s) }));
  // Game days run against one service: its SLO thresholds apply when that service is unambiguous.
  const gamedayService = opts.service ?? (services.length === 1 ? services[0] : undefined);
  const thresholds = gamedayService ? k6ThresholdsFromModel(model, { service: gamedayService }) : undefined;
  for (const scenario of Object.keys(GAMEDAY_SCENARIOS) as GamedayScenario[]) {
    files.push({ path: `gameday/${scenario}.js`, content: renderGamedayK6Script(scenario, { thresholds, source: model.source }) });
  }
  return files;
}
