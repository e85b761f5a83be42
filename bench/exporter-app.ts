// Child process for bench/exporter.ts: the same trivial express app under one instrumentation
// variant. Prints the listening port on stdout.
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

const variant = process.argv[2] ?? 'bare';
const require = createRequire(import.meta.url);

async function otelFirst(): Promise<void> {
  // Auto-instrumentation must patch http/express before they are loaded; spans go to a no-op
  // exporter through the usual batch processor, so the network is out of the measurement.
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const { getNodeAutoInstrumentations } = await import('@opentelemetry/auto-instrumentations-node');
  const sdk = new NodeSDK({
    serviceName: 'bench',
    traceExporter: { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} },
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [getNodeAutoInstrumentations({ '@opentelemetry/instrumentation-fs': { enabled: false } })],
  });
  sdk.start();
}

if (variant === 'otel') await otelFirst();
const express = require('express') as typeof import('express');
const app = express();

if (variant === 'solida') {
  const { createExporter } = await import('../src/exporter/index.ts');
  const exporter = createExporter({ service: 'bench', tracing: false });
  app.use(exporter.middleware);
  app.get('/metrics', exporter.metricsHandler);
} else if (variant === 'prom-bundle') {
  const promBundle = require('express-prom-bundle') as typeof import('express-prom-bundle');
  app.use(promBundle({ includeMethod: true, includePath: true, includeStatusCode: true }));
}

app.get('/items/:id', (req, res) => {
  res.json({ id: req.params.id });
});

const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
