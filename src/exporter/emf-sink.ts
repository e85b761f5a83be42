// Where EMF documents go: stdout lines (picked up by the awslogs/FireLens driver on ECS, or Lambda),
// or straight to CloudWatch Logs with PutLogEvents, batched within the API's limits.
import { createRequire } from 'node:module';
// Types only (and the command names, which test/aws-models reads to check a model is shipped for each call).
import type { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, InputLogEvent, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { EmfDocument } from './emf.ts';

// The AWS SDK client (~70 modules, several MiB of heap) is loaded only by a service that sends EMF to
// CloudWatch Logs itself: every instrumented service imports this module, most write to stdout.
const require = createRequire(import.meta.url);
const loadLogsClient = () => require('@aws-sdk/client-cloudwatch-logs') as typeof import('@aws-sdk/client-cloudwatch-logs');

/** PutLogEvents limits (CloudWatch Logs API reference, PutLogEvents). */
export const PUT_LOG_EVENTS_LIMITS = {
  maxBatchBytes: 1_048_576,
  perEventOverheadBytes: 26,
  maxEvents: 10_000,
  maxEventBytes: 256 * 1024,
  maxSpanMs: 24 * 60 * 60 * 1000,
} as const;

export interface EmfSink {
  write(docs: EmfDocument[]): Promise<void>;
}

export function stdoutSink(write: (line: string) => void = (l) => process.stdout.write(l)): EmfSink {
  return {
    async write(docs) {
      if (docs.length > 0) write(docs.map((d) => `${JSON.stringify(d)}\n`).join(''));
    },
  };
}

export interface CloudWatchLogsSinkOptions {
  logGroupName: string;
  logStreamName: string;
  client?: CloudWatchLogsClient;
  region?: string;
  /** Send to this URL instead of AWS (LocalStack, moto, a VPC endpoint); AWS_ENDPOINT_URL_CLOUDWATCH_LOGS works too. */
  endpoint?: string;
  /** Create the log stream on first use. Default true. */
  createLogStream?: boolean;
  /**
   * Create the log group too when it is missing. Default false: groups usually come from infrastructure
   * code with a retention policy, and a group created here would keep logs forever.
   */
  createLogGroup?: boolean;
}

const alreadyExists = (err: unknown) => (err as { name?: string }).name === 'ResourceAlreadyExistsException';

export function cloudWatchLogsSink(opts: CloudWatchLogsSinkOptions): EmfSink {
  // The values, under the names of the types imported above.
  const { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } = loadLogsClient();
  const client = opts.client ?? new CloudWatchLogsClient({ ...(opts.region ? { region: opts.region } : {}), ...(opts.endpoint ? { endpoint: opts.endpoint } : {}) });
  let streamReady = opts.createLogStream === false;
  return {
    async write(docs) {
      const events = docs
        .map((d) => ({ timestamp: d._aws.Timestamp, message: JSON.stringify(d) }))
        .filter((e) => Buffer.byteLength(e.message, 'utf8') <= PUT_LOG_EVENTS_LIMITS.maxEventBytes);
      if (events.length === 0) return;
      if (!streamReady) {
        if (opts.createLogGroup) {
          try {
            await client.send(new CreateLogGroupCommand({ logGroupName: opts.logGroupName }));
          } catch (err) {
            if (!alreadyExists(err)) throw err;
          }
        }
        try {
          await client.send(new CreateLogStreamCommand({ logGroupName: opts.logGroupName, logStreamName: opts.logStreamName }));
        } catch (err) {
          if (!alreadyExists(err)) throw err;
        }
        streamReady = true;
      }
      for (const batch of batchLogEvents(events)) {
        await client.send(
          new PutLogEventsCommand({ logGroupName: opts.logGroupName, logStreamName: opts.logStreamName, logEvents: batch }),
        );
      }
    },
  };
}

/**
 * Splits events into PutLogEvents batches: chronological order, ≤10,000 events, ≤1,048,576 bytes
 * (UTF-8 message bytes + 26 per event), ≤24 h between first and last event. Events over the
 * per-event size limit must be dropped by the caller.
 */
export function batchLogEvents(events: InputLogEvent[]): InputLogEvent[][] {
  const sorted = [...events].sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
  const batches: InputLogEvent[][] = [];
  let current: InputLogEvent[] = [];
  let bytes = 0;
  for (const e of sorted) {
    const size = Buffer.byteLength(e.message ?? '', 'utf8') + PUT_LOG_EVENTS_LIMITS.perEventOverheadBytes;
    const first = current[0];
    if (
      current.length > 0 &&
      (current.length >= PUT_LOG_EVENTS_LIMITS.maxEvents ||
        bytes + size > PUT_LOG_EVENTS_LIMITS.maxBatchBytes ||
        (e.timestamp ?? 0) - (first.timestamp ?? 0) > PUT_LOG_EVENTS_LIMITS.maxSpanMs)
    ) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
