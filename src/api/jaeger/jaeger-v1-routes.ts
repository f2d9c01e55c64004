import type { FastifyInstance } from 'fastify';
import { tenantFromHeader } from '../../model/tenant.js';
import { serviceGraph } from '../../query/service-graph.js';
import { listOperations, listServices, listSpanNames } from '../../query/services.js';
import type { TimeRange } from '../../query/span-query.js';
import type { TraceStore } from '../../store/trace-store.js';
import { TraceTooLargeError } from '../../store/trace-too-large-error.js';
import { answer, sendJson, sendV1Error, structured } from './jaeger-envelope.js';
import type { StructuredError } from './jaeger-envelope.js';
import { JaegerRequestError } from './jaeger-errors.js';
import { findJaegerTraces } from './jaeger-find-traces.js';
import type { QueryString } from './jaeger-params.js';
import { parseTraceId, singleValue, spanKindParam } from './jaeger-params.js';
import { jaegerTrace, jaegerTraceId } from './jaeger-v1-model.js';
import { v1DependenciesRange, v1TracesRequest, validateV1TraceByIdParams } from './jaeger-v1-params.js';

export interface JaegerRouteOptions {
  /** Per-query time budget. */
  timeoutMs: number;
}

/**
 * Services and operations have no time range in Jaeger (its stores keep a service/operation
 * index for as long as spans are kept), so they are read over everything stored, and a minute
 * ahead for clocks that run fast.
 */
export function everythingStored(nowMs = Date.now()): TimeRange {
  return { start: 0, end: Math.ceil(nowMs / 1000) + 60 };
}

type Request = { Querystring: QueryString };

/**
 * Jaeger query's first-generation JSON API (cmd/query/app/http_handler.go), which Jaeger UI 1.x and
 * Grafana's Jaeger data source call: every answer in the `{data, total, limit, offset, errors}`
 * envelope, every failure too.
 */
export function registerJaegerV1Routes(app: FastifyInstance, store: TraceStore, options: JaegerRouteOptions) {
  const tenantOf = (headers: Record<string, unknown>) =>
    tenantFromHeader(headers['x-scope-orgid'] as string | string[] | undefined);

  app.get<Request>('/jaeger/api/services', (request, reply) =>
    answer(reply, 'v1', async () => {
      const services = await listServices(store, tenantOf(request.headers), everythingStored());
      return sendJson(reply, structured(services, services.length));
    }),
  );

  // The route Jaeger UI 1.x and Grafana call: operation names of every kind, unique.
  app.get<Request & { Params: { service: string } }>(
    '/jaeger/api/services/:service/operations',
    (request, reply) =>
      answer(reply, 'v1', async () => {
        const names = await listSpanNames(store, tenantOf(request.headers), everythingStored(), {
          service: request.params.service,
        });
        return sendJson(reply, structured(names, names.length));
      }),
  );

  app.get<Request>('/jaeger/api/operations', (request, reply) =>
    answer(reply, 'v1', async () => {
      const service = singleValue(request.query, 'service');
      if (service === undefined) throw new JaegerRequestError("parameter 'service' is required");
      const kindText = singleValue(request.query, 'spanKind');
      const spanKind = kindText === undefined ? undefined : spanKindParam(kindText, 'spanKind');
      const operations = await listOperations(store, tenantOf(request.headers), everythingStored(), {
        service,
        spanKind,
      });
      // Jaeger's stores give an unspecified kind as ''.
      const data = operations.map((op) => ({
        name: op.name,
        spanKind: op.spanKind === 'unspecified' ? '' : op.spanKind,
      }));
      return sendJson(reply, structured(data, data.length));
    }),
  );

  app.get<Request>('/jaeger/api/traces', (request, reply) =>
    answer(reply, 'v1', async () => {
      const tenant = tenantOf(request.headers);
      const traces = v1TracesRequest(request.query, options.timeoutMs);
      if (traces.kind === 'search') {
        const found = await findJaegerTraces(store, tenant, traces.search);
        const errors = found.tooLarge.map(tooLargeError);
        return sendJson(
          reply,
          structured(found.traces.map(jaegerTrace), 0, errors.length > 0 ? errors : null),
        );
      }
      // Traces by id: the missing ones are listed in `errors`, the request still succeeds.
      const loaded = await store.getTraces(tenant, traces.traceIds);
      const errors: StructuredError[] = [];
      const data = [];
      for (const [i, trace] of loaded.entries()) {
        if (trace === undefined)
          errors.push({ msg: 'trace not found', traceID: jaegerTraceId(traces.traceIds[i]) });
        else if (trace instanceof TraceTooLargeError) errors.push(tooLargeError(trace));
        else data.push(jaegerTrace(trace));
      }
      return sendJson(reply, structured(data, 0, errors.length > 0 ? errors : null));
    }),
  );

  app.get<Request & { Params: { traceID: string } }>('/jaeger/api/traces/:traceID', (request, reply) =>
    answer(reply, 'v1', async () => {
      const traceId = parseTraceId(request.params.traceID, 'traceID');
      validateV1TraceByIdParams(request.query);
      const trace = await store.getTrace(tenantOf(request.headers), traceId);
      if (!trace) return sendV1Error(reply, 404, 'trace not found');
      return sendJson(reply, structured([jaegerTrace(trace)]));
    }),
  );

  // Jaeger's dependency links count a child of any kind under a parent of another service.
  app.get<Request>('/jaeger/api/dependencies', (request, reply) =>
    answer(reply, 'v1', async () => {
      const range = v1DependenciesRange(request.query);
      const service = singleValue(request.query, 'service');
      const graph = await serviceGraph(store, tenantOf(request.headers), { range, edges: 'all-spans' });
      const links = graph.edges
        .filter((e) => service === undefined || e.client === service || e.server === service)
        .map((e) => ({ parent: e.client, child: e.server, callCount: e.requestCount }));
      return sendJson(reply, structured(links));
    }),
  );
}

/** A trace past `--max-trace-spans`, as a per-trace entry of `errors` (422, as trace by id answers). */
function tooLargeError(error: TraceTooLargeError): StructuredError {
  return { code: 422, msg: error.message, traceID: jaegerTraceId(error.traceId) };
}
