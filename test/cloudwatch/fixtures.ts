// Hand-built normalized models (independent of the config readers) for the CloudWatch generators.
import type { AlertTier, Duration, Service, Slo, SolidaModel } from '../../src/slo/model.ts';

export const d = (text: string, seconds: number): Duration => ({ text, seconds });

export const PAGE_TOPIC = 'arn:aws:sns:eu-west-1:123456789012:inventory-page';
export const TICKET_TOPIC = 'arn:aws:sns:eu-west-1:123456789012:inventory-ticket';
export const LB = 'app/inventory-alb/50dc6c495c0c9188';

function tier(name: string, severity: 'page' | 'ticket', burnRate: number, long: Duration, short: Duration): AlertTier {
  return { name, enabled: true, severity, burnRate, longWindow: long, shortWindow: short, for: d('0s', 0), labels: {}, annotations: {} };
}

/** The SRE workbook tiers for 30 days: 2 % of budget in 1h, 5 % in 6h, 10 % in 1d, 10 % in 3d. */
export const WORKBOOK_TIERS: AlertTier[] = [
  tier('page-1h', 'page', 14.4, d('1h', 3600), d('5m', 300)),
  tier('page-6h', 'page', 6, d('6h', 21600), d('30m', 1800)),
  tier('ticket-1d', 'ticket', 3, d('1d', 86400), d('2h', 7200)),
  tier('ticket-3d', 'ticket', 1, d('3d', 259200), d('6h', 21600)),
];

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
  return {
    id: `inventory-${name}`,
    service: 'inventory',
    name,
    objective: 99.9,
    errorBudget: 0.001,
    window: { kind: 'rolling', duration: d('30d', 2592000) },
    periodSeconds: 2592000,
    sli,
    alerting: {
      name: 'InventorySLO',
      labels: {},
      annotations: {},
      runbookUrl: 'https://runbooks.example.com/inventory-slo',
      tiers,
      noData: { enabled: false, for: d('10m', 600), severity: 'ticket' },
    },
    labels: {},
    budgetPolicy: { freezeWeeklyConsumed: 0.5, fixesOnlyConsumed: 1, weekSeconds: 604800 },
  };
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
  return {
    source: 'test/cloudwatch/fixtures.ts',
    scrapeInterval: d('30s', 30),
    evaluationInterval: d('30s', 30),
    services: [structuredClone(inventory)],
    slos: [structuredClone(availability), structuredClone(latency), structuredClone(checkout)],
  };
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
  return {
    source: 'test/cloudwatch/fixtures.ts',
    scrapeInterval: d('30s', 30),
    evaluationInterval: d('30s', 30),
    services: [structuredClone(orders)],
    slos: [handler],
  };
}
