// The one builder for hand-built normalized models (no reader involved), so generator tests state only
// the fields they care about and every fixture has exactly the shape of src/slo/model.ts: when the
// model gains or drops a field, this file is the one place tests change.
import type { AlertTier, Duration, Service, Severity, Slo, SolidaModel } from '../../src/slo/model.ts';

export const d = (text: string, seconds: number): Duration => ({ text, seconds });

export function tier(name: string, severity: Severity, burnRate: number, long: Duration, short: Duration, fields: Partial<AlertTier> = {}): AlertTier {
  return { name, enabled: true, severity, burnRate, longWindow: long, shortWindow: short, for: d('0s', 0), labels: {}, annotations: {}, ...fields };
}

/** The SRE workbook tiers for 30 days: 2 % of budget in 1h, 5 % in 6h, 10 % in 1d, 10 % in 3d. */
export const WORKBOOK_TIERS: AlertTier[] = [
  tier('page-1h', 'page', 14.4, d('1h', 3600), d('5m', 300)),
  tier('page-6h', 'page', 6, d('6h', 21600), d('30m', 1800)),
  tier('ticket-1d', 'ticket', 3, d('1d', 86400), d('2h', 7200)),
  tier('ticket-3d', 'ticket', 1, d('3d', 259200), d('6h', 21600)),
];

/** An SLO over a rolling 30 days with no alert tiers unless given; errorBudget follows the objective as in normalize. */
export function buildSlo(fields: Partial<Slo> & Pick<Slo, 'service' | 'name' | 'sli'>): Slo {
  const objective = fields.objective ?? 99.9;
  return {
    id: `${fields.service}-${fields.name}`,
    objective,
    errorBudget: 1 - objective / 100,
    window: { kind: 'rolling', duration: d('30d', 2592000) },
    periodSeconds: 2592000,
    alerting: { name: 'SloBurn', labels: {}, annotations: {}, tiers: [], noData: { enabled: false, for: d('10m', 600), severity: 'ticket' } },
    labels: {},
    budgetPolicy: { freezeWeeklyConsumed: 0.5, fixesOnlyConsumed: 1, weekSeconds: 604800 },
    ...fields,
  };
}

export function buildService(name: string, fields: Partial<Service> = {}): Service {
  return { name, selector: `{job="${name}"}`, labels: {}, runbooks: {}, ...fields };
}

/** A model of these SLOs; services default to one plain service per SLO service name. */
export function buildModel(slos: Slo[], options: { services?: Service[]; source?: string } = {}): SolidaModel {
  const services = options.services ?? [...new Set(slos.map((s) => s.service))].map((name) => buildService(name));
  return { source: options.source ?? 'hand-built.ts', scrapeInterval: d('30s', 30), evaluationInterval: d('30s', 30), services, slos };
}
