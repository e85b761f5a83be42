// The in-repo fake for what moto 5.2.1's FIS lacks, and ONLY that: an HTTP front for a real moto_server.
// moto serves CreateExperimentTemplate, DeleteExperimentTemplate and tags; it answers 500 to
// GetExperimentTemplate and runs no experiment. This front serves
//   - GetExperimentTemplate with moto's own answer to the CreateExperimentTemplate that made the template
//     (moto's serialization of what it stored, not the request: a field moto dropped or changed shows);
//   - StartExperiment, GetExperiment, StopExperiment: an experiment only starts from a template moto holds,
//     is `running` when started and `completed` at the first GetExperiment after that.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

export interface FisGaps {
  url: string;
  /** Method and path of every request, in order. */
  calls: string[];
  close(): Promise<void>;
}

interface Experiment {
  id: string;
  experimentTemplateId: string;
  state: { status: string; reason?: string };
  actions: Record<string, { actionId: string; state: { status: string } }>;
  tags?: Record<string, string>;
  polls: number;
}

export async function startFisGaps(motoUrl: string): Promise<FisGaps> {
  const experiments = new Map<string, Experiment>();
  const calls: string[] = [];

  const forward = async (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
    const r = await fetch(`${motoUrl}${req.url}`, { method: req.method, headers, body: req.method === 'GET' || req.method === 'DELETE' ? undefined : raw });
    const out: Record<string, string> = {};
    r.headers.forEach((v, k) => {
      if (!['content-length', 'transfer-encoding', 'connection'].includes(k)) out[k] = v;
    });
    const body = Buffer.from(await r.arrayBuffer());
    res.writeHead(r.status, out);
    res.end(body);
    return { status: r.status, body };
  };
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const notFound = (res: ServerResponse, message: string) => {
    res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
    res.end(JSON.stringify({ message }));
  };
  const view = (e: Experiment) => {
    const { polls: _polls, ...rest } = e;
    return rest;
  };

  /**
   * moto's own serialization of each template, as its CreateExperimentTemplate answer returned it (moto has
   * no read operation; its state dump fails once RDS holds instances, so the create answer is the record).
   */
  const templates = new Map<string, Record<string, unknown>>();
  const motoTemplate = async (id: string): Promise<Record<string, unknown> | undefined> => templates.get(id);

  const handle = async (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    calls.push(`${req.method} ${path}`);
    if (req.method === 'POST' && path === '/experiments') {
      const input = JSON.parse(raw.toString('utf8'));
      const t = (await motoTemplate(input.experimentTemplateId)) as { actions: Record<string, { actionId: string }> } | undefined;
      if (!t) return notFound(res, `experiment template ${input.experimentTemplateId} not found`);
      const e: Experiment = {
        id: `EXP${randomUUID().replaceAll('-', '').slice(0, 14)}`,
        experimentTemplateId: input.experimentTemplateId,
        state: { status: 'running' },
        actions: Object.fromEntries(Object.entries(t.actions).map(([name, a]) => [name, { actionId: a.actionId, state: { status: 'running' } }])),
        tags: input.tags,
        polls: 0,
      };
      experiments.set(e.id, e);
      return json(res, 200, { experiment: view(e) });
    }
    const tm = /^\/experimentTemplates\/([^/]+)$/.exec(path);
    if (tm && req.method === 'GET') {
      const t = await motoTemplate(decodeURIComponent(tm[1]));
      return t ? json(res, 200, { experimentTemplate: t }) : notFound(res, `experiment template ${tm[1]} not found`);
    }
    const m = /^\/experiments\/([^/]+)$/.exec(path);
    if (m && (req.method === 'GET' || req.method === 'DELETE')) {
      const e = experiments.get(decodeURIComponent(m[1]));
      if (!e) return notFound(res, 'experiment not found');
      if (req.method === 'DELETE') e.state = { status: 'stopped', reason: 'stopped by the caller' };
      else if (e.state.status === 'running' && ++e.polls >= 1) {
        e.state = { status: 'completed' };
        for (const a of Object.values(e.actions)) a.state = { status: 'completed' };
      }
      return json(res, 200, { experiment: view(e) });
    }
    if (req.method === 'POST' && path === '/experimentTemplates') {
      const r = await forward(req, res, raw);
      const t = r.status === 200 ? (JSON.parse(r.body.toString('utf8')) as { experimentTemplate?: Record<string, unknown> }).experimentTemplate : undefined;
      if (t?.id) templates.set(String(t.id), t);
      return;
    }
    if (req.method === 'DELETE' && tm) templates.delete(decodeURIComponent(tm[1]));
    await forward(req, res, raw);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((err) => json(res, 500, { message: String(err) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, calls, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
