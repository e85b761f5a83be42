// An in-repo fake of CloudWatch Application Signals' SLO API (restJson1), because moto 5.2.1 has no
// Application Signals at all. It keeps SLOs in memory and enforces the service's documented rules that
// solida relies on: unique names (ConflictException), exactly one ReturnData query per metric list,
// NextToken pages on ListServiceLevelObjectives, tags given at create. Requests are checked against the
// API model by solida itself before they are sent; this fake is only the other end of the wire.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

type Body = Record<string, any>;

export interface FakeApplicationSignals {
  url: string;
  slos: Map<string, Body>;
  tags: Map<string, { Key: string; Value: string }[]>;
  calls: string[];
  /** An SLO made by someone else (no managed-by tag). */
  addForeign(name: string): void;
  close(): Promise<void>;
}

export async function startFakeApplicationSignals(opts: { region: string; account: string; pageSize?: number }): Promise<FakeApplicationSignals> {
  const slos = new Map<string, Body>();
  const tags = new Map<string, { Key: string; Value: string }[]>();
  const calls: string[] = [];
  const arn = (name: string) => `arn:aws:application-signals:${opts.region}:${opts.account}:slo/${name}`;
  const byId = (id: string) => slos.get(id.startsWith('arn:') ? id.slice(id.indexOf(':slo/') + 5) : id);

  const json = (res: ServerResponse, status: number, body: unknown, errorType?: string) => {
    res.writeHead(status, { 'content-type': 'application/json', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
    res.end(JSON.stringify(body));
  };
  const oneReturnData = (q: Body[] | undefined) => (q ?? []).filter((x) => x.ReturnData !== false).length === 1;
  const checkSli = (cfg: Body | undefined): string | undefined => {
    const m = cfg?.RequestBasedSliMetricConfig;
    if (!m) return 'RequestBasedSliConfig.RequestBasedSliMetricConfig is required';
    const monitored = m.MonitoredRequestCountMetric?.BadCountMetric ?? m.MonitoredRequestCountMetric?.GoodCountMetric;
    if (!oneReturnData(m.TotalRequestCountMetric) || !oneReturnData(monitored)) return 'each MetricDataQueries list must have exactly one query with ReturnData true';
    return undefined;
  };
  const view = (s: Body) => ({
    Arn: s.Arn, Name: s.Name, Description: s.Description, CreatedTime: s.CreatedTime, LastUpdatedTime: s.LastUpdatedTime,
    EvaluationType: 'RequestBased',
    RequestBasedSli: { RequestBasedSliMetric: { TotalRequestCountMetric: s.RequestBasedSliConfig.RequestBasedSliMetricConfig.TotalRequestCountMetric, MonitoredRequestCountMetric: s.RequestBasedSliConfig.RequestBasedSliMetricConfig.MonitoredRequestCountMetric } },
    // The service fills the warning threshold (50 %) when none is given.
    Goal: { ...s.Goal, WarningThreshold: s.Goal?.WarningThreshold ?? 50 },
    BurnRateConfigurations: s.BurnRateConfigurations ?? [],
  });

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    calls.push(`${req.method} ${url.pathname}`);
    const body: Body = raw ? JSON.parse(raw) : {};
    const now = Date.now() / 1000;
    if (req.method === 'POST' && url.pathname === '/slo') {
      if (slos.has(body.Name)) return json(res, 409, { Message: `SLO ${body.Name} already exists` }, 'ConflictException');
      const problem = checkSli(body.RequestBasedSliConfig);
      if (problem) return json(res, 400, { message: problem }, 'ValidationException');
      const s: Body = { ...body, Arn: arn(body.Name), CreatedTime: now, LastUpdatedTime: now };
      delete s.Tags;
      slos.set(body.Name, s);
      tags.set(s.Arn, body.Tags ?? []);
      return json(res, 200, { Slo: view(s) });
    }
    if (req.method === 'POST' && url.pathname === '/slos') {
      const all = [...slos.values()].sort((a, b) => a.Name.localeCompare(b.Name));
      const start = Number(url.searchParams.get('NextToken') ?? 0);
      const size = Math.min(Number(url.searchParams.get('MaxResults') ?? 50), opts.pageSize ?? 50);
      const page = all.slice(start, start + size).map((s) => ({ Arn: s.Arn, Name: s.Name, CreatedTime: s.CreatedTime }));
      return json(res, 200, { SloSummaries: page, ...(start + size < all.length ? { NextToken: String(start + size) } : {}) });
    }
    if (req.method === 'GET' && url.pathname === '/tags') {
      return json(res, 200, { Tags: tags.get(url.searchParams.get('ResourceArn') ?? '') ?? [] });
    }
    const m = /^\/slo\/(.+)$/.exec(url.pathname);
    if (m) {
      const s = byId(decodeURIComponent(m[1]));
      if (!s) return json(res, 404, { Message: 'SLO not found' }, 'ResourceNotFoundException');
      if (req.method === 'GET') return json(res, 200, { Slo: view(s) });
      if (req.method === 'DELETE') {
        slos.delete(s.Name);
        tags.delete(s.Arn);
        return json(res, 200, {});
      }
      if (req.method === 'PATCH') {
        if (body.RequestBasedSliConfig) {
          const problem = checkSli(body.RequestBasedSliConfig);
          if (problem) return json(res, 400, { message: problem }, 'ValidationException');
        }
        for (const k of ['Description', 'RequestBasedSliConfig', 'Goal', 'BurnRateConfigurations']) if (body[k] !== undefined) s[k] = body[k];
        s.LastUpdatedTime = now;
        return json(res, 200, { Slo: view(s) });
      }
    }
    return json(res, 404, { message: `the fake does not serve ${req.method} ${url.pathname}` }, 'UnknownOperationException');
  };

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      try {
        handle(req, res, raw);
      } catch (err) {
        json(res, 500, { message: String(err) }, 'InternalServerException');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    slos,
    tags,
    calls,
    addForeign(name) {
      const s = {
        Name: name, Arn: arn(name), CreatedTime: Date.now() / 1000, LastUpdatedTime: Date.now() / 1000,
        RequestBasedSliConfig: { RequestBasedSliMetricConfig: { TotalRequestCountMetric: [], MonitoredRequestCountMetric: { BadCountMetric: [] } } },
        Goal: { Interval: { RollingInterval: { DurationUnit: 'DAY', Duration: 7 } }, AttainmentGoal: 99 },
      };
      slos.set(name, s);
      tags.set(s.Arn, [{ Key: 'team', Value: 'platform' }]);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
