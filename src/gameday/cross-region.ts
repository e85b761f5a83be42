// Cross-region replication latency for the lab: the DR region's asynchronous replica streams from the
// primary region through a delay link, so at the region loss the WAL still in transit is lost, as it
// would be between real regions (on loopback the replica is never more than a millisecond behind).
import { component, withAdmin, type LabDescription } from '../lab/index.ts';
import { waitFor } from '../lab/wait.ts';
import { startDelayLink, type DelayLink } from './delay-link.ts';

export interface CrossRegionDelay {
  link: DelayLink;
  replica: string;
  /** Puts the replica's original upstream back (when it is still a replica) and closes the link. */
  undo(): Promise<void>;
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

async function setConninfo(port: number, conninfo: string): Promise<void> {
  await withAdmin(port, async (sql) => {
    await sql.unsafe(`alter system set primary_conninfo = ${literal(conninfo)}`);
    await sql`select pg_reload_conf()`;
  });
}

/** Route the replica of the second region through a link that delays the primary region's WAL by `delayMs`. */
export async function delayCrossRegionReplication(lab: LabDescription, delayMs: number): Promise<CrossRegionDelay | null> {
  const [home, dr] = lab.regions;
  const replica = lab.components.find((c) => c.kind === 'postgres' && c.region === dr && c.role === 'replica');
  if (!replica) return null;
  const upstreams = lab.components.filter((c) => c.kind === 'postgres' && c.region === home && c.role !== 'restored').map((c) => c.port);
  const link = await startDelayLink(upstreams, delayMs);
  try {
    const [{ primary_conninfo: original }] = await withAdmin(replica.port, (sql) => sql`select current_setting('primary_conninfo') as primary_conninfo`);
    const proxied = String(original).replace(/\bport=([\d,]+)/, (_, list: string) => `port=${list.split(',').map((p) => link.ports.get(Number(p)) ?? p).join(',')}`);
    await setConninfo(replica.port, proxied);
    const proxyPorts = new Set(link.ports.values());
    await waitFor(
      async () => {
        const rows = await withAdmin(replica.port, (sql) => sql`select sender_port from pg_stat_wal_receiver where status = 'streaming'`);
        return rows.length > 0 && proxyPorts.has(Number(rows[0].sender_port));
      },
      { what: `${replica.name} streaming through the delay link`, timeoutMs: 20_000 },
    );
    return {
      link,
      replica: replica.name,
      undo: async () => {
        const live = component(lab, replica.name);
        const [row] = await withAdmin(live.port, (sql) => sql`select pg_is_in_recovery() as recovery`).catch(() => [{ recovery: false }]);
        if (row.recovery) await setConninfo(live.port, String(original)).catch(() => {});
        await link.close();
      },
    };
  } catch (err) {
    await link.close();
    throw err;
  }
}
