import type { FastifyInstance } from 'fastify';
import { tenantFromHeader } from '../../model/tenant.js';
import { encodeExportTraceServiceRequestJson } from '../../otlp/json/encode-traces-json.js';
import type { FoundTrace } from '../../query/search/search-traces.js';
import { ROOT_NOT_RECEIVED } from '../../query/search/search-traces.js';
import { listOperations, listServices } from '../../query/services.js';
import type { TraceStore } from '../../store/trace-store.js';
import { answer, sendJson, sendV3Error } from './jaeger-envelope.js';
import { JaegerRequestError } from './jaeger-errors.js';
import { findJaegerTraces, searchJaegerTraces } from './jaeger-find-traces.js';
import type { QueryString } from './jaeger-params.js';
import { parseTraceId, singleValue, spanKindParam } from './jaeger-params.js';
import type { JaegerRouteOptions } from './jaeger-v1-routes.js';
import { everythingStored } from './jaeger-v1-routes.js';
import { v3Param, v3TraceSearch, validateV3GetTraceParams } from './jaeger-v3-params.js';

type Request = { Querystring: QueryString };

/**
 * Jaeger's api_v3 through its HTTP gateway (jaeger-idl proto/api_v3/query_service.proto; Jaeger's
 * cmd/jaeger/…/apiv3/http_gateway.go), which Jaeger UI 2.x and Grafana's Jaeger data source call:
 * OTLP/JSON traces wrapped as `{"result": {"resourceSpans": […]}}`, `{"services": […]}`,
 * `{"operations": [{name, spanKind}]}`; failures as `{"error": {"httpCode", "message"}}`.
 */
export function registerJaegerV3Routes(app: FastifyInstance, store: TraceStore, options: JaegerRouteOptions) {
  const tenantOf = (headers: Record<string, unknown>) =>
    tenantFromHeader(headers['x-scope-orgid'] as string | string[] | undefined);

  app.get<Request>('/jaeger/api/v3/services', (request, reply) =>
    answer(reply, 'v3', async () => {
      const services = await listServices(store, tenantOf(request.headers), everythingStored());
      return sendJson(reply, { services });
    }),
  );

  app.get<Request>('/jaeger/api/v3/operations', (request, reply) =>
    answer(reply, 'v3', async () => {
      const service = singleValue(request.query, 'service');
      if (service === undefined) throw new JaegerRequestError('service is required');
      const kind = v3Param(request.query, 'spanKind', 'span_kind');
      const spanKind = kind === undefined ? undefined : spanKindParam(kind.value, kind.name);
      const operations = await listOperations(store, tenantOf(request.headers), everythingStored(), {
        service,
        spanKind,
      });
      // The gateway names an unspecified kind `internal` (http_gateway.go getOperations).
      const data = operations.map((op) => ({
        name: op.name,
        spanKind: op.spanKind === 'unspecified' ? 'internal' : op.spanKind,
      }));
      return sendJson(reply, { operations: data });
    }),
  );

  app.get<Request>('/jaeger/api/v3/traces', (request, reply) =>
    answer(reply, 'v3', async () => {
      const search = v3TraceSearch(request.query, options.timeoutMs);
      // Traces past --max-trace-spans are left out: the gateway's answer has no place for a note.
      const { traces } = await findJaegerTraces(store, tenantOf(request.headers), search);
      // The gateway answers an empty search with 404, not an empty result (returnTraces).
      if (traces.length === 0) return sendV3Error(reply, 404, 'No traces found');
      return sendJson(reply, { result: encodeExportTraceServiceRequestJson(traces.flat()) });
    }),
  );

  app.get<Request & { Params: { traceId: string } }>('/jaeger/api/v3/traces/:traceId', (request, reply) =>
    answer(reply, 'v3', async () => {
      const traceId = parseTraceId(request.params.traceId, 'trace_id');
      validateV3GetTraceParams(request.query);
      const trace = await store.getTrace(tenantOf(request.headers), traceId);
      if (!trace) return sendV3Error(reply, 404, 'trace not found');
      return sendJson(reply, { result: encodeExportTraceServiceRequestJson(trace) });
    }),
  );

  // What Jaeger UI 2.x's search page calls: one summary per trace, no spans.
  app.get<Request>('/jaeger/api/v3/trace-summaries', (request, reply) =>
    answer(reply, 'v3', async () => {
      const search = v3TraceSearch(request.query, options.timeoutMs);
      const { traces } = await searchJaegerTraces(store, tenantOf(request.headers), search);
      return sendJson(reply, { summaries: traces.map(traceSummary) });
    }),
  );
}

/**
 * api_v3 `TraceSummary` in proto3 JSON: fixed64 times as decimal strings, fields holding their
 * default left out. The counts are over the searched range, as the search sees the trace;
 * `orphanSpanCount` is not known to the search and is left out.
 */
export function traceSummary(trace: FoundTrace): Record<string, unknown> {
  const services = Object.entries(trace.serviceStats)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, stats]) => ({
      name,
      ...(stats.spanCount > 0 ? { spanCount: stats.spanCount } : {}),
      ...(stats.errorCount > 0 ? { errorSpanCount: stats.errorCount } : {}),
    }));
  const errors = Object.values(trace.serviceStats).reduce((sum, s) => sum + s.errorCount, 0);
  const hasRoot = trace.rootServiceName !== ROOT_NOT_RECEIVED;
  return {
    traceId: trace.traceId,
    ...(hasRoot && trace.rootServiceName !== '' ? { rootServiceName: trace.rootServiceName } : {}),
    ...(hasRoot && trace.rootTraceName !== '' ? { rootOperationName: trace.rootTraceName } : {}),
    minStartTimeUnixNano: trace.startNanos.toString(),
    maxEndTimeUnixNano: (trace.startNanos + trace.durationNanos).toString(),
    ...(trace.spanCount > 0 ? { spanCount: trace.spanCount } : {}),
    ...(errors > 0 ? { errorSpanCount: errors } : {}),
    services,
  };
}
