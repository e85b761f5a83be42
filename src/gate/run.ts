// `solida gate`: read k6 results (or run the load with the built-in generator), evaluate every
// threshold, print the verdict table, write the requested reports. Returns the exit code
// (0 pass, 1 a threshold crossed); bad input throws SolidaError (exit code 2).
import { loadModel } from '../slo/load.ts';
import { parseDuration } from '../slo/duration.ts';
import type { SolidaModel } from '../slo/model.ts';
import { SolidaError } from '../util/errors.ts';
import { runOpenModel, validateOpenModel, type LoadRequest } from '../loadgen/open-model.ts';
import { evaluateGate, collectThresholds, percentilesNeeded, type GateInput, type GateReport, type ThresholdSpec } from './gate.ts';
import { gateJson, renderGateJunit, renderGateMarkdown, renderGateTable } from './render.ts';
import { LoadgenRecorder } from '../k6/from-loadgen.ts';
import { readK6Points } from '../k6/points.ts';
import { parseMetricKey, selectorIdentity, type MetricSelector } from '../k6/selector.ts';
import { readK6Summary } from '../k6/summary.ts';
import { groupByMetric, k6ThresholdsFromModel, type K6ThresholdSet } from '../k6/thresholds.ts';
import type { K6Result } from '../k6/types.ts';
import { writeFileAtomically } from '../util/files.ts';
import { findOnPath, runK6 } from '../k6/runner.ts';
import { concretePath, summaryTrendStatsFor } from '../k6/script.ts';
import { match } from 'path-to-regexp';
import { rm } from 'node:fs/promises';

export interface GateOptions {
  k6Summary?: string;
  k6Points?: string;
  config?: string;
  /** Only this service's SLOs. */
  service?: string;
  /** Extra thresholds, `METRIC: EXPR` (e.g. `http_req_duration{name:/items}: p(99)<300`). */
  threshold?: string[];
  json?: string;
  junit?: string;
  markdown?: string;
  /** Run the load (built-in open-model generator) against this base URL. */
  target?: string;
  /** Requests per second for --target (default: the SLOs' expected traffic, else 10). */
  rate?: number;
  /** How long to run for --target (default 30s). */
  duration?: string;
  /** Paths to request for --target (default: the SLOs' concrete routes, else /). */
  path?: string[];
  maxInFlight?: number;
  timeout?: string;
  /** Who generates the load for --target: k6 when on PATH (auto, the default), k6, or builtin. */
  load?: string;
}

export interface GateIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processIo: GateIo = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
};

/** Overridable for tests that run without a config file on disk. */
export type ModelLoader = (file: string) => Promise<SolidaModel>;

const THRESHOLD_ARG_RE = /^\s*([^\s{}:=]+(?:\{[^}]*\})?)\s*[:=]?\s*(.+?)\s*$/;

export function parseThresholdArg(arg: string): ThresholdSpec {
  const m = THRESHOLD_ARG_RE.exec(arg);
  if (!m || !parseMetricKey(m[1])) {
    throw new SolidaError(`bad --threshold ${JSON.stringify(arg)}`, 2, [
      { path: '--threshold', message: `cannot read ${JSON.stringify(arg)}`, fix: 'write METRIC: EXPR, e.g. "http_req_failed: rate<0.01" or "http_req_duration{name:/items}: p(99)<300"' },
    ]);
  }
  return { metric: m[1], expression: m[2], origin: 'cli' };
}

function seconds(text: string | undefined, fallback: number, flag: string): number {
  if (text === undefined) return fallback;
  const d = parseDuration(text);
  if (!d) throw new SolidaError(`bad ${flag} ${JSON.stringify(text)}`, 2, [{ path: flag, message: 'not a duration', fix: 'write it like 30s, 2m, 1m30s' }]);
  return d.seconds;
}

export async function runGate(opts: GateOptions, io: GateIo = processIo, load: ModelLoader = loadModel): Promise<number> {
  const given = [opts.k6Summary, opts.k6Points].filter(Boolean).length;
  if (given === 0 && !opts.target) {
    throw new SolidaError('nothing to evaluate', 2, [
      { message: 'no k6 results and no target', fix: 'pass --k6-summary FILE (k6 --summary-export or handleSummary JSON), --k6-points FILE (k6 --out json), or --url URL to run the load' },
    ]);
  }
  if (given > 0 && opts.target) {
    throw new SolidaError('--url runs a new test: it cannot be combined with --k6-summary/--k6-points', 2);
  }

  const model = opts.config ? await load(opts.config) : undefined;
  let slo: K6ThresholdSet | undefined;
  if (model) {
    slo = k6ThresholdsFromModel(model, { service: opts.service });
    if (opts.service && !model.slos.some((s) => s.service === opts.service)) {
      throw new SolidaError(`no SLOs for service ${opts.service}`, 2, [
        { file: opts.config, path: '--service', message: `services with SLOs: ${[...new Set(model.slos.map((s) => s.service))].join(', ') || 'none'}` },
      ]);
    }
  }
  const extra = (opts.threshold ?? []).map(parseThresholdArg);

  const input: GateInput = { slo, extra };
  if (opts.k6Summary) input.summary = await readK6Summary(opts.k6Summary);
  // Points are aggregated for exactly the sub-metrics and percentiles the thresholds need.
  const specs = collectThresholds(input).map((t) => t.spec);
  const selectors = specs.map((s) => parseMetricKey(s.metric)).filter((s): s is MetricSelector => !!s);
  const percentiles = percentilesNeeded(specs);
  if (opts.k6Points) input.points = await readK6Points(opts.k6Points, { selectors, percentiles });
  if (opts.k6Points && !opts.k6Summary) refuseUnknownSubmetricThresholds(opts.k6Points, input.points!, specs);
  if (opts.target) {
    const k6 = await chooseLoad(opts.load);
    if (k6) {
      const files = await runK6Load(k6, opts, model, specs, io);
      try {
        input.summary = await readK6Summary(files.summary);
        input.points = await readK6Points(files.points, { selectors, percentiles });
      } finally {
        await rm(files.dir, { recursive: true, force: true });
      }
    } else {
      input.points = await runBuiltinLoad(opts, model, selectors, percentiles, io);
    }
  }

  const report = evaluateGate(input);
  await writeReports(report, opts);
  io.stdout(renderGateTable(report));
  return report.verdict === 'pass' ? 0 : 1;
}

/** k6 adds this sub-metric itself (for http_req_failed's expected responses), not for a threshold. */
const K6_OWN_SUBMETRICS = new Set(['http_req_duration{expected_response:true}']);

/**
 * A sub-metric in k6's JSON output exists because a script threshold names it, and the JSON output never
 * carries that threshold: without the summary (or the threshold given here) the gate would judge the run
 * without a threshold k6 itself judged, and could say PASS where k6 said FAIL. Bad input: exit 2.
 */
export function refuseUnknownSubmetricThresholds(file: string, points: K6Result, specs: ThresholdSpec[]): void {
  const known = new Set(specs.map((s) => parseMetricKey(s.metric)).filter((s): s is MetricSelector => !!s).map(selectorIdentity));
  const unknown = (points.declaredSubmetrics ?? []).filter((name) => {
    if (K6_OWN_SUBMETRICS.has(name.replace(/\s+/g, ''))) return false;
    const sel = parseMetricKey(name);
    return !sel || !known.has(selectorIdentity(sel));
  });
  if (unknown.length === 0) return;
  throw new SolidaError(`${file}: thresholds on ${unknown.join(', ')} are not in k6's JSON output`, 2, [
    {
      file,
      path: unknown.join(', '),
      message: 'k6 declares these sub-metrics because a script threshold names them, but --out json never records the threshold itself: a verdict from the points alone could be PASS where k6 failed',
      fix: `pass --k6-summary (k6 --summary-export) as well, or give the script's thresholds, e.g. --threshold "${unknown[0]}: p(95)<500"`,
    },
  ]);
}

async function writeReports(report: GateReport, opts: GateOptions): Promise<void> {
  if (opts.json) await writeFileAtomically(opts.json, `${JSON.stringify(gateJson(report), null, 2)}\n`);
  if (opts.junit) await writeFileAtomically(opts.junit, renderGateJunit(report));
  if (opts.markdown) await writeFileAtomically(opts.markdown, renderGateMarkdown(report));
}

/** Routes worth requesting: concrete golden-SLI routes (templates such as /items/:id cannot be sent). */
function modelRoutes(model: SolidaModel | undefined, service: string | undefined): string[] {
  const routes = new Set<string>();
  for (const s of model?.slos ?? []) {
    if (service && s.service !== service) continue;
    if (s.sli.source === 'prometheus' && s.sli.origin.kind === 'golden' && s.sli.origin.route) {
      routes.add(s.sli.origin.route);
    }
  }
  return [...routes];
}

function modelRate(model: SolidaModel | undefined, service: string | undefined): number | undefined {
  const rates = (model?.slos ?? []).filter((s) => !service || s.service === service).map((s) => s.expectedEventsPerSecond ?? 0);
  const max = Math.max(0, ...rates);
  return max > 0 ? max : undefined;
}

/** The k6 binary to use for --target, or undefined for the built-in generator. */
async function chooseLoad(load: string | undefined): Promise<string | undefined> {
  const mode = load ?? 'auto';
  if (!['auto', 'k6', 'builtin'].includes(mode)) {
    throw new SolidaError(`bad --load ${JSON.stringify(mode)}`, 2, [{ path: '--load', message: 'expected auto, k6 or builtin', fix: 'pass --load auto (k6 when on PATH), --load k6 or --load builtin' }]);
  }
  if (mode === 'builtin') return undefined;
  const k6 = await findOnPath('k6');
  if (!k6 && mode === 'k6') throw new SolidaError('k6 is not on PATH', 2, [{ path: '--load', message: 'k6 was asked for but not found', fix: 'install k6, or use --load builtin' }]);
  return k6;
}

/** What one request asks for (`path`) and the route template its SLO thresholds select it by (`name`). */
interface LoadRoute {
  path: string;
  name: string;
}

interface LoadPlan {
  routes: LoadRoute[];
  serviceTag?: string;
  ratePerSecond: number;
  durationSeconds: number;
}

/**
 * Templates (`/items/:id`) are requested with sample values, as the generated k6 scripts do; a --path is
 * tagged with the SLO route template it matches, so per-route thresholds see its requests.
 */
function loadRoutes(paths: readonly string[], templates: readonly string[]): LoadRoute[] {
  if (paths.length === 0) return templates.length ? templates.map((t) => ({ path: concretePath(t), name: t })) : [{ path: '/', name: '/' }];
  const matchers = templates.map((t) => {
    try {
      return { t, test: match(t, { decode: false }) };
    } catch {
      return { t, test: () => false as const };
    }
  });
  return paths.map((p) => ({ path: p, name: matchers.find((m) => m.test(p.split('?')[0]))?.t ?? p }));
}

function planLoad(opts: GateOptions, model: SolidaModel | undefined): LoadPlan {
  const routes = loadRoutes(opts.path ?? [], modelRoutes(model, opts.service));
  const services = new Set(model?.slos.map((s) => s.service) ?? []);
  // Multi-service thresholds filter on a service tag; a run against one target is one service.
  const serviceTag = opts.service ?? (services.size === 1 ? [...services][0] : undefined);
  return {
    routes,
    serviceTag,
    ratePerSecond: opts.rate ?? modelRate(model, opts.service) ?? 10,
    durationSeconds: seconds(opts.duration, 30, '--duration'),
  };
}

async function runK6Load(k6: string, opts: GateOptions, model: SolidaModel | undefined, specs: ThresholdSpec[], io: GateIo) {
  const plan = planLoad(opts, model);
  io.stderr(`solida gate: k6 (${k6}) at ${plan.ratePerSecond} req/s for ${plan.durationSeconds}s against ${opts.target}\n`);
  return runK6({
    k6,
    target: opts.target!,
    ratePerSecond: plan.ratePerSecond,
    durationSeconds: plan.durationSeconds,
    // The script requests each template with sample values and tags it by the template.
    routes: [...new Set(plan.routes.map((r) => r.name))],
    service: plan.serviceTag,
    thresholds: groupByMetric(specs),
    summaryTrendStats: summaryTrendStatsFor({ thresholds: specs }),
  }, (text) => io.stderr(text));
}

async function runBuiltinLoad(
  opts: GateOptions, model: SolidaModel | undefined, selectors: MetricSelector[], percentiles: number[], io: GateIo,
): Promise<K6Result> {
  const { routes, serviceTag, ratePerSecond, durationSeconds } = planLoad(opts, model);
  const timeoutMs = seconds(opts.timeout, 10, '--timeout') * 1000;
  const recorder = new LoadgenRecorder(selectors, percentiles);
  const request = ({ seq }: { seq: number }): LoadRequest => {
    const route = routes[seq % routes.length];
    return { path: route.path, tags: { name: route.name, ...(serviceTag ? { service: serviceTag } : {}) } };
  };
  const loadOpts = { target: opts.target!, ratePerSecond, durationSeconds, maxInFlight: opts.maxInFlight, timeoutMs, request, onResult: recorder.onResult };
  const errs = validateOpenModel(loadOpts);
  if (errs.length) throw new SolidaError('bad load options', 2, errs.map((message) => ({ message })));
  io.stderr(`solida gate: ${ratePerSecond} req/s for ${durationSeconds}s against ${opts.target} (${routes.map((r) => (r.name === r.path ? r.path : `${r.path} as ${r.name}`)).join(', ')}), open model\n`);
  const summary = await runOpenModel(loadOpts);
  io.stderr(`solida gate: sent ${summary.sent}, ok ${summary.ok}, failed ${summary.failed}, dropped ${summary.dropped}, ${summary.achievedRatePerSecond.toFixed(1)} req/s achieved\n`);
  return recorder.result(summary, opts.target!);
}
