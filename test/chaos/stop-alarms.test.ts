import { describe, expect, it } from 'vitest';
import { pageAlarmNames } from '../../src/chaos/stop-alarms.ts';
import type { Slo } from '../../src/slo/model.ts';
import { sampleModel } from './fixtures.ts';

const tier = (name: string, severity: 'page' | 'ticket', enabled = true) => ({ name, severity, enabled }) as Slo['alerting']['tiers'][number];
const slo = (id: string, service: string, tiers: Slo['alerting']['tiers']) => ({ id, service, alerting: { tiers } }) as unknown as Slo;

describe('stop conditions from the SLO page alarms', () => {
  it('names the page composite alarm of every SLO with an enabled page tier', () => {
    const model = sampleModel({
      slos: [
        slo('inventory-availability', 'inventory', [tier('page-1h', 'page'), tier('ticket-1d', 'ticket')]),
        slo('orders-latency', 'orders', [tier('page-1h', 'page', false), tier('ticket-1d', 'ticket')]),
        slo('billing-availability', 'billing', [tier('page-6h', 'page')]),
      ],
    });
    expect(pageAlarmNames(model, 'solida')).toEqual(['solida-inventory-availability-page', 'solida-billing-availability-page']);
    expect(pageAlarmNames(model, 'prod', ['billing'])).toEqual(['prod-billing-availability-page']);
  });
});
