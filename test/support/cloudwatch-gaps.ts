// The in-repo fake for what moto 5.2.1's CloudWatch lacks, and ONLY that, as an HTTP front for a real
// moto_server: every request goes to moto except
//   - PutCompositeAlarm (moto answers 500): composites are kept here, with AWS's rules (the rule may name
//     only existing alarms; one alarm per name whatever its kind; Tags ignored on update);
//   - DescribeAlarms ParentsOfAlarmName (moto ignores it and returns every alarm);
//   - pagination: moto ignores MaxRecords and NextToken and returns all DescribeAlarms/ListDashboards
//     results in one page, so this front cuts moto's answer into pages with NextToken the way CloudWatch
//     does: at most MaxRecords alarms (default 50, at most 100), 1,000 dashboards; a test may ask for
//     smaller pages (`pageSizes`) to exercise paging cheaply;
//   - DescribeAlarms AlarmTypes (moto returns metric alarms whatever the filter);
//   - DeleteAlarms of an alarm a composite still references (CloudWatch refuses; moto deletes);
//   - tags of composite alarms.
// Everything else (metric alarms with metric math, tags, dashboards, metric data) is moto's own answer.
// test/aws/cloudwatch-moto.test.ts asks moto for each of these directly, so a moto that gains one fails
// that test and the fake can shrink.
// Every request that crosses this front is also checked against the CloudWatch API model, as it is on the
// wire: a request AWS would refuse fails the test with 400 even where moto would accept it.
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseAlarmRule, ruleAlarms } from '../../src/cloudwatch/composite-rule.ts';
import { validateRequest } from '../../src/aws-models/smithy.ts';

interface Composite {
  AlarmName: string;
  AlarmArn: string;
  AlarmRule: string;
  [k: string]: unknown;
}

type Body = Record<string, any>;

export interface PageSizes {
  /** Alarms per DescribeAlarms page when smaller than MaxRecords (AWS: MaxRecords, default 50, at most 100). */
  alarms: number;
  /** Dashboards per ListDashboards page (AWS: 1,000). */
  dashboards: number;
}

export const AWS_PAGE_SIZES: PageSizes = { alarms: 100, dashboards: 1000 };

export interface CloudWatchGaps {
  url: string;
  /** Operation of every request, in order (mutating and read alike). */
  calls: { operation: string; input: Body }[];
  /** Requests that broke the CloudWatch API model (each was answered with a 400). */
  invalid: { operation: string; problems: string[] }[];
  composites: Map<string, Composite>;
  /** Page sizes from now on (AWS's by default). */
  pageSizes: PageSizes;
  /** Every mutating call since the last clearCalls(), as "Operation name(s)" (ARN for tag calls). */
  mutations(): string[];
  /** Inputs of every `operation` request since the last clearCalls(). */
  requests(operation: string): Body[];
  clearCalls(): void;
  /** Forgets composites, their tags and the call log (moto's own state is reset with moto.reset()). */
  reset(): void;
  close(): Promise<void>;
}

const MUTATING: Record<string, (input: Body) => string> = {
  PutMetricAlarm: (i) => i.AlarmName,
  PutCompositeAlarm: (i) => i.AlarmName,
  DeleteAlarms: (i) => (i.AlarmNames ?? []).join(','),
  PutDashboard: (i) => i.DashboardName,
  DeleteDashboards: (i) => (i.DashboardNames ?? []).join(','),
  TagResource: (i) => i.ResourceARN,
  UntagResource: (i) => i.ResourceARN,
};

/** Model problems of a request as sent on the wire (awsJson: timestamps are epoch seconds, not Dates). */
function wireProblems(operation: string, input: Body): string[] {
  return validateRequest('cloudwatch', operation, input)
    .filter((p) => !/expected a valid Date, got number/.test(p.message))
    .map((p) => `${p.path ?? ''}: ${p.message}`);
}

const TARGET_PREFIX = 'GraniteServiceVersion20100801.';

export async function startCloudWatchGaps(motoUrl: string, opts: { region: string; account: string; pageSizes?: Partial<PageSizes> }): Promise<CloudWatchGaps> {
  const composites = new Map<string, Composite>();
  const compositeTags = new Map<string, { Key: string; Value: string }[]>();
  const calls: CloudWatchGaps['calls'] = [];
  const invalid: CloudWatchGaps['invalid'] = [];
  const pageSizes: PageSizes = { ...AWS_PAGE_SIZES, ...opts.pageSizes };
  const arn = (name: string) => `arn:aws:cloudwatch:${opts.region}:${opts.account}:alarm:${name}`;
  const agent = new Agent({ keepAlive: true });

  const moto = async (req: IncomingMessage, raw: Buffer, body?: Body, operation?: string): Promise<{ status: number; headers: Record<string, string>; json: Body | undefined; text: string }> => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
    if (operation) headers['x-amz-target'] = `${TARGET_PREFIX}${operation}`;
    const payload = req.method === 'GET' || req.method === 'HEAD' ? undefined : body ? Buffer.from(JSON.stringify(body)) : raw;
    // node:http with a keep-alive agent: a fetch per request costs a new connection to moto each time.
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const r = httpRequest(`${motoUrl}${req.url}`, { method: req.method, headers: { ...headers, ...(payload ? { 'content-length': String(payload.length) } : {}) }, agent }, resolve);
      r.on('error', reject);
      r.end(payload);
    });
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (typeof v === 'string' && k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection') out[k] = v;
    }
    let json: Body | undefined;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.statusCode ?? 500, headers: out, json, text };
  };

  const motoAlarmNames = async (req: IncomingMessage, names: string[]): Promise<Set<string>> => {
    if (!names.length) return new Set();
    const r = await moto(req, Buffer.alloc(0), { AlarmNames: names }, 'DescribeAlarms');
    return new Set((r.json?.MetricAlarms ?? []).map((a: Body) => a.AlarmName));
  };

  const page = <T>(items: T[], token: string | undefined, size: number) => {
    const start = Number(token ?? 0);
    return { items: items.slice(start, start + size), next: start + size < items.length ? String(start + size) : undefined };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    const input: Body = raw.length && operation ? JSON.parse(raw.toString('utf8')) : {};
    if (operation) calls.push({ operation, input });
    const send = (status: number, body: Body, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', ...headers });
      res.end(JSON.stringify(body));
    };
    const fail = (code: string, message: string, status = 400) => send(status, { __type: code, message }, { 'x-amzn-query-error': `${code};Sender` });
    const forward = async (body?: Body) => {
      const r = await moto(req, raw, body);
      res.writeHead(r.status, r.headers);
      res.end(r.text);
    };
    if (operation) {
      const problems = wireProblems(operation, input);
      if (problems.length) {
        invalid.push({ operation, problems });
        return fail('ValidationError', `${operation} breaks the CloudWatch API model: ${problems.join('; ')}`);
      }
    }

    switch (operation) {
      case 'PutCompositeAlarm': {
        const name: string = input.AlarmName;
        let refs: string[];
        try {
          refs = ruleAlarms(parseAlarmRule(input.AlarmRule));
        } catch (err) {
          return fail('ValidationError', `invalid AlarmRule: ${(err as Error).message}`);
        }
        const metric = await motoAlarmNames(req, [name, ...refs]);
        if (metric.has(name)) return fail('ValidationError', `${name} is a metric alarm`);
        for (const ref of refs) if (!metric.has(ref) && !composites.has(ref)) return fail('ValidationError', `alarm ${ref} does not exist`);
        const { Tags, ...rest } = input;
        if (!composites.has(name) && Tags) compositeTags.set(arn(name), Tags);
        composites.set(name, { ...rest, AlarmName: name, AlarmArn: arn(name), AlarmRule: input.AlarmRule, StateValue: 'INSUFFICIENT_DATA' });
        return send(200, {});
      }
      case 'PutMetricAlarm':
        if (composites.has(input.AlarmName)) return fail('ValidationError', `${input.AlarmName} is a composite alarm`);
        return forward();
      case 'DescribeAlarms': {
        if (input.ParentsOfAlarmName !== undefined) {
          // AWS: with ParentsOfAlarmName only MaxRecords and NextToken may be given; name and ARN come back.
          const others = Object.keys(input).filter((k) => !['ParentsOfAlarmName', 'MaxRecords', 'NextToken'].includes(k));
          if (others.length) return fail('ValidationError', `ParentsOfAlarmName cannot be combined with ${others.join(', ')}`);
          const parents = [...composites.values()].filter((c) => ruleAlarms(parseAlarmRule(c.AlarmRule)).includes(input.ParentsOfAlarmName)).sort((a, b) => a.AlarmName.localeCompare(b.AlarmName));
          const p = page(parents, input.NextToken, Math.min(input.MaxRecords ?? 50, 100, pageSizes.alarms));
          return send(200, { CompositeAlarms: p.items.map((c) => ({ AlarmName: c.AlarmName, AlarmArn: c.AlarmArn })), MetricAlarms: [], ...(p.next ? { NextToken: p.next } : {}) });
        }
        const { MaxRecords, NextToken, ...query } = input;
        const r = await moto(req, raw, query);
        if (r.status !== 200 || !r.json) return forward();
        const types: string[] = input.AlarmTypes ?? ['MetricAlarm'];
        const matches = (n: string) => (!input.AlarmNames || input.AlarmNames.includes(n)) && n.startsWith(input.AlarmNamePrefix ?? '');
        const all: { kind: 'MetricAlarms' | 'CompositeAlarms'; alarm: Body }[] = [
          ...(types.includes('MetricAlarm') ? (r.json.MetricAlarms ?? []).map((alarm: Body) => ({ kind: 'MetricAlarms' as const, alarm })) : []),
          ...(types.includes('CompositeAlarm') ? [...composites.values()].filter((c) => matches(c.AlarmName)).map((alarm) => ({ kind: 'CompositeAlarms' as const, alarm })) : []),
        ].sort((a, b) => String(a.alarm.AlarmName).localeCompare(String(b.alarm.AlarmName)));
        // CloudWatch returns at most MaxRecords per page (fewer is allowed): a small page exercises paging cheaply.
        const p = page(all, NextToken, Math.min(MaxRecords ?? 50, 100, pageSizes.alarms));
        return send(200, {
          MetricAlarms: p.items.filter((x) => x.kind === 'MetricAlarms').map((x) => x.alarm),
          CompositeAlarms: p.items.filter((x) => x.kind === 'CompositeAlarms').map((x) => x.alarm),
          ...(p.next ? { NextToken: p.next } : {}),
        });
      }
      case 'ListDashboards': {
        const { NextToken, ...query } = input;
        const r = await moto(req, raw, query);
        if (r.status !== 200 || !r.json) return forward();
        const entries = [...(r.json.DashboardEntries ?? [])].sort((a: Body, b: Body) => String(a.DashboardName).localeCompare(String(b.DashboardName)));
        const p = page(entries, NextToken, pageSizes.dashboards);
        return send(200, { DashboardEntries: p.items, ...(p.next ? { NextToken: p.next } : {}) });
      }
      case 'DeleteAlarms': {
        const deleting = new Set<string>(input.AlarmNames ?? []);
        for (const name of deleting) {
          for (const c of composites.values()) {
            if (!deleting.has(c.AlarmName) && ruleAlarms(parseAlarmRule(c.AlarmRule)).includes(name)) return fail('ValidationError', `${name} is referenced by composite ${c.AlarmName}`);
          }
        }
        const rest = [...deleting].filter((n) => !composites.has(n));
        for (const n of deleting) {
          if (composites.delete(n)) compositeTags.delete(arn(n));
        }
        if (!rest.length) return send(200, {});
        return forward({ ...input, AlarmNames: rest });
      }
      case 'ListTagsForResource':
        if (compositeArn(input.ResourceARN)) return send(200, { Tags: compositeTags.get(input.ResourceARN) ?? [] });
        return forward();
      case 'TagResource':
        if (compositeArn(input.ResourceARN)) {
          const byKey = new Map((compositeTags.get(input.ResourceARN) ?? []).map((t) => [t.Key, t]));
          for (const t of input.Tags ?? []) byKey.set(t.Key, t);
          compositeTags.set(input.ResourceARN, [...byKey.values()]);
          return send(200, {});
        }
        return forward();
      case 'UntagResource':
        if (compositeArn(input.ResourceARN)) {
          compositeTags.set(input.ResourceARN, (compositeTags.get(input.ResourceARN) ?? []).filter((t) => !input.TagKeys.includes(t.Key)));
          return send(200, {});
        }
        return forward();
      default:
        return forward();
    }
  };
  const compositeArn = (a: string) => [...composites.values()].some((c) => c.AlarmArn === a);

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((err) => {
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ __type: 'InternalFailure', message: String(err) }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  let since = 0;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    invalid,
    composites,
    pageSizes,
    mutations: () => calls.slice(since).filter((c) => c.operation in MUTATING).map((c) => `${c.operation} ${MUTATING[c.operation](c.input)}`),
    requests: (operation) => calls.slice(since).filter((c) => c.operation === operation).map((c) => c.input),
    clearCalls: () => {
      since = calls.length;
    },
    reset: () => {
      composites.clear();
      compositeTags.clear();
      calls.length = 0;
      invalid.length = 0;
      since = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
