// HTTP GET/POST for solida's own clients (report's Prometheus source): every call has a deadline for the
// whole exchange (a silent or slow-drip server cannot hang a report), a cap on the response size (a huge
// body cannot take the memory), and URLs shown in messages never carry credentials.
import { SolidaError } from './errors.ts';

export interface HttpLimits {
  /** Deadline for connecting, sending and reading the whole body. */
  timeoutMs: number;
  /** Largest response body accepted. */
  maxBytes: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = { timeoutMs: 30_000, maxBytes: 64 * 1024 * 1024 };

const SECRET_PARAMS = /^(password|passwd|pass|token|access_token|api_key|apikey|key|secret|auth|signature|x-amz-signature|x-amz-security-token)$/i;

/** The URL with user:password and secret-looking query values replaced by ***. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // Not a URL: still hide anything that looks like userinfo.
    return url.replace(/\/\/[^/@\s]*@/, '//***@');
  }
  if (u.username || u.password) {
    u.username = '***';
    u.password = '';
  }
  for (const k of [...u.searchParams.keys()]) if (SECRET_PARAMS.test(k)) u.searchParams.set(k, '***');
  return u.toString();
}

/** fetch() refuses URLs with credentials: they become a Basic Authorization header instead. */
export function splitCredentials(url: string): { url: string; headers: Record<string, string> } {
  const u = new URL(url);
  if (!u.username && !u.password) return { url, headers: {} };
  const auth = Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
  u.username = '';
  u.password = '';
  return { url: u.toString(), headers: { authorization: `Basic ${auth}` } };
}

export interface LimitedResponse {
  status: number;
  ok: boolean;
  text: string;
}

export async function fetchLimited(
  url: string,
  init: RequestInit,
  limits: HttpLimits = DEFAULT_HTTP_LIMITS,
  fetchImpl: typeof fetch = fetch,
): Promise<LimitedResponse> {
  const shown = redactUrl(url);
  const { url: plain, headers } = splitCredentials(url);
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const timedOut = () =>
    new SolidaError(`no complete answer from ${shown} within ${limits.timeoutMs / 1000} s`, 2, [
      { message: 'the server accepted the request but did not finish answering', fix: 'check the server is healthy, or raise --timeout' },
    ]);
  let res: Response;
  try {
    res = await fetchImpl(plain, { ...init, headers: { ...(init.headers as Record<string, string>), ...headers }, signal });
  } catch (err) {
    if (signal.aborted) throw timedOut();
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new SolidaError(`cannot reach ${shown}`, 2, [{ message: cause?.code ?? cause?.message ?? (err as Error).message, fix: 'check the URL and that the server is up' }]);
  }
  const declared = Number(res.headers.get('content-length'));
  const tooBig = () =>
    new SolidaError(`the answer from ${shown} is larger than ${limits.maxBytes} bytes`, 2, [
      { message: 'response body over the size limit; nothing was read past it', fix: 'narrow the query (a selector that matches fewer series)' },
    ]);
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooBig();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    const reader = res.body?.getReader();
    if (reader) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > limits.maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw tooBig();
        }
        chunks.push(value);
      }
    }
  } catch (err) {
    if (err instanceof SolidaError) throw err;
    if (signal.aborted) throw timedOut();
    throw new SolidaError(`the answer from ${shown} broke off`, 2, [{ message: (err as Error).message, fix: 'retry; check the server and any proxy in between' }]);
  }
  return { status: res.status, ok: res.ok, text: Buffer.concat(chunks).toString('utf8') };
}
