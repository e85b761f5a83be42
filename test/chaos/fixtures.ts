// A hand-built normalized model: two services on one Aurora cluster and one on a Multi-AZ instance.
import type { Service, SolidaModel } from '../../src/slo/model.ts';
import { buildModel, buildService } from '../support/model.ts';

const service = (name: string, aws: Service['aws']): Service => buildService(name, { aws });

export function sampleModel(overrides: Partial<SolidaModel> = {}): SolidaModel {
  return {
    ...buildModel([], { source: 'test/solida.config.ts' }),
    services: [
      service('inventory', {
        region: 'us-east-1',
        alb: { loadBalancer: 'app/inventory/50dc6c495c0c9188' },
        ecs: { cluster: 'nube-solida', service: 'inventory' },
        rds: { cluster: 'nube-solida-db', engine: 'aurora-postgresql' },
      }),
      service('orders', {
        region: 'us-east-1',
        ecs: { cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/nube-solida', service: 'orders' },
        rds: { cluster: 'nube-solida-db', engine: 'aurora-postgresql' },
      }),
      service('billing', {
        region: 'us-east-1',
        ecs: { cluster: 'billing', service: 'billing-api' },
        rds: { instance: 'billing-primary', engine: 'postgres' },
      }),
      service('docs', {}),
    ],
    ...overrides,
  };
}

export const ACCOUNT = '123456789012';
export const PAGE_ALARMS = [
  'arn:aws:cloudwatch:us-east-1:123456789012:alarm:inventory-availability-page',
  'orders-availability-page',
];
