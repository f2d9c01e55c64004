import type { CompactTrace } from '../trace/compact-format';
import { readJson } from './http';
import { fetchTraceOutline, traceOutlineUrl } from './native-api';
import { currentTenant } from './tenant';

/** What index.html's early-request script leaves for a page opened at /trace/<id>. */
export interface EarlyTraceRequest {
  /** Normalised: 32 lower-case hex digits. */
  traceId: string;
  /** The URL's `?tenant=`, '' for none. */
  tenant: string;
  response: Promise<Response>;
}

declare global {
  interface Window {
    tracehouseTraceRequest?: EarlyTraceRequest;
  }
}

const pending = new Map<string, Promise<CompactTrace>>();

/**
 * Starts loading a trace before its view's code has arrived: on a direct visit to /trace/<id>
 * the request and the lazy chunk download in parallel instead of one after the other. The request
 * index.html made for this trace and tenant, if any, is taken instead of asking again.
 */
export function prefetchTrace(traceId: string): void {
  const key = keyOf(traceId);
  if (pending.has(key)) return;
  const request = takeEarlyRequest(traceId) ?? fetchTraceOutline(traceId);
  request.catch(() => undefined); // the view reports the error when it takes the request
  pending.set(key, request);
}

/** The prefetched request for a trace, once; later loads (reload button) fetch afresh. */
export function takePrefetched(traceId: string): Promise<CompactTrace> | undefined {
  const key = keyOf(traceId);
  const request = pending.get(key);
  pending.delete(key);
  return request;
}

/** The same trace id in another tenant is another trace. */
const keyOf = (traceId: string): string => `${currentTenant() ?? ''}\n${traceId}`;

/** index.html's request, once, if it asked for this trace as this tenant. */
function takeEarlyRequest(traceId: string): Promise<CompactTrace> | undefined {
  const early = window.tracehouseTraceRequest;
  window.tracehouseTraceRequest = undefined;
  if (early?.traceId !== traceId || early.tenant !== (currentTenant() ?? '')) return undefined;
  return readJson<CompactTrace>(traceOutlineUrl(traceId), early.response);
}
