// The three DR game days on the lab with `--profile reference`: the reference architecture's documented
// timings (RDS failover 2 min, DR decision 5 min, restore, DNS, restorable-time lag) as modelled delays.
// Prints, per scenario, the measured time (from the load), the modelled time (not slept) and their total
// against the objectives, the lost writes and the data-loss window. Run: npx tsx bench/gameday-reference.ts
// (about 10 minutes: pitr's restore point trails the corruption by the restorable-time lag, so its load
// runs that long before the fault).
import { runGameday } from '../src/gameday/orchestrator.ts';
import { lossText } from '../src/gameday/report.ts';
import { SCENARIOS, type ScenarioName } from '../src/scenarios/index.ts';

const only = process.argv.slice(2) as ScenarioName[];
const f = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(1)}s`);
const rows: string[][] = [['scenario', 'verdict', 'RTO measured', 'modelled', 'total', 'objective', 'RPO measured', 'modelled', 'total', 'objective', 'lost writes', 'loss window', 'detect']];
for (const scenario of only.length ? only : SCENARIOS) {
  const started = Date.now();
  const { report: r } = await runGameday({ scenario, profile: 'reference', log: (l) => process.stderr.write(`[${scenario}] ${l}\n`) });
  rows.push([
    scenario,
    r.verdict,
    f(r.rto.measuredSeconds),
    f(r.rto.modelledSeconds),
    f(r.rto.totalSeconds),
    f(r.rto.objectiveSeconds),
    f(r.rpo.measuredSeconds),
    f(r.rpo.modelledSeconds),
    f(r.rpo.totalSeconds),
    f(r.rpo.objectiveSeconds),
    `${r.rpo.lostWrites ?? 'n/a'}/${r.rpo.acknowledgedWrites}`,
    lossText(r) || '-',
    r.timeToDetectSeconds === null ? `none (${f(r.detection.predictedSeconds)} predicted)` : f(r.timeToDetectSeconds),
  ]);
  process.stderr.write(`[${scenario}] ${r.verdict} in ${((Date.now() - started) / 1000).toFixed(0)} s: ${r.reasons.join('; ')}\n`);
  for (const d of r.profile.delays) process.stderr.write(`[${scenario}]   ${d.step}: ${d.name} ${d.seconds}s ${d.slept ? 'slept' : 'modelled'} (${d.source})\n`);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()}\n`);
