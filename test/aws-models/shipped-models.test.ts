// The AWS API models travel with the package (models/aws, trimmed by scripts/trim-aws-models.mjs):
// every request solida sends or validates must find its operation there, with no outside folder.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsModelsDir, listOperations, type AwsService } from '../../src/aws-models/smithy.ts';

const ROOT = join(import.meta.dirname, '../..');
const SHIPPED = join(ROOT, 'models/aws');
const MODEL_SERVICES = JSON.parse(readFileSync(join(SHIPPED, 'operations.json'), 'utf8')).services as Record<string, { model: string; operations: string[] }>;

/** @aws-sdk/client-<suffix> → the validator's service name. */
const SERVICE_OF_CLIENT: Record<string, AwsService> = {
  cloudwatch: 'cloudwatch',
  'cloudwatch-logs': 'cloudwatch-logs',
  fis: 'fis',
  rds: 'rds',
  'route-53': 'route53',
  'arc-zonal-shift': 'arc-zonal-shift',
  'application-signals': 'application-signals',
  'elastic-load-balancing-v2': 'elbv2',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Every (service, operation) solida calls: `new XxxCommand(` of an imported client, and every validateRequest/assertValidRequest literal. */
function operationsCalled(): { service: string; operation: string; where: string }[] {
  const found: { service: string; operation: string; where: string }[] = [];
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const where = relative(ROOT, file);
    const clientOf = new Map<string, string>();
    for (const m of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([a-z0-9-]+)'/g)) {
      for (const name of m[1].split(',').map((n) => n.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0])) if (name) clientOf.set(name, m[2]);
    }
    for (const m of text.matchAll(/new\s+([A-Z][A-Za-z0-9]*)Command\(/g)) {
      const client = clientOf.get(`${m[1]}Command`);
      if (!client) throw new Error(`${where}: new ${m[1]}Command( without an import from @aws-sdk/client-*`);
      found.push({ service: SERVICE_OF_CLIENT[client] ?? `@aws-sdk/client-${client}`, operation: m[1], where });
    }
    for (const m of text.matchAll(/(?:validateRequest|assertValidRequest)\(\s*'([a-z0-9-]+)',\s*'([A-Za-z]+)'/g)) {
      found.push({ service: m[1], operation: m[2], where });
    }
  }
  return found;
}

describe('the AWS API models shipped in models/aws', () => {
  const saved = process.env.SOLIDA_AWS_MODELS;
  beforeEach(() => {
    delete process.env.SOLIDA_AWS_MODELS;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.SOLIDA_AWS_MODELS;
    else process.env.SOLIDA_AWS_MODELS = saved;
  });

  it('are found inside the package when SOLIDA_AWS_MODELS is unset', () => {
    expect(awsModelsDir()).toBe(SHIPPED);
  });

  it('cover every operation solida calls', () => {
    const called = operationsCalled();
    // The scan must see the calls it is meant to check (a broken regex would pass vacuously).
    expect(called.map((c) => `${c.service}:${c.operation}`)).toEqual(
      expect.arrayContaining(['cloudwatch:PutMetricAlarm', 'cloudwatch:GetMetricData', 'fis:StartExperiment', 'rds:RestoreDBClusterToPointInTime', 'cloudwatch-logs:PutLogEvents']),
    );
    const missing = called.filter((c) => !(c.service in MODEL_SERVICES) || !listOperations(c.service as AwsService).includes(c.operation));
    expect(missing.map((c) => `${c.where}: ${c.service} ${c.operation} — add it to models/aws/operations.json and rerun scripts/trim-aws-models.mjs`)).toEqual([]);
  });

  it('keep the Apache-2.0 licence and a notice saying they were trimmed', () => {
    expect(readFileSync(join(SHIPPED, 'LICENSE'), 'utf8')).toContain('Apache License');
    expect(readFileSync(join(SHIPPED, 'NOTICE'), 'utf8')).toMatch(/Modified by solida/);
  });

  it('SOLIDA_AWS_MODELS overrides the shipped copy, with a one-line fix when it is wrong', () => {
    const empty = mkdtempSync(join(tmpdir(), 'solida-models-'));
    try {
      process.env.SOLIDA_AWS_MODELS = empty;
      expect(() => awsModelsDir()).toThrow(/AWS API models not found/);
      process.env.SOLIDA_AWS_MODELS = SHIPPED;
      expect(awsModelsDir()).toBe(SHIPPED);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('scripts/trim-aws-models.mjs', () => {
  const out = mkdtempSync(join(tmpdir(), 'solida-trim-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('reproduces the shipped copy from it: the copy is in step with operations.json', () => {
    // Trimming is idempotent, so trimming the shipped copy again must give it back byte for byte;
    // an operation listed but never regenerated makes the script fail here.
    execFileSync(process.execPath, [join(ROOT, 'scripts/trim-aws-models.mjs'), SHIPPED, out], { stdio: 'pipe' });
    for (const { model } of Object.values(MODEL_SERVICES)) {
      expect(readFileSync(join(out, model), 'utf8'), model).toBe(readFileSync(join(SHIPPED, model), 'utf8'));
      const trimmed = JSON.parse(readFileSync(join(SHIPPED, model), 'utf8'));
      expect(JSON.stringify(trimmed)).not.toContain('smithy.api#documentation');
    }
  });

  it('lists each model it ships with exactly the operations of operations.json', () => {
    for (const [service, { operations }] of Object.entries(MODEL_SERVICES)) {
      expect(listOperations(service as AwsService)).toEqual([...operations].sort());
    }
  });
});
