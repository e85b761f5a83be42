// Hand-built normalized models (independent of the config readers) for the CloudWatch generators.
import type { Service, Slo, SolidaModel } from '../../src/slo/model.ts';
import { buildModel, buildSlo, d, WORKBOOK_TIERS } from '../support/model.ts';

export { d, WORKBOOK_TIERS };

export const PAGE_TOPIC = 'arn:aws:sns:eu-west-1:123456789012:inventory-page';
export const TICKET_TOPIC = 'arn:aws:sns:eu-west-1:123456789012:inventory-ticket';
export const LB = 'app/inventory-alb/50dc6c495c0c9188';

export const inventory: Service = {
  name: 'inventory',
  description: 'Inventory API',
  selector: '{job="inventory"}',
  labels: {},
  aws: {
    region: 'eu-west-1',
    alb: { loadBalancer: LB },
    ecs: { cluster: 'prod', service: 'inventory' },
    rds: { instance: 'inventory-db', engine: 'postgres' },
    sns: { page: PAGE_TOPIC, ticket: TICKET_TOPIC },
  },
  runbooks: { 'az-failure': 'https://runbooks.example.com/az-failure', 'pitr-restore': 'https://runbooks.example.com/pitr' },
};

const alb = (metricName: string, stat = 'Sum') => ({ namespace: 'AWS/ApplicationELB', metricName, dimensions: { LoadBalancer: LB }, stat });

function slo(name: string, sli: Slo['sli'], tiers = WORKBOOK_TIERS): Slo {
  return buildSlo({
    service: 'inventory',
    name,
    objective: 99.9,
    errorBudget: 0.001,
    sli,
    alerting: {
      name: 'InventorySLO',
      labels: {},
      annotations: {},
      runbookUrl: 'https://runbooks.example.com/inventory-slo',
      tiers,
      noData: { enabled: false, for: d('10m', 600), severity: 'ticket' },
    },
  });
}

export const availability = slo('availability', {
  source: 'cloudwatch',
  errors: [alb('HTTPCode_Target_5XX_Count'), alb('HTTPCode_ELB_5XX_Count')],
  total: [alb('RequestCount')],
});

export const latency = slo('latency', {
  source: 'prometheus',
  errors: 'x',
  total: 'y',
  origin: { kind: 'golden', signal: 'latency', service: 'inventory', thresholdSeconds: 0.3 },
});

export const checkout = slo('checkout', {
  source: 'prometheus',
  errors: 'sum(rate(checkout_failures_total[{{.window}}]))',
  total: 'sum(rate(checkout_total[{{.window}}]))',
  origin: { kind: 'events', totalSelector: 'checkout_total', errorSelector: 'checkout_failures_total' },
});

export function inventoryModel(): SolidaModel {
  return buildModel([structuredClone(availability), structuredClone(latency), structuredClone(checkout)], {
    source: 'test/cloudwatch/fixtures.ts',
    services: [structuredClone(inventory)],
  });
}

export const QUEUE = 'orders-events';
export const FUNCTION = 'orders-handler';
export const DISTRIBUTION = 'E2QWRUHAPOMQZL';

/** A serverless service: SQS queue, Lambda function, CloudFront distribution (no ALB/ECS/RDS). */
export const orders: Service = {
  name: 'orders',
  selector: '{job="orders"}',
  labels: {},
  aws: {
    region: 'eu-west-1',
    sqs: { queueName: QUEUE },
    lambda: { functionName: FUNCTION },
    cloudfront: { distributionId: DISTRIBUTION },
    sns: { page: PAGE_TOPIC, ticket: TICKET_TOPIC },
  },
  runbooks: { 'queue-backlog': 'https://runbooks.example.com/orders-backlog' },
};

const lambdaMetric = (metricName: string) => ({ namespace: 'AWS/Lambda', metricName, dimensions: { FunctionName: FUNCTION }, stat: 'Sum' });

export function ordersModel(): SolidaModel {
  const handler = slo('handler', { source: 'cloudwatch', errors: [lambdaMetric('Errors')], total: [lambdaMetric('Invocations')] });
  handler.id = 'orders-handler';
  handler.service = 'orders';
  return buildModel([handler], { source: 'test/cloudwatch/fixtures.ts', services: [structuredClone(orders)] });
}
