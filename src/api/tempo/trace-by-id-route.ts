import type { FastifyInstance } from 'fastify';
import { tenantFromHeader } from '../../model/tenant.js';
import { encodeExportTraceServiceRequestJson } from '../../otlp/json/encode-traces-json.js';
import { InvalidTenantError } from '../../store/schema/tenant-database.js';
import type { TimeRange, TraceStore } from '../../store/trace-store.js';

const TRACE_ID = /^[0-9a-fA-F]{1,32}$/;

/**
 * Tempo's `GET /api/traces/<traceid>`: the whole trace as OTLP/JSON (`{"resourceSpans": […]}`),
 * 404 when no span of it is stored. Ids shorter than 32 hex digits are left-padded with zeros, as
 * Tempo does; `start`/`end` (Unix seconds) narrow the search. The tenant is `X-Scope-OrgID`.
 */
export function registerTraceByIdRoute(app: FastifyInstance, store: TraceStore): void {
  app.get<{ Params: { traceId: string }; Querystring: { start?: string; end?: string } }>(
    '/api/traces/:traceId',
    async (request, reply) => {
      const { traceId } = request.params;
      if (!TRACE_ID.test(traceId)) {
        return reply
          .code(400)
          .type('text/plain')
          .send(`invalid trace id "${traceId}": expected up to 32 hex digits`);
      }
      const range = timeRange(request.query.start, request.query.end);
      if (typeof range === 'string') return reply.code(400).type('text/plain').send(range);
      const tenant = tenantFromHeader(request.headers['x-scope-orgid']);
      try {
        const trace = await store.getTrace(tenant, traceId.toLowerCase().padStart(32, '0'), range);
        if (!trace) return reply.code(404).type('text/plain').send('trace not found');
        return reply
          .type('application/json')
          .send(JSON.stringify(encodeExportTraceServiceRequestJson(trace)));
      } catch (error) {
        if (error instanceof InvalidTenantError)
          return reply.code(400).type('text/plain').send(error.message);
        throw error;
      }
    },
  );
}

function timeRange(start: string | undefined, end: string | undefined): TimeRange | undefined | string {
  if (start === undefined && end === undefined) return undefined;
  const s = Number(start ?? 0);
  const e = Number(end ?? Math.ceil(Date.now() / 1000));
  if (!Number.isInteger(s) || !Number.isInteger(e) || s < 0 || e < s) {
    return `invalid time range: start=${start} end=${end} (Unix seconds, start <= end)`;
  }
  return { start: s, end: e };
}
