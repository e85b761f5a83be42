// A target that touches nothing: a small simulation of the reference topology (region r1 with a primary in
// AZ a and a synchronous standby in AZ b, an asynchronous replica in r2, a global front), so runbooks can be
// rehearsed and shown end to end before the lab or AWS is involved. Every call is recorded.
import type { DbNode, HealthStatus, TargetAdapter } from './types.ts';

export interface DryCall {
  method: string;
  args: unknown[];
}

export class DryRunTarget implements TargetAdapter {
  readonly name = 'dry-run (simulated; nothing is touched)';
  readonly dryRun = true;
  readonly calls: DryCall[] = [];
  private nodes: DbNode[] = [
    { name: 'db-r1-a', region: 'r1', az: 'a', role: 'primary' },
    { name: 'db-r1-b', region: 'r1', az: 'b', role: 'standby' },
    { name: 'db-r2-a', region: 'r2', az: 'a', role: 'replica' },
  ];
  private readonly down = new Set<string>();
  private readonly isolated = new Set<string>();
  private front = 'r1';
  private current = 'main';
  private readonly rows = new Map<string, number>([['main', 1000]]);
  private rowsBeforeCorruption: number | null = null;

  constructor(private readonly clock: () => Date = () => new Date()) {}

  private log(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }

  private up(n: DbNode): boolean {
    return !this.down.has(n.name) && !this.isolated.has(n.region);
  }

  async killAz(region: string, az: string) {
    this.log('killAz', region, az);
    for (const n of this.nodes) if (n.region === region && n.az === az) this.down.add(n.name);
    return { simulated: `AZ ${region}/${az} powered off` };
  }

  async reviveAz(region: string, az: string) {
    this.log('reviveAz', region, az);
    for (const n of this.nodes) {
      if (n.region !== region || n.az !== az || !this.down.delete(n.name)) continue;
      // A node that was primary comes back behind the new one.
      if (n.role === 'primary' && this.nodes.some((o) => o !== n && o.role === 'primary')) n.role = 'standby';
    }
    return { simulated: `AZ ${region}/${az} back` };
  }

  async isolateRegion(region: string) {
    this.log('isolateRegion', region);
    this.isolated.add(region);
    return { simulated: `region ${region} isolated` };
  }

  async reconnectRegion(region: string) {
    this.log('reconnectRegion', region);
    this.isolated.delete(region);
    for (const n of this.nodes) {
      if (n.region === region && n.role === 'primary' && this.nodes.some((o) => o !== n && o.role === 'primary')) n.role = 'replica';
    }
    return { simulated: `region ${region} reconnected` };
  }

  async corruptData(table: string) {
    this.log('corruptData', table);
    const before = this.rows.get(this.current) ?? 0;
    this.rowsBeforeCorruption = before;
    const rows = Math.ceil(before / 10);
    this.rows.set(this.current, before - rows);
    return { at: this.clock(), rows };
  }

  async promoteStandby(region: string) {
    this.log('promoteStandby', region);
    const candidate =
      this.nodes.find((n) => n.region === region && n.role === 'standby' && this.up(n)) ??
      this.nodes.find((n) => n.region === region && n.role === 'replica' && this.up(n));
    if (!candidate) throw new Error(`no standby or replica alive in ${region}`);
    for (const n of this.nodes) if (n.role === 'primary' && !this.up(n)) n.role = 'down';
    candidate.role = 'primary';
    return { primary: candidate.name };
  }

  async switchGlobalFront(toRegion: string) {
    this.log('switchGlobalFront', toRegion);
    this.front = toRegion;
    return { simulated: `global front → ${toRegion}` };
  }

  async restorePitr(targetTime: Date) {
    this.log('restorePitr', targetTime.toISOString());
    const database = `${this.current}-pitr`;
    this.rows.set(database, this.rowsBeforeCorruption ?? this.rows.get(this.current) ?? 0);
    return { database };
  }

  async cutOver(database: string) {
    this.log('cutOver', database);
    if (!this.rows.has(database)) throw new Error(`no database ${database}`);
    this.current = database;
    return { simulated: `service now uses ${database}` };
  }

  async health(scope?: { region?: string; global?: boolean }): Promise<HealthStatus> {
    this.log('health', scope ?? {});
    const region = scope?.region ?? this.front;
    const primary = this.nodes.find((n) => n.role === 'primary' && this.up(n));
    if (this.isolated.has(region)) return { healthy: false, detail: `[dry-run] region ${region} unreachable` };
    if (!primary) return { healthy: false, detail: '[dry-run] no reachable primary database' };
    return { healthy: true, detail: `[dry-run] ${region} serving, primary ${primary.name}` };
  }

  async dbRoles(): Promise<DbNode[]> {
    this.log('dbRoles');
    return this.nodes.map((n) => ({ ...n, role: this.up(n) ? n.role : 'down' }));
  }

  async replicationLag(region: string): Promise<number | null> {
    this.log('replicationLag', region);
    const replica = this.nodes.find((n) => n.region === region && (n.role === 'replica' || n.role === 'standby') && this.up(n));
    return replica ? 0 : null;
  }

  async rowCount(table: string, database?: string): Promise<number> {
    this.log('rowCount', table, database);
    return this.rows.get(database ?? this.current) ?? 0;
  }
}
