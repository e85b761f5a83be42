// Builds the bench's TSDB with promtool's OpenMetrics import: raw request counters for as long as the
// slowest reader looks back (Pyrra's 4 weeks), plus the recorded series each rule set would have
// written over 30 days (so their 30-day sums read a full history). One file and one block per UTC day:
// promtool re-reads its whole input for every block it cuts, so day-sized inputs keep the import linear.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Variant } from './variants.ts';
import { SERVICE } from './variants.ts';
import { counterValue, seriesLabels, sloTraffic, windowRates } from './traffic.ts';

const DAY = 86400;
const COARSE_STEP = 300;

export interface TsdbPlan {
  n: number;
  /** Last sample time (unix seconds); live scraping continues from here. */
  end: number;
  scrapeSeconds: number;
  /** Interval of the recorded 5-minute series the older rule sets read (their evaluation interval). */
  recordSeconds: number;
  variants: readonly Variant[];
}

interface Stream {
  from: number;
  step: number;
  /** Exclusive end, when the stream stops before the plan's end. */
  until?: number;
  /** Lines for every series of one SLO at time t. */
  lines: (i: number, t: number) => string[];
}

export function historySeconds(variants: readonly Variant[]): { raw: number; recorded: number } {
  const raw = variants.includes('pyrra') ? 29 * DAY : variants.includes('sloth') ? 3 * DAY + 3600 : 7 * 3600;
  return { raw, recorded: 31 * DAY };
}

function streams(plan: TsdbPlan): Stream[] {
  const { raw, recorded } = historySeconds(plan.variants);
  const ids = (i: number) => `sloth_id="${SERVICE}-svc-${i}",sloth_service="${SERVICE}",sloth_slo="svc-${i}"`;
  const counters = (i: number, t: number) => {
    const s = sloTraffic(i);
    return seriesLabels(s).map((l) => `http_requests_total${l.selector} ${counterValue(s, l.code, t)} ${t}`);
  };
  // Counters at the scrape interval for the windows solida and Sloth read raw (up to 3 days); Pyrra's
  // 4-week increase also reads older counters, stored every 5 minutes to keep the import practical
  // (so its figure is a lower bound).
  const fine = Math.min(raw, 3 * DAY + 3600);
  const out: Stream[] = [{ from: plan.end - fine, step: plan.scrapeSeconds, lines: counters }];
  if (raw > fine) {
    const from = plan.end - raw;
    out.unshift({ from, step: COARSE_STEP, lines: counters, until: plan.end - fine });
  }
  const rates = (name: string, window: number, step: number): Stream => ({
    from: plan.end - recorded,
    step,
    lines: (i, t) => {
      const r = windowRates(sloTraffic(i), t, window);
      return [`slo:sli_error_events:${name}{${ids(i)}} ${r.errors} ${t}`, `slo:sli_total_events:${name}{${ids(i)}} ${r.total} ${t}`];
    },
  });
  if (plan.variants.includes('solida-old')) out.push(rates('rate5m', 300, plan.recordSeconds));
  if (plan.variants.includes('solida-new')) out.push(rates('rate10m', 600, 600));
  if (plan.variants.includes('sloth')) {
    out.push({
      from: plan.end - recorded,
      step: plan.recordSeconds,
      lines: (i, t) => {
        const r = windowRates(sloTraffic(i), t, 300);
        return [`slo:sli_error:ratio_rate5m{${ids(i)},sloth_window="5m"} ${r.errors / r.total} ${t}`];
      },
    });
  }
  return out;
}

const run = promisify(execFile);

/** Writes and imports the history day by day (promtool imports one day while the next is written). */
export async function buildTsdb(plan: TsdbPlan, dir: string, log: (s: string) => void): Promise<number> {
  const blocks = join(dir, 'blocks');
  const marker = join(dir, 'complete.json');
  if (existsSync(marker)) return 0;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(blocks, { recursive: true });
  const all = streams(plan);
  const first = Math.min(...all.map((s) => s.from));
  let samples = 0;
  let importing: Promise<unknown> = Promise.resolve();
  let k = 0;
  for (let day = Math.floor(first / DAY) * DAY; day <= plan.end; day += DAY) {
    const file = join(dir, `day-${k++ % 2}.om`);
    const fd = openSync(file, 'w');
    let buf: string[] = [];
    const flush = () => {
      writeSync(fd, `${buf.join('\n')}\n`);
      buf = [];
    };
    for (let i = 0; i < plan.n; i++) {
      for (const s of all) {
        // Series by series, each in time order: promtool appends samples per series in order.
        const start = Math.max(s.from, day);
        const t0 = Math.ceil((start - s.from) / s.step) * s.step + s.from;
        const perSeries: string[][] = [];
        for (let t = t0; t < Math.min(day + DAY, s.until ?? plan.end + 1); t += s.step) perSeries.push(s.lines(i, t));
        if (perSeries.length === 0) continue;
        for (let k = 0; k < perSeries[0].length; k++) for (const row of perSeries) buf.push(row[k]);
        samples += perSeries.length * perSeries[0].length;
        if (buf.length > 200_000) flush();
      }
    }
    buf.push('# EOF');
    flush();
    closeSync(fd);
    await importing;
    const label = `  day ${new Date(day * 1000).toISOString().slice(0, 10)} imported (${(samples / 1e6).toFixed(1)} M samples so far)`;
    importing = run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=24h', '-q', file, blocks], { maxBuffer: 1 << 26 }).then(() => log(label));
  }
  await importing;
  for (const f of ['day-0.om', 'day-1.om']) rmSync(join(dir, f), { force: true });
  writeFileSync(marker, JSON.stringify({ ...plan, samples }));
  return samples;
}
