// The reference architecture's inventory service (ALB → ECS Fargate in two AZs → RDS PostgreSQL
// Multi-AZ), with its golden-signal SLOs. `npm run demo`, the lab and the game days run on this file.
import { defineConfig } from 'solida';

export default defineConfig({
  scrapeInterval: '15s',
  evaluationInterval: '30s',
  services: [
    {
      name: 'inventory',
      description: 'Inventory API (express + PostgreSQL) behind an ALB on ECS Fargate',
      aws: {
        region: 'us-east-1',
        alb: { loadBalancer: 'app/inventory-alb/50dc6c495c0c9188', targetGroup: 'targetgroup/inventory-tg/943f017f100becff' },
        ecs: { cluster: 'nube-solida', service: 'inventory' },
        rds: { instance: 'inventory-db', engine: 'postgres' },
        sns: {
          page: 'arn:aws:sns:us-east-1:123456789012:inventory-page',
          ticket: 'arn:aws:sns:us-east-1:123456789012:inventory-ticket',
        },
      },
      runbooks: {
        'az-failure': 'https://runbooks.example.com/inventory/az-failure',
        'region-failover': 'https://runbooks.example.com/inventory/region-failover',
        pitr: 'https://runbooks.example.com/inventory/pitr',
      },
    },
  ],
  slos: [
    {
      service: 'inventory',
      name: 'availability',
      description: '99.9% of inventory API requests succeed',
      objective: 99.9,
      window: '30d',
      sli: { golden: { signal: 'availability' } },
      expectedEventsPerSecond: 50,
      alerting: {
        runbookUrl: 'https://runbooks.example.com/inventory/availability',
        labels: { team: 'inventory' },
      },
    },
    {
      service: 'inventory',
      name: 'latency',
      description: '99% of inventory API requests complete within 300 ms',
      objective: 99,
      window: '30d',
      sli: { golden: { signal: 'latency', threshold: '300ms' } },
      expectedEventsPerSecond: 50,
      alerting: {
        runbookUrl: 'https://runbooks.example.com/inventory/latency',
        labels: { team: 'inventory' },
      },
    },
    {
      service: 'inventory',
      name: 'writes-availability',
      description: '99.5% of item writes succeed, measured per calendar month',
      objective: 99.5,
      window: { calendar: 'month' },
      sli: { golden: { signal: 'availability', route: '/items/:id' } },
      alerting: { tiers: { 'ticket-3d': { enabled: false } } },
    },
  ],
});
