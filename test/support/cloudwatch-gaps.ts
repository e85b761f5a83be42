// The in-repo fake for what moto 5.2.1's CloudWatch lacks, and ONLY that, as an HTTP front for a real
// moto_server: every request goes to moto except
//   - PutCompositeAlarm (moto answers 500): composites are kept here, with AWS's rules (the rule may name
//     only existing alarms; one alarm per name whatever its kind; Tags ignored on update);
//   - DescribeAlarms ParentsOfAlarmName (moto ignores it and returns every alarm);
//   - pagination: moto returns all DescribeAlarms/ListDashboards results in one page, so this front cuts
//     moto's answer into pages (MaxRecords, and `dashboardPageSize` for ListDashboards, whose real page is
//     1,000) with NextToken, the way CloudWatch does;
//   - DeleteAlarms of an alarm a composite still references (CloudWatch refuses; moto deletes);
//   - tags of composite alarms.
// Everything else (metric alarms with metric math, tags, dashboards, metric data) is moto's own answer.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseAlarmRule, ruleAlarms } from '../../src/cloudwatch/composite-rule.ts';

interface Composite {
  AlarmName: string;
  AlarmArn: string;
  AlarmRule: string;
  [k: string]: unknown;
}

type Body = Record<string, any>;

export interface CloudWatchGaps {
  url: string;
  /** Operation of every request, in order (mutating and read alike). */
  calls: { operation: string; input: Body }[];
  composites: Map<string, Composite>;
  close(): Promise<void>;
}

const TARGET_PREFIX = 'GraniteServiceVersion20100801.';

export async function startCloudWatchGaps(motoUrl: string, opts: { region: string; account: string; dashboardPageSize?: number }): Promise<CloudWatchGaps> {
  const composites = new Map<string, Composite>();
  const compositeTags = new Map<string, { Key: string; Value: string }[]>();
  const calls: CloudWatchGaps['calls'] = [];
  const arn = (name: string) => `arn:aws:cloudwatch:${opts.region}:${opts.account}:alarm:${name}`;

  const moto = async (req: IncomingMessage, raw: Buffer, body?: Body, operation?: string): Promise<{ status: number; headers: Record<string, string>; json: Body | undefined; text: string }> => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
    if (operation) headers['x-amz-target'] = `${TARGET_PREFIX}${operation}`;
    const res = await fetch(`${motoUrl}${req.url}`, { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body ? JSON.stringify(body) : raw });
    const text = await res.text();
    const out: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection') out[k] = v;
    });
    let json: Body | undefined;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: out, json, text };
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

    switch (operation) {
      case 'PutCompositeAlarm': {
        const name: string = input.AlarmName;
        if ((await motoAlarmNames(req, [name])).size) return fail('ValidationError', `${name} is a metric alarm`);
        let refs: string[];
        try {
          refs = ruleAlarms(parseAlarmRule(input.AlarmRule));
        } catch (err) {
          return fail('ValidationError', `invalid AlarmRule: ${(err as Error).message}`);
        }
        const metric = await motoAlarmNames(req, refs);
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
          const parents = [...composites.values()].filter((c) => ruleAlarms(parseAlarmRule(c.AlarmRule)).includes(input.ParentsOfAlarmName));
          return send(200, { CompositeAlarms: parents.map((c) => ({ AlarmName: c.AlarmName, AlarmArn: c.AlarmArn })), MetricAlarms: [] });
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
        const p = page(all, NextToken, MaxRecords ?? 50);
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
        const p = page(entries, NextToken, opts.dashboardPageSize ?? 1000);
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
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    composites,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
