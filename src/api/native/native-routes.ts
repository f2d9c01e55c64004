import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { defaultTenant, tenantFromHeader } from '../../model/tenant.js';
import { operationSeries } from '../../query/operation-series.js';
import { operationStats } from '../../query/operation-stats.js';
import { serviceGraph } from '../../query/service-graph.js';
import type { ServiceGraphNode } from '../../query/service-graph.js';
import { listServices } from '../../query/services.js';
import { rangeSeconds } from '../../query/span-query.js';
import type { TimeRange } from '../../query/span-query.js';
import { traceStats } from '../../query/trace-stats.js';
import { validateTenant } from '../../store/schema/tenant-database.js';
import type { TraceStore } from '../../store/trace-store.js';
import type { RawQueryString } from '../query-string.js';
import { singleParams } from '../query-string.js';
import { BadSearchParameter } from '../tempo/search-errors.js';
import { nativeErrorResponse } from './native-error-response.js';
import type { NativeQueryString } from './native-params.js';
import {
  NATIVE_PARAMS,
  choiceFromParams,
  rangeFromParams,
  spanKindFromParams,
  stepFromParams,
  traceRangeFromParams,
} from './native-params.js';

/** Tracehouse's own read API, for what neither Tempo's nor Jaeger's offers; see the README. */
export const NATIVE_PREFIX = '/api/tracehouse';

const TRACE_ID = /^[0-9a-fA-F]{1,32}$/;
/** About 60 points a series when no step is given: enough for a sparkline. */
const DEFAULT_POINTS = 60;

type Request = FastifyRequest<{ Querystring: RawQueryString; Params: { traceId?: string } }>;
type Handler = (request: Request, query: NativeQueryString, tenant: string) => Promise<unknown>;

/**
 * Thin routes over src/query: parameters are parsed here (400 naming the field when bad), the
 * tenant is `X-Scope-OrgID`, and answers are JSON with rates per second and error ratios added.
 */
export function registerNativeRoutes(app: FastifyInstance, store: TraceStore): void {
  const get = (path: string, handler: Handler): void => {
    app.get(`${NATIVE_PREFIX}${path}`, async (request: Request, reply: FastifyReply) => {
      try {
        const query = singleParams(request.query, NATIVE_PARAMS);
        const body = await handler(request, query, tenantFromHeader(request.headers['x-scope-orgid']));
        if (body === undefined) return reply.code(404).type('text/plain').send('trace not found');
        return reply.type('application/json').send(JSON.stringify(body, bigintAsString));
      } catch (error) {
        const response = nativeErrorResponse(error);
        if (!response) throw error;
        return reply.code(response.status).type('text/plain').send(response.message);
      }
    });
  };

  get('/service-graph', async (request, query, tenant) => {
    const range = rangeFromParams(query);
    const edges = choiceFromParams(query.edges, 'edges', ['entry-spans', 'all-spans'], 'entry-spans');
    const graph = await serviceGraph(store, tenant, { range, edges });
    const seconds = rangeSeconds(range);
    return {
      start: range.start,
      end: range.end,
      nodes: graph.nodes.map((node) => withRed(node, seconds)),
      edges: graph.edges.map((edge) => withRed(edge, seconds)),
    };
  });

  get('/services', async (request, query, tenant) => {
    const range = rangeFromParams(query);
    const [names, graph] = await Promise.all([
      listServices(store, tenant, range),
      serviceGraph(store, tenant, { range }),
    ]);
    const nodes = new Map(graph.nodes.map((node) => [node.service, node]));
    const seconds = rangeSeconds(range);
    const services = names.map((service) =>
      withRed(
        nodes.get(service) ?? ({ service, requestCount: 0, errorCount: 0 } satisfies ServiceGraphNode),
        seconds,
      ),
    );
    return { start: range.start, end: range.end, services };
  });

  get('/operations', async (request, query, tenant) => {
    const range = rangeFromParams(query);
    const operations = await operationStats(store, tenant, range, selector(query));
    return { start: range.start, end: range.end, operations };
  });

  get('/operations/series', async (request, query, tenant) => {
    const range = rangeFromParams(query);
    // A step longer than the range is cut to the range: the chart then shows one point covering
    // the whole range, which is what asking for a coarser step than the range can hold means, and
    // the answer's `step` is the bucket width actually used (rates divide by it).
    const step = Math.min(stepFromParams(query.step, defaultStep(range)), rangeSeconds(range));
    const groupBy = choiceFromParams(query.groupBy, 'groupBy', ['operation', 'service'], 'operation');
    const series = await operationSeries(store, tenant, {
      range,
      stepSeconds: step,
      groupBy,
      selector: selector(query),
    });
    return { start: range.start, end: range.end, step, series };
  });

  // The tenants a picker may offer. Without tokens any client may read any tenant by naming it,
  // so naming them all hides nothing. With tokens every request carries one, and a token is for
  // one tenant: then only that tenant is named, so no token learns the others' names.
  get('/tenants', async (request, query, tenant) => {
    validateTenant(tenant);
    const tenants =
      request.headers.authorization === undefined
        ? [...new Set([...(await store.listTenants()), defaultTenant(), tenant])].sort()
        : [tenant];
    return { tenants, current: tenant, default: defaultTenant() };
  });

  get('/traces/:traceId/stats', async (request, query, tenant) => {
    const traceId = request.params.traceId ?? '';
    if (!TRACE_ID.test(traceId))
      throw new BadSearchParameter(`invalid trace id "${traceId}": expected up to 32 hex digits`);
    const range = traceRangeFromParams(query);
    return traceStats(store, tenant, traceId.toLowerCase().padStart(32, '0'), range);
  });
}

function selector(query: NativeQueryString) {
  return {
    service: query.service || undefined,
    spanName: query.spanName || undefined,
    spanKind: spanKindFromParams(query.spanKind),
  };
}

function defaultStep(range: TimeRange): number {
  return Math.max(1, Math.ceil(rangeSeconds(range) / DEFAULT_POINTS));
}

function withRed<T extends { requestCount: number; errorCount: number }>(item: T, seconds: number) {
  return {
    ...item,
    rate: item.requestCount / seconds,
    errorRatio: item.requestCount === 0 ? 0 : item.errorCount / item.requestCount,
  };
}

/** Nanosecond figures beyond 2^53 travel as decimal strings, as Tempo writes them. */
function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
