import type { FastifyInstance } from 'fastify';
import { tenantFromHeader } from '../../model/tenant.js';
import type { TraceStore } from '../../store/trace-store.js';
import { BadSearchParameter } from '../tempo/search-errors.js';
import { encodeCompactTrace } from './compact-trace/encode-compact-trace.js';
import { nativeErrorResponse } from './native-error-response.js';
import type { NativeQueryString } from './native-params.js';
import { rangeFromParams } from './native-params.js';
import { NATIVE_PREFIX } from './native-routes.js';
import { sendJson } from './send-json.js';

const TRACE_ID = /^[0-9a-fA-F]{1,32}$/;

/**
 * `GET /api/tracehouse/traces/<id>/compact[?start=&end=]`: the whole trace in the compact form the
 * UI's trace view reads (compact-trace/compact-trace-format.ts; a quarter of OTLP/JSON's size before
 * compression). The range is optional, as for trace by id. Same tenancy and errors as the other
 * native routes: 400 for a bad id or range, 404 when no span of the trace is stored.
 */
export function registerTraceCompactRoute(app: FastifyInstance, store: TraceStore): void {
  app.get<{ Params: { traceId: string }; Querystring: NativeQueryString }>(
    `${NATIVE_PREFIX}/traces/:traceId/compact`,
    async (request, reply) => {
      try {
        const { traceId } = request.params;
        if (!TRACE_ID.test(traceId))
          throw new BadSearchParameter(`invalid trace id "${traceId}": expected up to 32 hex digits`);
        const { start, end } = request.query;
        const range = start !== undefined || end !== undefined ? rangeFromParams(request.query) : undefined;
        const tenant = tenantFromHeader(request.headers['x-scope-orgid']);
        const id = traceId.toLowerCase().padStart(32, '0');
        const t0 = performance.now();
        const trace = await store.getTrace(tenant, id, range);
        if (!trace) return await reply.code(404).type('text/plain').send('trace not found');
        const t1 = performance.now();
        const json = JSON.stringify(encodeCompactTrace(id, trace));
        const t2 = performance.now();
        // Server-Timing (W3C) shows where a slow trace's time went, in the browser's dev tools and
        // to bench/ui-bench.ts; compression is timed separately by sendJson.
        void reply.header(
          'server-timing',
          `read;dur=${(t1 - t0).toFixed(1)}, encode;dur=${(t2 - t1).toFixed(1)}`,
        );
        return await sendJson(request, reply, json);
      } catch (error) {
        const response = nativeErrorResponse(error);
        if (!response) throw error;
        return reply.code(response.status).type('text/plain').send(response.message);
      }
    },
  );
}
