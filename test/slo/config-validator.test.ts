// The precompiled config validator (src/slo/config-validator.generated.js) is the fast path of reading a
// config: a value it accepts skips zod. So it must accept exactly what zod accepts and returns unchanged —
// anything else would let an invalid config through, or hand normalization a value zod would have changed —
// and it must be regenerated whenever the zod schema changes.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { GENERATED_VALIDATOR, configValidatorSource } from '../../scripts/generate-config-validator.ts';
import { configSchema } from '../../src/slo/config.ts';
import { validate } from '../../src/slo/config-validator.generated.js';
import example from '../../examples/solida.config.ts';

/** A config with every field the schema has, each kind of SLI and window. */
const everyField = {
  scrapeInterval: '15s',
  evaluationInterval: '30s',
  budgetPolicy: { freezeWhenBurnedPercent: 50, within: '7d', fixesOnlyWhenBurnedPercent: 100 },
  services: [
    {
      name: 'api',
      description: 'the API',
      selector: '{job="api"}',
      labels: { team: 'core' },
      runbooks: { 'az-failure': 'https://runbooks.example.com/az' },
      aws: {
        region: 'eu-west-1',
        alb: { loadBalancer: 'app/a/1', targetGroup: 'targetgroup/t/2' },
        ecs: { cluster: 'c', service: 's' },
        rds: { instance: 'db', cluster: 'dbc', engine: 'postgres' },
        lambda: { functionName: 'f' },
        sqs: { queueName: 'q' },
        cloudfront: { distributionId: 'E1' },
        sns: { page: 'arn:aws:sns:eu-west-1:1:p', ticket: 'arn:aws:sns:eu-west-1:1:t' },
      },
    },
  ],
  slos: [
    {
      service: 'api',
      name: 'events',
      description: 'd',
      objective: 99.9,
      window: '28d',
      sli: { events: { errors: 'http_requests_total{code=~"5.."}', good: 'x', total: 'http_requests_total' } },
      grouping: ['route'],
      labels: { tier: 'gold' },
      expectedEventsPerSecond: 0,
      budgetPolicy: { freezeWhenBurnedPercent: 25 },
      alerting: {
        name: 'Api-Burn:x.y',
        labels: { team: 'core' },
        annotations: { summary: 's' },
        runbookUrl: 'https://runbooks.example.com/events',
        defaultTiers: true,
        tiers: { 'page-1h': { enabled: true, severity: 'page', burnRate: 14.4, budgetConsumed: 2, longWindow: '1h', shortWindow: '5m', for: '2m', labels: {}, annotations: {} } },
        noData: { enabled: true, for: '10m', severity: 'ticket' },
      },
    },
    { service: 'api', name: 'raw', objective: 99, sli: { raw: { errorRatio: 'sum(rate(e[{{.window}}]))/sum(rate(t[{{.window}}]))' } } },
    {
      service: 'api',
      name: 'latency',
      objective: 99,
      window: { calendar: 'week', timeZone: 'Europe/Madrid', startTime: '2026-01-05 00:00:00' },
      sli: { latency: { histogram: 'h', threshold: 0.3, buckets: [0.1, 0.3] } },
    },
    { service: 'api', name: 'golden', objective: 99.5, sli: { golden: { signal: 'latency', route: '/items/:id', threshold: '300ms' } } },
    {
      service: 'api',
      name: 'cw',
      objective: 99,
      sli: {
        cloudwatch: {
          errors: [{ namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', dimensions: { LoadBalancer: 'app/a/1' }, stat: 'Sum' }],
          total: [{ namespace: 'N', metricName: 'M' }],
          latencyThreshold: '1s',
        },
      },
    },
  ],
};

const valid: Record<string, unknown> = {
  'examples/solida.config.ts': structuredClone(example),
  'examples/solida.yaml': parse(readFileSync(new URL('../../examples/solida.yaml', import.meta.url), 'utf8')),
  'every field': everyField,
};

/** Values a leaf may be replaced with: other types, the edges of each check zod makes. */
const REPLACEMENTS: unknown[] = [
  undefined,
  null,
  true,
  0,
  -1,
  100,
  101,
  0.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '',
  ' ',
  'x',
  '5m',
  'has space',
  'Bad Name',
  'http://x.example',
  ' https://x.example',
  'https://x.example/\n',
  'not a url',
  'page',
  'month',
  'latency',
  [],
  [1],
  {},
  { a: 'b' },
  { a: 1 },
];

/** Every value reached by one change to `value`: a key removed, a key added, a leaf or subtree replaced. */
function* mutants(value: unknown): Generator<unknown> {
  for (const r of REPLACEMENTS) yield r;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      for (const m of mutants(value[i])) yield value.map((v, j) => (j === i ? m : v));
      yield value.filter((_, j) => j !== i);
    }
    if (value.length) yield [...value, value[0]];
  } else if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    for (const [k, v] of entries) {
      for (const m of mutants(v)) yield { ...value, [k]: m };
      yield Object.fromEntries(entries.filter(([key]) => key !== k));
    }
    yield { ...value, unknownField: 'x' };
    yield { ...value, 'Bad Key!': {} };
  }
}

/** What the fast path must answer: zod accepts the value and returns it exactly as it was given. */
function zodKeepsAsIs(value: unknown): boolean {
  const parsed = configSchema.safeParse(value);
  return parsed.success && isDeepStrictEqual(parsed.data, value);
}

describe('the precompiled config validator', () => {
  it('is generated from the current zod schema (run npm run generate:validators after changing config.ts)', () => {
    expect(readFileSync(GENERATED_VALIDATOR, 'utf8')).toBe(configValidatorSource());
  });

  it('would be stale after a schema change: the generated code follows the schema', () => {
    const changed = configSchema.extend({ newField: z.string().optional() });
    expect(configValidatorSource(changed)).not.toBe(configValidatorSource());
    expect(configValidatorSource(changed)).toContain('newField');
  });

  for (const [name, value] of Object.entries(valid)) {
    it(`accepts ${name}, and every one-change variant of it exactly when zod accepts it unchanged`, () => {
      expect(zodKeepsAsIs(value)).toBe(true);
      expect(validate(value)).toBe(true);
      let count = 0;
      const disagreements: string[] = [];
      for (const m of mutants(value)) {
        count++;
        if (validate(m) !== zodKeepsAsIs(m)) disagreements.push(`${validate(m) ? 'accepted' : 'rejected'}: ${JSON.stringify(m).slice(0, 300)}`);
      }
      expect(count).toBeGreaterThan(500);
      expect(disagreements).toEqual([]);
    });
  }

  it('rejects a URL zod would trim or strip (so the fast path never skips a change zod makes)', () => {
    const withUrl = (runbookUrl: string) => ({ ...everyField, slos: [{ ...everyField.slos[0], alerting: { runbookUrl } }] });
    expect(validate(withUrl('https://runbooks.example.com/a'))).toBe(true);
    for (const url of [' https://runbooks.example.com/a', 'https://runbooks.example.com/a ', 'https://runbooks.exa\tmple.com/a', 'runbooks.example.com']) {
      expect(validate(withUrl(url)), url).toBe(false);
    }
  });
});
