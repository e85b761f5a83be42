// error_type per OTel semconv (error.type), shaped for solida's availability SLI, which counts
// `error_type!=""` as bad events: every 5xx, timeout, aborted or failed request gets a non-empty
// value; every completed 1xx-4xx response gets "" (the label is then absent in Prometheus).

export interface RequestOutcome {
  /** The response was fully written (res.writableFinished). */
  finished: boolean;
  /** HTTP status sent (meaningful when finished). */
  status: number;
  /** An exception seen for this request (thrown by a wrapped handler or passed to errorHandler). */
  error?: unknown;
  /** The socket timeout (socket.setTimeout / server.timeout) expired before the response finished. */
  timedOut: boolean;
}

export function classifyOutcome(o: RequestOutcome): string {
  if (!o.finished) {
    if (o.timedOut || isTimeoutError(o.error)) return 'timeout';
    return o.error !== undefined ? exceptionType(o.error) : 'aborted';
  }
  if (o.status < 500) return '';
  if (o.error === undefined) return String(o.status);
  return isTimeoutError(o.error) ? 'timeout' : exceptionType(o.error);
}

/** The exception's class name (semconv: "the exception type"), falling back to its name. */
export function exceptionType(err: unknown): string {
  if (err instanceof Error) {
    const ctor = (err as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof ctor === 'string' && ctor ? ctor : err.name || 'Error';
  }
  return err === null ? 'null' : typeof err;
}

/** Timeouts as reported by common libraries: connect-timeout, undici/fetch, AbortSignal.timeout, net. */
export function isTimeoutError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { name?: unknown; code?: unknown; timeout?: unknown };
  return (
    e.name === 'TimeoutError' ||
    e.code === 'ETIMEDOUT' ||
    e.code === 'ESOCKETTIMEDOUT' ||
    e.code === 'UND_ERR_HEADERS_TIMEOUT' ||
    e.code === 'UND_ERR_BODY_TIMEOUT' ||
    (typeof e.timeout === 'number' && e.code !== undefined)
  );
}
