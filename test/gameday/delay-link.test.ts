// The cross-region fault proxy: bytes from upstream arrive no earlier than the delay, in order; cutting the
// link drops what is still in transit and refuses new connections until it is restored.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDelayLink, type DelayLink } from '../../src/gameday/delay-link.ts';

const DELAY = 200;
let upstream: Server;
let upstreamPort: number;
let link: DelayLink;
/** A slow link for the cut test: nothing can arrive before the cut even on a busy machine. */
let slow: DelayLink;

beforeAll(async () => {
  // Upstream: answers every byte it receives with that byte upper-cased.
  upstream = createServer((s) => s.on('data', (d) => s.write(d.toString().toUpperCase())).on('error', () => {}));
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  upstreamPort = (upstream.address() as { port: number }).port;
  link = await startDelayLink([upstreamPort], DELAY);
  slow = await startDelayLink([upstreamPort], 5000);
});

afterAll(async () => {
  await link.close();
  await slow.close();
  await new Promise<void>((r) => upstream.close(() => r()));
});

function open(via: DelayLink = link): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = connect(via.ports.get(upstreamPort)!, '127.0.0.1', () => resolve({ socket, received: () => data, closed }));
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('data', (d) => (data += d.toString()));
    socket.on('error', () => {});
    setTimeout(() => reject(new Error('connect timeout')), 2000);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('delay link', () => {
  it('delivers upstream bytes after the delay, in order', async () => {
    const c = await open();
    const sent = Date.now();
    c.socket.write('abc');
    c.socket.write('def');
    while (c.received().length < 6 && Date.now() - sent < 5000) await sleep(10);
    expect(Date.now() - sent).toBeGreaterThanOrEqual(DELAY - 1);
    expect(c.received()).toBe('ABCDEF');
    c.socket.destroy();
  });

  it('drops what is in transit when cut, refuses connections until restored', async () => {
    const c = await open(slow);
    c.socket.write('lost');
    await sleep(100); // upstream has answered; the answer is held in the link
    slow.cut();
    await c.closed;
    expect(c.received()).toBe('');
    const refused = await open(slow);
    await refused.closed;
    expect(refused.received()).toBe('');
    slow.restore();
    const again = await open(slow);
    let closedAgain = false;
    void again.closed.then(() => (closedAgain = true));
    await sleep(200);
    expect(closedAgain).toBe(false);
    again.socket.destroy();
  });
});
