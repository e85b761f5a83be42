// Entry point of one inventory instance, started by `solida lab up` as
// `node --import tsx src/lab/inventory/server.ts --lab-dir=DIR` with its settings in the environment:
//   PORT, DB_HOSTS (host:port,host:port), DB_NAME, DB_USER, DB_PASSWORD_FILE, INSTANCE, REGION, AZ
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createExporter } from '../../exporter/index.ts';
import { createInventoryApp } from './app.ts';
import { PrimaryPool, parseHosts } from './db.ts';

function env(name: string, fallback?: string): string {
  const v = process.env[name] ?? fallback;
  if (v === undefined || v === '') {
    process.stderr.write(`inventory: environment variable ${name} is required\n`);
    process.exit(2);
  }
  return v;
}

const port = Number(env('PORT'));
const who = { instance: env('INSTANCE', 'inventory'), region: env('REGION', 'r1'), az: env('AZ', 'a') };
const passwordFile = process.env.DB_PASSWORD_FILE;
const password = passwordFile ? readFileSync(passwordFile, 'utf8').trim() : undefined;
const db = new PrimaryPool({ hosts: parseHosts(env('DB_HOSTS')), database: env('DB_NAME', 'inventory'), user: env('DB_USER', 'inventory'), password });
// Golden-signal metrics on /metrics; Prometheus adds job="inventory", region and az when it scrapes.
const exporter = createExporter({ service: 'inventory' });
const app = createInventoryApp(db, who, exporter);

const server: Server = app.listen(port, '127.0.0.1', () => {
  process.stdout.write(`inventory ${who.instance} listening on 127.0.0.1:${port}\n`);
});
server.on('error', (err) => {
  process.stderr.write(`inventory: ${err.message}\n`);
  process.exit(1);
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`inventory ${who.instance} stopping (${signal})\n`);
  server.closeAllConnections();
  server.close();
  await Promise.allSettled([db.end(), exporter.shutdown()]);
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
