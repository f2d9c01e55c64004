import { fetchTrace } from './native-api';
import { currentTenant } from './tenant';

type TraceAnswer = Awaited<ReturnType<typeof fetchTrace>>;

const pending = new Map<string, Promise<TraceAnswer>>();

/**
 * Starts loading a trace before its view's code has arrived: on a direct visit to /trace/<id>
 * the request and the lazy chunk download in parallel instead of one after the other.
 */
export function prefetchTrace(traceId: string): void {
  const key = keyOf(traceId);
  if (pending.has(key)) return;
  const request = fetchTrace(traceId);
  request.catch(() => undefined); // the view reports the error when it takes the request
  pending.set(key, request);
}

/** The prefetched request for a trace, once; later loads (reload button) fetch afresh. */
export function takePrefetched(traceId: string): Promise<TraceAnswer> | undefined {
  const key = keyOf(traceId);
  const request = pending.get(key);
  pending.delete(key);
  return request;
}

/** The same trace id in another tenant is another trace. */
const keyOf = (traceId: string): string => `${currentTenant() ?? ''}\n${traceId}`;
