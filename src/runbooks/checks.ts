// Checks are plain async functions of the run context, so a team can plug its own (a smoke request, a
// business invariant) next to these: health, DB role, replication lag, row counts.
import type { Check, DbNode } from './types.ts';

type HealthScope = { region?: string; global?: boolean };

export function healthy(scope?: HealthScope | ((ctx: Parameters<Check>[0]) => HealthScope)): Check {
  return async (ctx) => {
    const h = await ctx.target.health(typeof scope === 'function' ? scope(ctx) : scope);
    return { ok: h.healthy, detail: h.detail };
  };
}

function describeNodes(nodes: DbNode[]): string {
  return nodes.map((n) => `${n.name}=${n.role}`).join(', ') || 'no database nodes';
}

/** Exactly one primary, and (when given) in `where`'s region and outside `notAz`. */
export function singlePrimary(where: (ctx: Parameters<Check>[0]) => { region?: string; notAz?: string } = () => ({})): Check {
  return async (ctx) => {
    const nodes = await ctx.target.dbRoles();
    const primaries = nodes.filter((n) => n.role === 'primary');
    const want = where(ctx);
    if (primaries.length !== 1) {
      return { ok: false, detail: `${primaries.length} primaries (${describeNodes(nodes)})`, value: nodes };
    }
    const [p] = primaries;
    if (want.region && p.region !== want.region) return { ok: false, detail: `primary ${p.name} is in ${p.region}, expected ${want.region}`, value: nodes };
    if (want.notAz && p.az === want.notAz) return { ok: false, detail: `primary ${p.name} is still in AZ ${p.az}`, value: nodes };
    return { ok: true, detail: `primary is ${p.name} (${p.region}${p.az ? `/${p.az}` : ''})`, value: nodes };
  };
}

export function replicationLagBelow(region: (ctx: Parameters<Check>[0]) => string, maxSeconds: (ctx: Parameters<Check>[0]) => number): Check {
  return async (ctx) => {
    const r = region(ctx);
    const lag = await ctx.target.replicationLag(r);
    const max = maxSeconds(ctx);
    if (lag === null) return { ok: false, detail: `no replica answers in ${r}` };
    return { ok: lag <= max, detail: `replica in ${r} is ${lag}s behind (limit ${max}s)`, value: lag };
  };
}

/** Records the row count in state[key] (always ok unless the query fails). */
export function recordRowCount(key: string): Check {
  return async (ctx) => {
    if (ctx.target.rowCountUnavailable) return { ok: true, detail: `not measured: ${ctx.target.rowCountUnavailable}` };
    const n = await ctx.target.rowCount(ctx.params.table);
    ctx.state[key] = n;
    return { ok: true, detail: `${ctx.params.table} has ${n} rows`, value: n };
  };
}

/** The current (or `database`'s) row count is at least state[key]: no acknowledged row lost. */
export function rowCountAtLeast(key: string, database?: (ctx: Parameters<Check>[0]) => string | undefined): Check {
  return async (ctx) => {
    if (ctx.target.rowCountUnavailable) return { ok: true, detail: `not measured: ${ctx.target.rowCountUnavailable}` };
    const before = ctx.state[key];
    if (typeof before !== 'number') return { ok: false, detail: `no earlier row count recorded as '${key}'` };
    const db = database?.(ctx);
    const now = await ctx.target.rowCount(ctx.params.table, db);
    const where = db ? ` on ${db}` : '';
    return {
      ok: now >= before,
      detail: now >= before ? `${now} rows${where} (≥ ${before} before)` : `${now} rows${where}, ${before - now} fewer than the ${before} before`,
      value: { before, now },
    };
  };
}
