// Reads k6's end-of-test summaries: the `--summary-export` file and the data object handed to
// `handleSummary` (what scripts usually JSON.stringify). They differ in ways that bite:
// - summary-export maps each threshold to `true` when it FAILED; handleSummary says `{ ok: true }` when
//   it passed. Both become `ok` = passed here.
// - summary-export rate metrics say `passes` for non-zero samples: for http_req_failed those are the
//   failed requests. Both become `nonZero`/`zero`.
// - checks and groups are objects keyed by name in one, arrays in the other.
import { impossibleStats } from './sanity.ts';
import { readFile } from 'node:fs/promises';
import { SolidaError, type Problem } from '../util/errors.ts';
import { parseMetricKey } from './selector.ts';
import { percentileKey } from './threshold-expr.ts';
import type { K6Check, K6Metric, K6MetricType, K6ReportedThreshold, K6Result, K6Stats } from './types.ts';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function readK6Summary(file: string): Promise<K6Result> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new SolidaError(`cannot read k6 summary ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 2, [
      { file, message: 'the file is missing or unreadable', fix: 'pass the file k6 wrote with --summary-export, or the JSON your handleSummary returned' },
    ]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new SolidaError(`k6 summary ${file} is not JSON`, 2, [
      { file, message: (err as Error).message, fix: 'for NDJSON points (--out json=...) use --k6-points instead' },
    ]);
  }
  return parseK6Summary(data, file);
}

export function parseK6Summary(data: unknown, file?: string): K6Result {
  if (!isObject(data) || !isObject(data.metrics)) {
    throw new SolidaError(`${file ?? 'k6 summary'} is not a k6 summary`, 2, [
      { file, path: 'metrics', message: 'expected an object of metrics at the top level', fix: 'use k6 run --summary-export FILE, or JSON.stringify(data) in handleSummary' },
    ]);
  }
  const entries = Object.entries(data.metrics);
  // handleSummary wraps each metric's stats in `values`; summary-export puts them at the top.
  const handleSummary = entries.length > 0 && entries.every(([, m]) => isObject(m) && isObject(m.values));
  const problems: Problem[] = [];
  const metrics: Record<string, K6Metric> = {};
  const thresholds: K6ReportedThreshold[] = [];

  for (const [key, raw] of entries) {
    const path = `metrics.${key}`;
    const sel = parseMetricKey(key);
    if (!sel || !isObject(raw)) {
      problems.push({ file, path, message: 'not a k6 metric (bad key or not an object)' });
      continue;
    }
    const rawStats = handleSummary ? raw.values : raw;
    const stats = readStats(rawStats as Json, path, file, problems);
    const declared = typeof raw.type === 'string' && ['counter', 'gauge', 'rate', 'trend'].includes(raw.type) ? (raw.type as K6MetricType) : undefined;
    const type = declared ?? inferType(stats);
    metrics[key] = { key, name: sel.name, tags: sel.tags, type, stats: normaliseStats(stats, type) };
    const impossible = impossibleStats(sel.name, type, metrics[key].stats, typeof raw.contains === 'string' ? raw.contains : undefined);
    if (impossible) problems.push({ file, path, message: impossible, fix: 'pass the summary k6 wrote, unedited' });
    if (raw.thresholds !== undefined) readThresholds(raw.thresholds, key, handleSummary, `${path}.thresholds`, file, problems, thresholds);
  }

  if (problems.length > 0) throw new SolidaError(`${file ?? 'k6 summary'} has malformed metrics`, 2, problems);

  const result: K6Result = {
    source: { kind: handleSummary ? 'handle-summary' : 'summary-export', file },
    metrics,
    thresholds,
    checks: isObject(data.root_group) ? collectChecks(data.root_group) : [],
  };
  if (isObject(data.options) && Array.isArray(data.options.summaryTrendStats)) {
    result.summaryTrendStats = data.options.summaryTrendStats.filter((s): s is string => typeof s === 'string');
  }
  if (isObject(data.state) && typeof data.state.testRunDurationMs === 'number') {
    result.durationSeconds = data.state.testRunDurationMs / 1000;
  }
  return result;
}

function readStats(raw: Json | undefined, path: string, file: string | undefined, problems: Problem[]): K6Stats {
  const stats: K6Stats = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    if (k === 'thresholds' || k === 'type' || k === 'contains') continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      problems.push({ file, path: `${path}.${k}`, message: `expected a number, got ${JSON.stringify(v)}` });
      continue;
    }
    const pct = /^p\(\s*(\d+(?:\.\d+)?)\s*\)$/.exec(k);
    stats[pct ? percentileKey(Number(pct[1])) : k] = v;
  }
  return stats;
}

function inferType(stats: K6Stats): K6MetricType | undefined {
  if ('passes' in stats && 'fails' in stats) return 'rate';
  if ('avg' in stats || 'med' in stats || Object.keys(stats).some((k) => k.startsWith('p('))) return 'trend';
  if ('count' in stats) return 'counter';
  if ('value' in stats) return 'gauge';
  return undefined;
}

function normaliseStats(stats: K6Stats, type: K6MetricType | undefined): K6Stats {
  if (type !== 'rate') return stats;
  const nonZero = stats.passes ?? 0;
  const zero = stats.fails ?? 0;
  // summary-export names the rate `value`, handleSummary `rate`.
  const rate = stats.rate ?? stats.value ?? (nonZero + zero === 0 ? 0 : nonZero / (nonZero + zero));
  return { rate, nonZero, zero, count: nonZero + zero };
}

function readThresholds(
  raw: unknown, metric: string, handleSummary: boolean, path: string, file: string | undefined,
  problems: Problem[], out: K6ReportedThreshold[],
): void {
  if (!isObject(raw)) {
    problems.push({ file, path, message: 'expected an object of thresholds' });
    return;
  }
  for (const [expression, verdict] of Object.entries(raw)) {
    if (handleSummary) {
      if (!isObject(verdict) || typeof verdict.ok !== 'boolean') {
        problems.push({ file, path: `${path}.${expression}`, message: 'expected { "ok": true|false }' });
        continue;
      }
      out.push({ metric, expression, ok: verdict.ok });
    } else {
      if (typeof verdict !== 'boolean') {
        problems.push({ file, path: `${path}.${expression}`, message: 'expected a boolean (true means the threshold failed)' });
        continue;
      }
      // summary-export: true means the threshold was CROSSED.
      out.push({ metric, expression, ok: !verdict });
    }
  }
}

function collectChecks(group: Json): K6Check[] {
  const out: K6Check[] = [];
  const checks = Array.isArray(group.checks) ? group.checks : isObject(group.checks) ? Object.values(group.checks) : [];
  for (const c of checks) {
    if (!isObject(c) || typeof c.name !== 'string') continue;
    out.push({
      name: c.name,
      path: typeof c.path === 'string' ? c.path : `::${c.name}`,
      passes: typeof c.passes === 'number' ? c.passes : 0,
      fails: typeof c.fails === 'number' ? c.fails : 0,
    });
  }
  const groups = Array.isArray(group.groups) ? group.groups : isObject(group.groups) ? Object.values(group.groups) : [];
  for (const g of groups) if (isObject(g)) out.push(...collectChecks(g));
  return out;
}
