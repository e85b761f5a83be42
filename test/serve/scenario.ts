// The traffic the view and dashboard tests run on: a healthy service, a service burning its budget
// right now, and a service without any series (inventory: the lab's, whose game-day report is in the fixtures). Expected figures are worked out from these rates.
import type { SolidaConfig } from '../../src/slo/config.ts';
import type { Job } from './live-prometheus.ts';

export const HISTORY_SECONDS = 2 * 86_400;
/** search starts failing this long before the test starts (and keeps failing). */
export const BURST_SECONDS = 40 * 60;

export const JOBS: Job[] = [
  // 0.02% errors all along: 0.2× the burn of a 99.9% SLO.
  { job: 'checkout', phases: [{ from: 0, okPerSecond: 49.99, errorsPerSecond: 0.01 }] },
  // 0.1% errors, then 20% errors for the last 40 minutes (and on).
  { job: 'search', phases: [{ from: 0, okPerSecond: 19.98, errorsPerSecond: 0.02 }, { from: HISTORY_SECONDS - BURST_SECONDS, okPerSecond: 16, errorsPerSecond: 4 }] },
];

const events = (job: string) => ({ events: { errors: `http_requests_total{job="${job}",code=~"5.."}`, total: `http_requests_total{job="${job}"}` } });

export const CONFIG: SolidaConfig = {
  scrapeInterval: '1s',
  evaluationInterval: '2s',
  services: [{ name: 'checkout' }, { name: 'search' }, { name: 'inventory' }],
  slos: [
    { service: 'checkout', name: 'availability', description: '99.9% of checkout requests succeed', objective: 99.9, window: '30d', sli: events('checkout') },
    { service: 'checkout', name: 'monthly', objective: 99.5, window: { calendar: 'month' }, sli: events('checkout') },
    { service: 'search', name: 'availability', objective: 99.5, window: '7d', sli: events('search') },
    { service: 'inventory', name: 'availability', objective: 99.9, window: '30d', sli: events('inventory') },
  ],
} as SolidaConfig;
