// The demo service: a small inventory API over PostgreSQL. It is what the lab's load balancer routes to
// and what game days break; every response names the instance that served it (x-served-by).
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { PrimaryPool } from './db.ts';
import { isConnectionError } from './db.ts';

export interface InstanceIdentity {
  /** e.g. inventory-r1-a */
  instance: string;
  region: string;
  az: string;
}

/** The solida exporter's express hooks (see src/exporter). */
export interface Instrumentation {
  middleware: (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;
  metricsHandler: (req: IncomingMessage, res: ServerResponse) => void;
  errorHandler: (err: unknown, req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;
}

class BadRequest extends Error {}

function intField(body: Record<string, unknown>, name: string, opts: { required: boolean; min?: number }): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) {
    if (opts.required) throw new BadRequest(`${name} is required`);
    return undefined;
  }
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || (opts.min !== undefined && n < opts.min)) {
    throw new BadRequest(`${name} must be an integer${opts.min !== undefined ? ` >= ${opts.min}` : ''}`);
  }
  return n;
}

function stringField(body: Record<string, unknown>, name: string, opts: { required: boolean; max: number }): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) {
    if (opts.required) throw new BadRequest(`${name} is required`);
    return undefined;
  }
  if (typeof v !== 'string' || v.length === 0 || v.length > opts.max) {
    throw new BadRequest(`${name} must be a non-empty string of at most ${opts.max} characters`);
  }
  return v;
}

function itemJson(row: Record<string, unknown>) {
  return {
    id: Number(row.id),
    name: row.name,
    quantity: row.quantity,
    createdAt: (row.created_at as Date).toISOString(),
    updatedAt: (row.updated_at as Date).toISOString(),
  };
}

export function createInventoryApp(db: PrimaryPool, who: InstanceIdentity, instrumentation?: Instrumentation) {
  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.setHeader('x-served-by', who.instance);
    next();
  });
  // Health checks are the load balancer's, not clients' requests: served before the instrumentation, so
  // they stay out of the SLI (a passive instance answers them 503 until its region is promoted, and gets
  // nothing else: it is out of the SLI too).
  // Healthy means this instance can write: the database it reaches is a primary that accepts writes.
  app.get('/healthz', async (_req, res) => {
    try {
      const [row] = await db.run(
        (sql) => sql`select pg_is_in_recovery() as recovery, current_setting('transaction_read_only') as read_only,
                            inet_server_port() as port`,
        1500,
      );
      const writable = !row.recovery && row.read_only === 'off';
      res.status(writable ? 200 : 503).json({ status: writable ? 'ok' : 'read-only', ...who, db: { port: row.port, writable } });
    } catch (err) {
      res.status(503).json({ status: 'database unreachable', ...who, error: (err as Error).message });
    }
  });

  if (instrumentation) {
    // Prometheus' scrapes are not clients' requests either: served before the middleware records anything.
    app.get('/metrics', instrumentation.metricsHandler);
    app.use(instrumentation.middleware);
  }
  app.use(express.json({ limit: '64kb' }));

  app.get('/items', async (req, res) => {
    const query = req.query as Record<string, unknown>;
    const limit = Math.min(intField(query, 'limit', { required: false, min: 1 }) ?? 100, 1000);
    // A name prefix selects one game day's known rows (its read check).
    const prefix = stringField(query, 'prefix', { required: false, max: 200 });
    const rows = prefix
      ? await db.run((sql) => sql`select * from items where starts_with(name, ${prefix}) order by id limit ${limit}`)
      : await db.run((sql) => sql`select * from items order by id limit ${limit}`);
    res.json({ items: rows.map(itemJson), ...who });
  });

  app.post('/items', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const name = stringField(body, 'name', { required: true, max: 200 })!;
    const quantity = intField(body, 'quantity', { required: false, min: 0 }) ?? 0;
    const [row] = await db.run((sql) => sql`insert into items (name, quantity) values (${name}, ${quantity}) returning *`);
    res.status(201).json(itemJson(row));
  });

  app.get('/items/:id', async (req, res) => {
    const id = intField(req.params as Record<string, unknown>, 'id', { required: true, min: 1 })!;
    const [row] = await db.run((sql) => sql`select * from items where id = ${id}`);
    if (!row) {
      res.status(404).json({ error: `no item ${id}` });
      return;
    }
    res.json(itemJson(row));
  });

  app.put('/items/:id', async (req, res) => {
    const id = intField(req.params as Record<string, unknown>, 'id', { required: true, min: 1 })!;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const name = stringField(body, 'name', { required: false, max: 200 });
    const quantity = intField(body, 'quantity', { required: false, min: 0 });
    if (name === undefined && quantity === undefined) throw new BadRequest('give name and/or quantity');
    const [row] = await db.run(
      (sql) => sql`update items set name = coalesce(${name ?? null}, name), quantity = coalesce(${quantity ?? null}::int, quantity),
                   updated_at = now() where id = ${id} returning *`,
    );
    if (!row) {
      res.status(404).json({ error: `no item ${id}` });
      return;
    }
    res.json(itemJson(row));
  });

  // Sequence-marked write: idempotent on (run, seq), so a client retry never creates a second row.
  // Acknowledged (2xx) means committed on the primary and, with a synchronous standby, on the standby too.
  app.post('/writes', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const seq = intField(body, 'seq', { required: true, min: 0 })!;
    const run = stringField(body, 'run', { required: false, max: 100 }) ?? '';
    const payload = stringField(body, 'payload', { required: false, max: 4000 }) ?? null;
    const { row, created } = await db.run(async (sql) => {
      const [inserted] = await sql`insert into writes (run, seq, payload, az) values (${run}, ${seq}, ${payload}, ${who.az})
                                   on conflict (run, seq) do nothing returning *`;
      if (inserted) return { row: inserted, created: true };
      const [existing] = await sql`select * from writes where run = ${run} and seq = ${seq}`;
      return { row: existing, created: false };
    });
    res.status(created ? 201 : 200).json({
      seq: Number(row.seq),
      run: row.run,
      created,
      writtenAt: (row.written_at as Date).toISOString(),
      servedBy: who.instance,
    });
  });

  app.get('/writes', async (req, res) => {
    const run = typeof req.query.run === 'string' ? req.query.run : '';
    const rows = await db.run((sql) => sql`select seq from writes where run = ${run} order by seq`);
    res.json({ run, seqs: rows.map((r) => Number(r.seq)) });
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });

  // Records the exception class as error_type, then passes the error on.
  if (instrumentation) app.use(instrumentation.errorHandler);

  // express 5 forwards rejected promises here.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof BadRequest) {
      res.status(400).json({ error: err.message });
    } else if ((err as { type?: string }).type === 'entity.parse.failed') {
      res.status(400).json({ error: 'body is not valid JSON' });
    } else if (isConnectionError(err)) {
      res.status(503).json({ error: `database unavailable: ${(err as Error).message}` });
    } else {
      res.status(500).json({ error: (err as Error).message ?? 'internal error' });
    }
  });

  return app;
}
