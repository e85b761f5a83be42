// One HTTP request over a keep-alive agent, timed from the first byte written to the last byte read.
// node:http rather than fetch: the agent's socket pool is explicit (sized to the in-flight bound) and
// a timeout covers the whole exchange, body included.
import http from 'node:http';
import https from 'node:https';

export interface SendSpec {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  timeoutMs: number;
  captureBody: boolean;
}

export interface SendOutcome {
  /** 0 when no response arrived (connection refused, reset, timeout). */
  status: number;
  error?: string;
  body?: string;
}

export class HttpSender {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(maxSockets: number) {
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets });
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets });
  }

  send(spec: SendSpec): Promise<SendOutcome> {
    const mod = spec.url.protocol === 'https:' ? https : http;
    const agent = spec.url.protocol === 'https:' ? this.httpsAgent : this.httpAgent;
    return new Promise((resolve) => {
      let settled = false;
      const done = (o: SendOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(o);
      };
      const req = mod.request(spec.url, { method: spec.method, headers: spec.headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => { if (spec.captureBody) chunks.push(c); });
        res.on('end', () => done({ status: res.statusCode ?? 0, body: spec.captureBody ? Buffer.concat(chunks).toString('utf8') : undefined }));
        res.on('error', (err) => done({ status: 0, error: err.message }));
      });
      const timer = setTimeout(() => {
        done({ status: 0, error: `timeout after ${spec.timeoutMs} ms` });
        req.destroy();
      }, spec.timeoutMs);
      req.on('error', (err) => done({ status: 0, error: (err as NodeJS.ErrnoException).code ?? err.message }));
      if (spec.body !== undefined) req.end(spec.body);
      else req.end();
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
