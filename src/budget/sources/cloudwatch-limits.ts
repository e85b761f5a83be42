// The CloudWatch client `report` uses: the same deadlines and response-size cap as the Prometheus source.
// The SDK has no size limit of its own, so a middleware counts the raw body as the deserializer reads it.
import { Transform, pipeline, type Readable } from 'node:stream';
import { CloudWatchClient, type CloudWatchClientConfig } from '@aws-sdk/client-cloudwatch';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from '../../util/http.ts';

export function limitResponseSize(client: CloudWatchClient, maxBytes: number): CloudWatchClient {
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const response = out.response as { body?: unknown; headers?: Record<string, string> };
      const declared = Number(response.headers?.['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) throw new Error(`response of ${declared} bytes is over the ${maxBytes}-byte limit`);
      const body = response.body as Readable | undefined;
      if (body && typeof body.pipe === 'function') {
        let seen = 0;
        const counter = new Transform({
          transform(chunk: Buffer, _enc, done) {
            seen += chunk.length;
            if (seen > maxBytes) done(new Error(`response over the ${maxBytes}-byte limit`));
            else done(null, chunk);
          },
        });
        response.body = pipeline(body, counter, () => undefined);
      }
      return out;
    },
    // Below the deserializer (priority low in the same step): it sees the raw HTTP response first.
    { step: 'deserialize', priority: 'low', name: 'solidaResponseSizeLimit' },
  );
  return client;
}

export function boundedCloudWatchClient(config: CloudWatchClientConfig, limits: HttpLimits = DEFAULT_HTTP_LIMITS): CloudWatchClient {
  const client = new CloudWatchClient({
    maxAttempts: 3,
    ...config,
    // requestTimeout is the socket's idle timeout: a silent or slow-drip endpoint fails instead of hanging.
    requestHandler: { connectionTimeout: Math.min(limits.timeoutMs, 10_000), requestTimeout: limits.timeoutMs },
  });
  return limitResponseSize(client, limits.maxBytes);
}
