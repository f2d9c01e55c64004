import { fetchTrace } from './native-api';

type TraceAnswer = Awaited<ReturnType<typeof fetchTrace>>;

const pending = new Map<string, Promise<TraceAnswer>>();

/**
 * Starts loading a trace before its view's code has arrived: on a direct visit to /trace/<id>
 * the request and the lazy chunk download in parallel instead of one after the other.
 */
export function prefetchTrace(traceId: string): void {
  if (pending.has(traceId)) return;
  const request = fetchTrace(traceId);
  request.catch(() => undefined); // the view reports the error when it takes the request
  pending.set(traceId, request);
}

/** The prefetched request for a trace, once; later loads (reload button) fetch afresh. */
export function takePrefetched(traceId: string): Promise<TraceAnswer> | undefined {
  const request = pending.get(traceId);
  pending.delete(traceId);
  return request;
}
