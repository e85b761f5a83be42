// The bench's traffic: per SLO ten request counters (5 status codes × 2 instances) with a daily cycle,
// and an error share that peaks at another hour than the traffic, so a mean of ratios and the
// traffic-weighted ratio differ. Counters and recorded rates come from one closed form, so the
// backfilled history, the recorded series and the live scrape all agree.
export const CODES = [
  { code: '200', share: 0.7 },
  { code: '201', share: 0.2 },
  { code: '404', share: 0.1 },
  { code: '500', share: 0 },
  { code: '503', share: 0 },
] as const;
export const INSTANCES = ['a', 'b'] as const;
const DAY = 86400;
const W = (2 * Math.PI) / DAY;
const TRAFFIC_SWING = 0.6;
const ERROR_SWING = 0.8;
const MEAN_ERROR_SHARE = 0.0006;

export interface SloTraffic {
  job: string;
  /** Requests per second per instance at the daily mean. */
  base: number;
  phase: number;
}

export function sloTraffic(i: number): SloTraffic {
  return { job: `svc-${i}`, base: 10 + (i % 7), phase: ((i * 7919) % 86400) / DAY };
}

/** ∫₀ᵗ base·(1 + a·sin(ωs + φ)) ds: requests served by one instance up to t (seconds since epoch). */
function requests(s: SloTraffic, t: number): number {
  const p = 2 * Math.PI * s.phase;
  return s.base * (t + (TRAFFIC_SWING / W) * (Math.cos(p) - Math.cos(W * t + p)));
}

/** ∫₀ᵗ base·(1 + a·sin(ωs + φ))·e·(1 + b·cos(ωs)) ds: errors of one instance up to t. */
function errors(s: SloTraffic, t: number): number {
  const p = 2 * Math.PI * s.phase;
  const a = TRAFFIC_SWING;
  const b = ERROR_SWING;
  // sin(ωs+φ)·cos(ωs) = ½[sin(2ωs+φ) + sin φ]
  const cross = 0.5 * ((Math.cos(p) - Math.cos(2 * W * t + p)) / (2 * W) + Math.sin(p) * t);
  return s.base * MEAN_ERROR_SHARE * (t + (a / W) * (Math.cos(p) - Math.cos(W * t + p)) + (b / W) * Math.sin(W * t) + a * b * cross);
}

/** Counter value of one series at t (integers, as real request counters are). */
export function counterValue(s: SloTraffic, code: string, t: number): number {
  const err = errors(s, t);
  if (code === '500') return Math.floor((err * 2) / 3);
  if (code === '503') return Math.floor(err / 3);
  const share = CODES.find((c) => c.code === code)!.share;
  return Math.floor((requests(s, t) - err) * share);
}

/** Error and total events per second over (t − window, t], both instances. */
export function windowRates(s: SloTraffic, t: number, window: number): { errors: number; total: number } {
  const n = INSTANCES.length;
  return { errors: (n * (errors(s, t) - errors(s, t - window))) / window, total: (n * (requests(s, t) - requests(s, t - window))) / window };
}

export function seriesLabels(s: SloTraffic): { code: string; instance: string; selector: string }[] {
  return INSTANCES.flatMap((instance) => CODES.map(({ code }) => ({ code, instance, selector: `{job="${s.job}",instance="${instance}",code="${code}"}` })));
}
