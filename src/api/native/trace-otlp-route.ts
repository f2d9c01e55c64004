import type { FastifyInstance } from 'fastify';
import { tenantFromHeader } from '../../model/tenant.js';
import { encodeExportTraceServiceRequestJson } from '../../otlp/json/encode-traces-json.js';
import type { TraceStore } from '../../store/trace-store.js';
import { queryErrorResponse } from '../tempo/query-error-response.js';

const TRACE_ID = /^[0-9a-fA-F]{1,32}$/;

/**
 * `GET /api/tracehouse/traces/<id>`: the whole trace as standard OTLP/JSON (hex ids, numeric
 * enums) — the form OTLP tools read back and the UI offers for download. Tempo's own
 * `/api/traces/<id>` answers in Tempo's jsonpb spelling instead (base64 ids), which is what
 * Grafana expects there. Same tenancy and errors as Tempo's route.
 */
export function registerTraceOtlpRoute(app: FastifyInstance, store: TraceStore): void {
  app.get<{ Params: { traceId: string } }>('/api/tracehouse/traces/:traceId', async (request, reply) => {
    const { traceId } = request.params;
    if (!TRACE_ID.test(traceId)) {
      return reply
        .code(400)
        .type('text/plain')
        .send(`invalid trace id "${traceId}": expected up to 32 hex digits`);
    }
    try {
      const tenant = tenantFromHeader(request.headers['x-scope-orgid']);
      const trace = await store.getTrace(tenant, traceId.toLowerCase().padStart(32, '0'));
      if (!trace) return await reply.code(404).type('text/plain').send('trace not found');
      return await reply
        .type('application/json')
        .send(JSON.stringify(encodeExportTraceServiceRequestJson(trace)));
    } catch (error) {
      const response = queryErrorResponse(error);
      if (!response) throw error;
      return reply.code(response.status).type('text/plain').send(response.message);
    }
  });
}
