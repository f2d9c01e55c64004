import type { FastifyInstance } from 'fastify';
import { tenantFromHeader } from '../../model/tenant.js';
import { encodeKeyValues } from '../../otlp/json/encode-any-value.js';
import type { FoundTrace, SearchResponse } from '../../query/search/search-traces.js';
import { searchTraces } from '../../query/search/search-traces.js';
import type { TraceStore } from '../../store/trace-store.js';
import type { RawQueryString } from '../query-string.js';
import { searchRequestFromParams } from './search-params.js';
import { queryErrorResponse } from './query-error-response.js';

export interface SearchRouteOptions {
  /** Per-query time budget. */
  timeoutMs: number;
  /** Largest `limit` a request may ask for (`--max-search-limit`). */
  maxLimit?: number;
}

/**
 * Tempo's `GET /api/search`: TraceQL (`q`) or tags search over a time range, newest traces first,
 * answered in Tempo's JSON shape — nanosecond figures as strings, `durationMs` a number, each trace
 * with its matched spansets (`spanSet` is the first, as Tempo keeps it for older clients).
 */
export function registerSearchRoute(
  app: FastifyInstance,
  store: TraceStore,
  options: SearchRouteOptions,
): void {
  app.get<{ Querystring: RawQueryString }>('/api/search', async (request, reply) => {
    try {
      const search = searchRequestFromParams(request.query, options);
      const tenant = tenantFromHeader(request.headers['x-scope-orgid']);
      const result = await searchTraces(store, tenant, search);
      return reply.type('application/json').send(JSON.stringify(searchResponseJson(result)));
    } catch (error) {
      const response = queryErrorResponse(error);
      if (!response) throw error;
      return reply.code(response.status).type('text/plain').send(response.message);
    }
  });
}

export function searchResponseJson(result: SearchResponse): object {
  return {
    traces: result.traces.map(traceJson),
    metrics: {
      inspectedTraces: result.metrics.inspectedTraces,
      completedJobs: result.metrics.completedWindows,
      totalJobs: result.metrics.totalWindows,
    },
  };
}

function traceJson(trace: FoundTrace): object {
  const spanSets = trace.spanSets.map((set) => ({
    spans: set.spans.map((span) => ({
      spanID: span.spanId,
      name: span.name,
      startTimeUnixNano: span.startNanos.toString(),
      durationNanos: span.durationNanos.toString(),
      ...(span.attributes.length > 0 ? { attributes: encodeKeyValues(span.attributes) } : {}),
    })),
    matched: set.matched,
    ...(set.attributes.length > 0 ? { attributes: encodeKeyValues(set.attributes) } : {}),
  }));
  return {
    traceID: trace.traceId,
    rootServiceName: trace.rootServiceName,
    rootTraceName: trace.rootTraceName,
    startTimeUnixNano: trace.startNanos.toString(),
    durationMs: Number(trace.durationNanos / 1_000_000n),
    ...(spanSets.length > 0 ? { spanSet: spanSets[0] } : {}),
    spanSets,
    serviceStats: trace.serviceStats,
  };
}
