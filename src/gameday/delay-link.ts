// A fault proxy for the link between regions (no Linux traffic control needed): TCP forwarding on
// 127.0.0.1 that holds what the upstream sends for `delayMs` before passing it on, as a cross-region
// network does. `cut()` is the region loss: every connection is reset and the bytes still in transit are
// dropped, so what was in flight never arrives — exactly what an asynchronous replica loses.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface DelayLink {
  /** Upstream port → the proxy port that forwards to it. */
  readonly ports: Map<number, number>;
  readonly delayMs: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startDelayLink(upstreamPorts: number[], delayMs: number): Promise<DelayLink> {
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const ports = new Map<number, number>();
  let isCut = false;

  const pair = (client: Socket, upstreamPort: number) => {
    if (isCut) return void client.destroy();
    const upstream = connect(upstreamPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
      s.on('error', () => {});
    }
    // Upstream → client is delayed; timers of equal duration fire in the order they were set, so the
    // byte stream stays in order.
    upstream.on('data', (chunk) => {
      const t = setTimeout(() => {
        timers.delete(t);
        if (!client.destroyed) client.write(chunk);
      }, delayMs);
      timers.add(t);
    });
    client.on('data', (chunk) => {
      if (!upstream.destroyed) upstream.write(chunk);
    });
  };

  for (const upstreamPort of upstreamPorts) {
    const server = createServer((client) => pair(client, upstreamPort));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('delay link: no TCP address');
    ports.set(upstreamPort, address.port);
    servers.push(server);
  }

  const dropEverything = () => {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    for (const s of sockets) s.destroy();
  };

  return {
    ports,
    delayMs,
    cut: () => {
      isCut = true;
      dropEverything();
    },
    restore: () => {
      isCut = false;
    },
    close: async () => {
      isCut = true;
      dropEverything();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
