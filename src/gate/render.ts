// The gate's outputs: a terminal table, Markdown for $GITHUB_STEP_SUMMARY, JUnit XML for CI test
// reporters (one testcase per threshold), and the JSON of the output contract.
import { fmt, type GateReport, type GateThresholdResult } from './gate.ts';
import { formatTable } from '../util/table.ts';

function shownValue(t: GateThresholdResult): string {
  if (t.value !== null) return fmt(t.value);
  if (t.range) return `${fmt(t.range.atLeast)}..${fmt(t.range.atMost)}`;
  return 'no data';
}

function origin(t: GateThresholdResult): string {
  return t.origins.join(', ');
}

export function renderGateTable(report: GateReport): string {
  const head = ['', 'metric', 'threshold', 'value', 'from'];
  const rows = report.thresholds.map((t) => [t.ok ? 'PASS' : 'FAIL', t.metric, t.threshold, shownValue(t), origin(t)]);
  const out = formatTable([head, ...rows], { rule: true });
  const notes = report.thresholds.flatMap((t) => t.notes.map((n) => `  note: ${t.metric} ${t.threshold}: ${n}`));
  if (notes.length) out.push('', ...notes);
  for (const s of report.skipped) out.push(`  skipped SLO ${s.sloId}: ${s.reason}`);
  for (const c of report.checks) {
    if (c.fails > 0) out.push(`  check "${c.name}": ${c.fails} of ${c.passes + c.fails} failed`);
  }
  const failed = report.thresholds.filter((t) => !t.ok).length;
  out.push('', report.verdict === 'pass'
    ? `verdict: PASS (${report.thresholds.length === 1 ? 'the threshold holds' : `all ${report.thresholds.length} thresholds hold`})`
    : `verdict: FAIL (${failed} of ${report.thresholds.length} thresholds not met)`);
  return `${out.join('\n')}\n`;
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderGateMarkdown(report: GateReport): string {
  const failed = report.thresholds.filter((t) => !t.ok).length;
  const out = [
    `### Load-test gate: ${report.verdict === 'pass' ? '✅ pass' : `❌ fail (${failed} of ${report.thresholds.length} not met)`}`,
    '',
    '| | metric | threshold | value | from |',
    '|---|---|---|---|---|',
    ...report.thresholds.map((t) => `| ${t.ok ? '✅' : '❌'} | \`${mdCell(t.metric)}\` | \`${mdCell(t.threshold)}\` | ${mdCell(shownValue(t))} | ${mdCell(origin(t))} |`),
  ];
  const notes = report.thresholds.flatMap((t) => t.notes.map((n) => `- \`${mdCell(t.metric)}\` \`${mdCell(t.threshold)}\`: ${n}`));
  if (notes.length) out.push('', '**Notes**', '', ...notes);
  if (report.skipped.length) out.push('', '**SLOs not judged by a load test**', '', ...report.skipped.map((s) => `- ${s.sloId}: ${s.reason}`));
  if (report.checks.length) {
    out.push('', '| check | passed | failed |', '|---|---|---|', ...report.checks.map((c) => `| ${mdCell(c.name)} | ${c.passes} | ${c.fails} |`));
  }
  return `${out.join('\n')}\n`;
}

function xml(s: string): string {
  // Characters XML 1.0 forbids even when escaped are dropped (k6 tag values are arbitrary text).
  return s
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function renderGateJunit(report: GateReport, suiteName = 'solida gate'): string {
  const failures = report.thresholds.filter((t) => !t.ok).length;
  const cases = report.thresholds.map((t) => {
    const attrs = `classname="${xml(t.metric)}" name="${xml(`${t.metric} ${t.threshold}`)}" time="0"`;
    const detail = [`value: ${shownValue(t)} (${t.basis})`, `from: ${origin(t)}`, ...t.notes].join('\n');
    if (t.ok) return `    <testcase ${attrs}>\n      <system-out>${xml(detail)}</system-out>\n    </testcase>`;
    const message = `${t.metric} ${t.threshold} crossed: ${shownValue(t)}`;
    return `    <testcase ${attrs}>\n      <failure message="${xml(message)}" type="threshold">${xml(detail)}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(suiteName)}" tests="${report.thresholds.length}" failures="${failures}" errors="0">`,
    `  <testsuite name="${xml(suiteName)}" tests="${report.thresholds.length}" failures="${failures}" errors="0" skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** The documented JSON: `{ verdict, thresholds: [{ metric, threshold, value, ok, ... }] }`. */
export function gateJson(report: GateReport): object {
  return {
    verdict: report.verdict,
    thresholds: report.thresholds.map((t) => ({
      metric: t.metric,
      threshold: t.threshold,
      value: t.value,
      ok: t.ok,
      basis: t.basis,
      ...(t.range ? { range: t.range } : {}),
      ...(t.k6Ok !== undefined ? { k6Ok: t.k6Ok } : {}),
      origins: t.origins,
      notes: t.notes,
    })),
    checks: report.checks,
    skipped: report.skipped,
    sources: report.sources,
  };
}
