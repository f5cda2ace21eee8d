/**
 * Failures without an HTTP response, shaped as @smithy/node-http-handler rejects (4.14.2), so the SDK's
 * retry strategy classifies them exactly as it would real ones (TimeoutError and ECONNRESET/ECONNREFUSED
 * are transient; AbortError never retries).
 */
import type { HttpHandlerOptions, HttpRequest } from '@smithy/types';
import type { TransportFailureKind } from './errors.js';

type AbortSignalLike = NonNullable<HttpHandlerOptions['abortSignal']>;

export function transportFailure(kind: TransportFailureKind, request: HttpRequest): Error {
  switch (kind) {
    case 'timeout':
      // The handler's socket-timeout rejection.
      return Object.assign(new Error('@smithy/node-http-handler - the request socket timed out (simulated).'), { name: 'TimeoutError' });
    case 'reset':
      // Node's socket error; the handler renames ECONNRESET, EPIPE and ETIMEDOUT errors to TimeoutError.
      return Object.assign(new Error('read ECONNRESET'), { name: 'TimeoutError', code: 'ECONNRESET', errno: -104, syscall: 'read' });
    case 'refused': {
      const port = request.port ?? (request.protocol === 'http:' ? 80 : 443);
      return Object.assign(new Error(`connect ECONNREFUSED ${request.hostname}:${port}`), {
        code: 'ECONNREFUSED',
        errno: -111,
        syscall: 'connect',
        address: request.hostname,
        port,
      });
    }
  }
}

/** The handler's AbortError: "Request aborted", with the signal's reason as cause when it is an Error. */
export function abortError(signal: AbortSignalLike): Error {
  const reason: unknown = 'reason' in signal ? signal.reason : undefined;
  if (reason instanceof Error) return Object.assign(new Error('Request aborted'), { name: 'AbortError', cause: reason });
  return Object.assign(new Error(reason === undefined ? 'Request aborted' : String(reason)), { name: 'AbortError' });
}

/** Rejects as soon as the signal aborts, through its event listener (no timers); settles with `work` otherwise. */
export function raceWithAbort<T>(work: Promise<T>, signal: AbortSignalLike | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    const stopListening = listen(signal, onAbort);
    work.then(
      (value) => {
        stopListening();
        resolve(value);
      },
      (error: unknown) => {
        stopListening();
        reject(error);
      },
    );
  });
}

function listen(signal: AbortSignalLike, onAbort: () => void): () => void {
  if ('addEventListener' in signal && typeof signal.addEventListener === 'function') {
    signal.addEventListener('abort', onAbort, { once: true });
    return () => signal.removeEventListener('abort', onAbort);
  }
  // The SDK's older AbortSignal interface only has `onabort`.
  const previous = signal.onabort;
  signal.onabort = onAbort;
  return () => {
    signal.onabort = previous;
  };
}
