// A connection pool that always talks to the writable primary of a multi-host cluster. postgres.js picks
// the host (target_session_attrs=primary skips hot standbys); this wrapper adds what a failover needs on
// top: a client-side deadline (a frozen primary never answers, and TCP will not tell), and a fresh pool
// after a connection error or a deadline, so the next query re-resolves which host is the primary.
import postgres from 'postgres';

export interface DbTarget {
  host: string;
  port: number;
}

/** "127.0.0.1:5432,127.0.0.1:5433" -> targets. */
export function parseHosts(text: string): DbTarget[] {
  const targets = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((hp) => {
      const i = hp.lastIndexOf(':');
      const port = Number(hp.slice(i + 1));
      if (i <= 0 || !Number.isInteger(port) || port <= 0) throw new Error(`bad host:port "${hp}"`);
      return { host: hp.slice(0, i), port };
    });
  if (targets.length === 0) throw new Error('no database hosts given');
  return targets;
}

export interface PrimaryPoolOptions {
  hosts: DbTarget[];
  database: string;
  user: string;
  password?: string;
  /** Deadline for one unit of work, in ms. */
  queryTimeoutMs?: number;
  max?: number;
}

export class DeadlineError extends Error {
  readonly code = 'DEADLINE_EXCEEDED';
}

// Errors that say the connection (not the statement) failed: the primary may have moved.
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'DEADLINE_EXCEEDED',
  '25006', // read_only_sql_transaction: we reached a server that became (or still is) a standby
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);

export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return typeof code === 'string' && CONNECTION_CODES.has(code);
}

export class PrimaryPool {
  private sql: postgres.Sql;
  private readonly timeoutMs: number;

  constructor(private readonly opts: PrimaryPoolOptions) {
    this.timeoutMs = opts.queryTimeoutMs ?? 3000;
    this.sql = this.create();
  }

  private create(): postgres.Sql {
    return postgres({
      // postgres.js takes several hosts as "host:port,host:port" (tried in order).
      host: this.opts.hosts.map((h) => `${h.host}:${h.port}`).join(','),
      database: this.opts.database,
      user: this.opts.user,
      password: this.opts.password,
      max: this.opts.max ?? 8,
      connect_timeout: 2,
      idle_timeout: 30,
      keep_alive: 5,
      // 'read-write' in postgres.js only looks at default_transaction_read_only, which a hot standby
      // reports as off; 'primary' checks in_hot_standby and so skips standbys.
      target_session_attrs: 'primary' as const,
      fetch_types: false,
      onnotice: () => {},
    });
  }

  /** Run `work` on the primary within the deadline; on a connection failure the pool is rebuilt. */
  async run<T>(work: (sql: postgres.Sql) => Promise<T>, timeoutMs = this.timeoutMs): Promise<T> {
    const sql = this.sql;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        work(sql),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new DeadlineError(`database did not answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (err) {
      if (isConnectionError(err)) this.reset(sql);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private reset(failed: postgres.Sql): void {
    if (this.sql !== failed) return; // another request already rebuilt it
    this.sql = this.create();
    failed.end({ timeout: 0 }).catch(() => {});
  }

  async end(): Promise<void> {
    await this.sql.end({ timeout: 1 });
  }
}
