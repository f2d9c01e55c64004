import type { FastifyInstance } from 'fastify';
import { tenantFromHeader } from '../../model/tenant.js';
import type { TimeRange, TraceStore } from '../../store/trace-store.js';
import type { RawQueryString } from '../query-string.js';
import { singleParams } from '../query-string.js';
import { BadSearchParameter } from '../tempo/search-errors.js';
import { nativeErrorResponse } from './native-error-response.js';
import { traceRangeFromParams } from './native-params.js';
import { NATIVE_PREFIX } from './native-routes.js';
import { readCompactTrace } from './trace-compact-read.js';
import { readOutlineTrace } from './trace-outline-read.js';
import { sendJson } from './send-json.js';

const TRACE_ID = /^[0-9a-fA-F]{1,32}$/;

type CompactRead = (
  store: TraceStore,
  tenant: string,
  traceId: string,
  range: TimeRange | undefined,
) => Promise<{ json: string; timing: string } | undefined>;

/**
 * `GET /api/tracehouse/traces/<id>/compact[?start=&end=]`: the whole trace in the compact form the
 * UI's trace view reads (compact-trace/compact-trace-format.ts; a quarter of OTLP/JSON's size before
 * compression), built straight from the stored rows without the OTLP model. `…/outline`: what the
 * view's first frame needs of it (trace-outline-read.ts), which the view shows while it asks for
 * the whole. The range is optional, as for trace by id. Same tenancy and errors as the other native
 * routes: 400 for a bad id or range, 404 when no span of the trace is stored.
 */
export function registerTraceCompactRoute(app: FastifyInstance, store: TraceStore): void {
  registerRead(app, store, 'compact', readCompactTrace);
  registerRead(app, store, 'outline', readOutlineTrace);
}

function registerRead(app: FastifyInstance, store: TraceStore, path: string, read: CompactRead): void {
  app.get<{ Params: { traceId: string }; Querystring: RawQueryString }>(
    `${NATIVE_PREFIX}/traces/:traceId/${path}`,
    async (request, reply) => {
      try {
        const { traceId } = request.params;
        if (!TRACE_ID.test(traceId))
          throw new BadSearchParameter(`invalid trace id "${traceId}": expected up to 32 hex digits`);
        const { start, end } = singleParams(request.query, ['start', 'end']);
        const range = traceRangeFromParams({ start, end });
        const tenant = tenantFromHeader(request.headers['x-scope-orgid']);
        const id = traceId.toLowerCase().padStart(32, '0');
        const answer = await read(store, tenant, id, range);
        if (answer === undefined) return await reply.code(404).type('text/plain').send('trace not found');
        void reply.header('server-timing', answer.timing);
        return await sendJson(request, reply, answer.json);
      } catch (error) {
        const response = nativeErrorResponse(error);
        if (!response) throw error;
        return reply.code(response.status).type('text/plain').send(response.message);
      }
    },
  );
}
