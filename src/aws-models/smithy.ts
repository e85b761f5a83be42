// Validates an AWS SDK v3 request against the service's Smithy JSON model before it is sent.
// The SDK itself checks almost nothing client-side: a too-long name or an unknown member (silently
// dropped by the serializer) only shows up as a 400 from AWS, or worse, not at all. Checking against the
// published model catches both offline, in tests and before every apply.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SolidaError, type Problem } from '../util/errors.ts';

export type AwsService =
  | 'cloudwatch'
  | 'fis'
  | 'rds'
  | 'cloudwatch-logs'
  | 'route53'
  | 'arc-zonal-shift'
  | 'application-signals'
  | 'elbv2';

const MODEL_FILES: Record<AwsService, string> = {
  cloudwatch: 'cloudwatch-2010-08-01.json',
  fis: 'fis-2020-12-01.json',
  rds: 'rds-2014-10-31.json',
  'cloudwatch-logs': 'cloudwatch-logs-2014-03-28.json',
  route53: 'route-53-2013-04-01.json',
  'arc-zonal-shift': 'arc-zonal-shift-2022-10-30.json',
  'application-signals': 'application-signals-2024-04-15.json',
  elbv2: 'elastic-load-balancing-v2-2015-12-01.json',
};

interface MemberRef {
  target: string;
  traits?: Record<string, unknown>;
}

interface Shape {
  type: string;
  members?: Record<string, MemberRef>;
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  input?: { target: string };
  traits?: Record<string, unknown>;
}

interface SmithyModel {
  shapes: Record<string, Shape>;
}

interface LoadedModel {
  shapes: Record<string, Shape>;
  operations: Map<string, string>;
}

const T_REQUIRED = 'smithy.api#required';
const T_LENGTH = 'smithy.api#length';
const T_RANGE = 'smithy.api#range';
const T_PATTERN = 'smithy.api#pattern';
const T_ENUM = 'smithy.api#enum';
const T_ENUM_VALUE = 'smithy.api#enumValue';
const T_SPARSE = 'smithy.api#sparse';
const T_IDEMPOTENCY = 'smithy.api#idempotencyToken';
const T_SENSITIVE = 'smithy.api#sensitive';

/** Prelude shapes that models reference directly (e.g. smithy.api#String). */
const PRELUDE: Record<string, Shape> = {
  'smithy.api#String': { type: 'string' },
  'smithy.api#Blob': { type: 'blob' },
  'smithy.api#Boolean': { type: 'boolean' },
  'smithy.api#PrimitiveBoolean': { type: 'boolean' },
  'smithy.api#Byte': { type: 'byte' },
  'smithy.api#PrimitiveByte': { type: 'byte' },
  'smithy.api#Short': { type: 'short' },
  'smithy.api#PrimitiveShort': { type: 'short' },
  'smithy.api#Integer': { type: 'integer' },
  'smithy.api#PrimitiveInteger': { type: 'integer' },
  'smithy.api#Long': { type: 'long' },
  'smithy.api#PrimitiveLong': { type: 'long' },
  'smithy.api#Float': { type: 'float' },
  'smithy.api#PrimitiveFloat': { type: 'float' },
  'smithy.api#Double': { type: 'double' },
  'smithy.api#PrimitiveDouble': { type: 'double' },
  'smithy.api#BigInteger': { type: 'bigInteger' },
  'smithy.api#BigDecimal': { type: 'bigDecimal' },
  'smithy.api#Timestamp': { type: 'timestamp' },
  'smithy.api#Document': { type: 'document' },
  'smithy.api#Unit': { type: 'structure', members: {} },
};

const INT_BOUNDS: Record<string, [number, number]> = {
  byte: [-128, 127],
  short: [-32768, 32767],
  integer: [-2147483648, 2147483647],
  long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

const cache = new Map<AwsService, LoadedModel>();
const patternCache = new Map<string, RegExp>();

/**
 * Where the models live: $SOLIDA_AWS_MODELS when set (full or trimmed Smithy JSON models, e.g. a checkout of
 * aws/api-models-aws flattened to one folder), else the trimmed copy shipped in the package (models/aws,
 * made by scripts/trim-aws-models.mjs). The same relative path works from src/aws and from dist/aws.
 */
export function awsModelsDir(): string {
  const override = process.env.SOLIDA_AWS_MODELS;
  const dir = override || fileURLToPath(new URL('../../models/aws', import.meta.url));
  if (existsSync(join(dir, MODEL_FILES.cloudwatch))) return dir;
  throw new SolidaError('AWS API models not found', 2, [
    override
      ? { path: 'SOLIDA_AWS_MODELS', message: `${dir} holds no ${MODEL_FILES.cloudwatch}`, fix: 'point SOLIDA_AWS_MODELS at a folder of Smithy JSON models, or unset it to use the copy shipped with solida' }
      : { file: dir, message: 'the AWS API models shipped with solida are missing', fix: 'reinstall solida, or set SOLIDA_AWS_MODELS to a folder of Smithy JSON models' },
  ]);
}

function loadModel(service: AwsService): LoadedModel {
  const cached = cache.get(service);
  if (cached) return cached;
  const file = MODEL_FILES[service];
  if (!file) throw new SolidaError(`unknown AWS service '${String(service)}'`, 2);
  const path = join(awsModelsDir(), file);
  if (!existsSync(path)) {
    throw new SolidaError(`AWS API model ${file} not found`, 2, [{ file: path, message: `no ${service} model`, fix: 'add it to SOLIDA_AWS_MODELS, or to models/aws/operations.json and rerun scripts/trim-aws-models.mjs' }]);
  }
  const raw = JSON.parse(readFileSync(path, 'utf8')) as SmithyModel;
  const operations = new Map<string, string>();
  for (const [id, shape] of Object.entries(raw.shapes)) {
    if (shape.type === 'operation') operations.set(id.slice(id.indexOf('#') + 1), id);
  }
  const loaded = { shapes: raw.shapes, operations };
  cache.set(service, loaded);
  return loaded;
}

/** The operation names a service model defines (for tests and error messages). */
export function listOperations(service: AwsService): string[] {
  return [...loadModel(service).operations.keys()].sort();
}

/**
 * Problems with `input` as the request of `service`.`operation` (an SDK v3 command input).
 * An empty list means every member is known and every constraint in the model holds.
 */
export function validateRequest(service: AwsService, operation: string, input: unknown): Problem[] {
  const model = loadModel(service);
  const opName = operation.endsWith('Command') && !model.operations.has(operation) ? operation.slice(0, -7) : operation;
  const opId = model.operations.get(opName);
  if (!opId) {
    throw new SolidaError(`the ${service} API has no operation '${operation}'`, 2);
  }
  const inputTarget = model.shapes[opId].input?.target ?? 'smithy.api#Unit';
  const problems: Problem[] = [];
  new Walker(model, problems).value(inputTarget, input ?? {}, '', {});
  return problems;
}

/** Throws a SolidaError listing every problem when the request would be rejected (or silently altered). */
export function assertValidRequest(service: AwsService, operation: string, input: unknown, what?: string): void {
  const problems = validateRequest(service, operation, input);
  if (problems.length > 0) {
    throw new SolidaError(
      `${what ?? `${service} ${operation} request`} does not match the AWS API model`,
      2,
      problems,
    );
  }
}

function childPath(parent: string, member: string): string {
  return parent ? `${parent}.${member}` : member;
}

function keyPath(parent: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? childPath(parent, key) : `${parent}[${JSON.stringify(key)}]`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return 'a Date';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

function compilePattern(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    // Smithy patterns are ECMA-262 and not implicitly anchored. Some AWS patterns escape
    // characters that unicode mode rejects (e.g. `\_`), so fall back to non-unicode mode.
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = new RegExp(pattern);
    }
    patternCache.set(pattern, re);
  }
  return re;
}

function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

class Walker {
  constructor(
    private readonly model: LoadedModel,
    private readonly problems: Problem[],
  ) {}

  private shape(id: string): Shape {
    const s = this.model.shapes[id] ?? PRELUDE[id];
    if (!s) throw new Error(`Smithy model references unknown shape ${id}`);
    return s;
  }

  private report(path: string, message: string, fix?: string): void {
    this.problems.push(fix ? { path: path || '(request)', message, fix } : { path: path || '(request)', message });
  }

  /** Validates `v` against the shape `target`, with the traits applied on the member that points to it. */
  value(target: string, v: unknown, path: string, memberTraits: Record<string, unknown>): void {
    const shape = this.shape(target);
    const traits = { ...(shape.traits ?? {}), ...memberTraits };
    switch (shape.type) {
      case 'structure':
        return this.structure(shape, v, path);
      case 'union':
        return this.union(shape, v, path);
      case 'list':
      case 'set':
        return this.list(shape, traits, v, path);
      case 'map':
        return this.map(shape, traits, v, path);
      case 'string':
        return this.string(traits, v, path);
      case 'enum':
        return this.enumValue(shape, v, path);
      case 'intEnum':
        return this.intEnumValue(shape, v, path);
      case 'boolean':
        if (typeof v !== 'boolean') this.report(path, `expected a boolean, got ${describe(v)}`);
        return;
      case 'byte':
      case 'short':
      case 'integer':
      case 'long':
        return this.integer(shape.type, traits, v, path);
      case 'float':
      case 'double':
        return this.float(traits, v, path);
      case 'bigInteger':
      case 'bigDecimal':
        if (typeof v !== 'number' && typeof v !== 'bigint' && typeof v !== 'string') {
          this.report(path, `expected a number, got ${describe(v)}`);
        }
        return;
      case 'timestamp':
        if (!(v instanceof Date) || Number.isNaN(v.getTime())) {
          this.report(path, `expected a valid Date, got ${describe(v)}`);
        }
        return;
      case 'blob':
        if (typeof v !== 'string' && !(v instanceof Uint8Array)) {
          this.report(path, `expected bytes (Uint8Array or string), got ${describe(v)}`);
        } else {
          const n = typeof v === 'string' ? Buffer.byteLength(v) : v.byteLength;
          this.checkLength(traits, n, path, 'bytes');
        }
        return;
      case 'document':
        return;
      default:
        throw new Error(`Smithy shape ${target} has unsupported type ${shape.type}`);
    }
  }

  private structure(shape: Shape, v: unknown, path: string): void {
    if (!isPlainObject(v)) {
      this.report(path, `expected a structure (object), got ${describe(v)}`);
      return;
    }
    const members = shape.members ?? {};
    for (const [name, value] of Object.entries(v)) {
      if (value === undefined) continue;
      const member = members[name];
      if (!member) {
        const known = Object.keys(members);
        const near = known.find((k) => k.toLowerCase() === name.toLowerCase());
        this.report(
          childPath(path, name),
          'unknown member (the SDK would drop it silently)',
          near ? `did you mean '${near}'?` : `known members: ${known.join(', ') || '(none)'}`,
        );
        continue;
      }
      if (value === null) {
        this.report(childPath(path, name), 'null is not a value; omit the member instead');
        continue;
      }
      this.value(member.target, value, childPath(path, name), member.traits ?? {});
    }
    for (const [name, member] of Object.entries(members)) {
      const t = member.traits ?? {};
      // The SDK fills idempotency tokens itself when they are left out.
      if (T_REQUIRED in t && !(T_IDEMPOTENCY in t) && (v[name] === undefined || v[name] === null)) {
        this.report(childPath(path, name), 'required member is missing');
      }
    }
  }

  private union(shape: Shape, v: unknown, path: string): void {
    if (!isPlainObject(v)) {
      this.report(path, `expected a union (object with exactly one member), got ${describe(v)}`);
      return;
    }
    const set = Object.entries(v).filter(([, value]) => value !== undefined);
    if (set.length !== 1) {
      this.report(path, `a union takes exactly one member, got ${set.length}`, `choose one of: ${Object.keys(shape.members ?? {}).join(', ')}`);
    }
    this.structure(shape, v, path);
  }

  private list(shape: Shape, traits: Record<string, unknown>, v: unknown, path: string): void {
    if (!Array.isArray(v)) {
      this.report(path, `expected a list, got ${describe(v)}`);
      return;
    }
    this.checkLength(traits, v.length, path, 'items');
    const sparse = T_SPARSE in traits;
    v.forEach((item, i) => {
      const p = `${path}[${i}]`;
      if (item === null || item === undefined) {
        if (!sparse) this.report(p, 'list items cannot be null');
        return;
      }
      this.value(shape.member!.target, item, p, shape.member!.traits ?? {});
    });
  }

  private map(shape: Shape, traits: Record<string, unknown>, v: unknown, path: string): void {
    if (!isPlainObject(v)) {
      this.report(path, `expected a map (object), got ${describe(v)}`);
      return;
    }
    const entries = Object.entries(v).filter(([, value]) => value !== undefined);
    this.checkLength(traits, entries.length, path, 'entries');
    const sparse = T_SPARSE in traits;
    for (const [k, value] of entries) {
      const p = keyPath(path, k);
      this.value(shape.key!.target, k, p, shape.key!.traits ?? {});
      if (value === null) {
        if (!sparse) this.report(p, 'map values cannot be null');
        continue;
      }
      this.value(shape.value!.target, value, p, shape.value!.traits ?? {});
    }
  }

  private string(traits: Record<string, unknown>, v: unknown, path: string): void {
    if (typeof v !== 'string') {
      this.report(path, `expected a string, got ${describe(v)}`);
      return;
    }
    const shown = T_SENSITIVE in traits ? '(sensitive value)' : JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);
    this.checkLength(traits, codePointLength(v), path, 'characters');
    const pattern = traits[T_PATTERN];
    if (typeof pattern === 'string' && !compilePattern(pattern).test(v)) {
      this.report(path, `${shown} does not match the pattern ${pattern}`);
    }
    const legacyEnum = traits[T_ENUM] as Array<{ value: string }> | undefined;
    if (Array.isArray(legacyEnum) && !legacyEnum.some((e) => e.value === v)) {
      this.report(path, `${shown} is not one of the allowed values`, `use one of: ${legacyEnum.map((e) => e.value).join(', ')}`);
    }
  }

  private enumValue(shape: Shape, v: unknown, path: string): void {
    const allowed = Object.entries(shape.members ?? {}).map(([name, m]) => {
      const ev = m.traits?.[T_ENUM_VALUE];
      return typeof ev === 'string' ? ev : name;
    });
    if (typeof v !== 'string' || !allowed.includes(v)) {
      this.report(path, `${describe(v)} is not one of the allowed values`, `use one of: ${allowed.join(', ')}`);
    }
  }

  private intEnumValue(shape: Shape, v: unknown, path: string): void {
    const allowed = Object.values(shape.members ?? {}).map((m) => m.traits?.[T_ENUM_VALUE] as number);
    if (typeof v !== 'number' || !allowed.includes(v)) {
      this.report(path, `${describe(v)} is not one of the allowed values`, `use one of: ${allowed.join(', ')}`);
    }
  }

  private integer(type: string, traits: Record<string, unknown>, v: unknown, path: string): void {
    const n = typeof v === 'bigint' && type === 'long' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n)) {
      this.report(path, `expected an integer, got ${describe(v)}`);
      return;
    }
    const [lo, hi] = INT_BOUNDS[type];
    if (n < lo || n > hi) this.report(path, `${n} does not fit a ${type}`);
    this.checkRange(traits, n, path);
  }

  private float(traits: Record<string, unknown>, v: unknown, path: string): void {
    if (typeof v !== 'number' || Number.isNaN(v)) {
      this.report(path, `expected a number, got ${describe(v)}`);
      return;
    }
    this.checkRange(traits, v, path);
  }

  private checkLength(traits: Record<string, unknown>, n: number, path: string, unit: string): void {
    const len = traits[T_LENGTH] as { min?: number; max?: number } | undefined;
    if (!len) return;
    if (len.min !== undefined && n < len.min) this.report(path, `has ${n} ${unit}, the minimum is ${len.min}`);
    if (len.max !== undefined && n > len.max) this.report(path, `has ${n} ${unit}, the maximum is ${len.max}`);
  }

  private checkRange(traits: Record<string, unknown>, n: number, path: string): void {
    const range = traits[T_RANGE] as { min?: number | string; max?: number | string } | undefined;
    if (!range) return;
    if (range.min !== undefined && n < Number(range.min)) this.report(path, `${n} is below the minimum ${range.min}`);
    if (range.max !== undefined && n > Number(range.max)) this.report(path, `${n} is above the maximum ${range.max}`);
  }
}
