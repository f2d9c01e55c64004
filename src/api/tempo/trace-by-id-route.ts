import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { tenantFromHeader } from '../../model/tenant.js';
import type { TracesData } from '../../model/span.js';
import { encodeExportTraceServiceRequest } from '../../otlp/protobuf/encode-traces.js';
import type { TimeRange, TraceStore } from '../../store/trace-store.js';
import type { RawQueryString } from '../query-string.js';
import { singleParams } from '../query-string.js';
import { queryErrorResponse } from './query-error-response.js';
import { BadSearchParameter } from './search-errors.js';
import { tempoTraceJson } from './tempo-trace-json.js';
import { unixSecondsParam } from './unix-seconds-params.js';

const TRACE_ID = /^[0-9a-fA-F]{1,32}$/;
const PROTOBUF = 'application/protobuf';

type TraceRequest = FastifyRequest<{
  Params: { traceId: string };
  Querystring: RawQueryString;
}>;

/**
 * Tempo's trace by id, both generations, as Grafana's Tempo data source asks for them:
 *
 * - `GET /api/v2/traces/<id>` → `TraceByIDResponse`: `{"trace": {"resourceSpans": […]}, "status":
 *   "COMPLETE"}` in JSON, or with `Accept: application/protobuf` the message itself (field 1: the
 *   `Trace`, whose field 1 is `repeated ResourceSpans` — byte for byte an OTLP
 *   `ExportTraceServiceRequest`).
 * - `GET /api/traces/<id>` → the bare `Trace`, JSON or protobuf.
 *
 * JSON is Tempo's jsonpb (base64 ids, enum names: tempo-trace-json.ts). Unknown trace: 404. Ids
 * shorter than 32 hex digits are left-padded with zeros; `start`/`end` (Unix seconds) narrow the
 * search; the tenant is `X-Scope-OrgID`.
 */
export function registerTraceByIdRoute(app: FastifyInstance, store: TraceStore): void {
  app.get('/api/traces/:traceId', (request: TraceRequest, reply) =>
    answer(store, request, reply, 'tempo-v1', (trace, protobuf) =>
      protobuf ? encodeExportTraceServiceRequest(trace) : jsonBytes(tempoTraceJson(trace)),
    ),
  );
  app.get('/api/v2/traces/:traceId', (request: TraceRequest, reply) =>
    answer(store, request, reply, 'tempo-v2', (trace, protobuf) =>
      protobuf
        ? traceByIdResponse(encodeExportTraceServiceRequest(trace))
        : jsonBytes({ trace: tempoTraceJson(trace), status: 'COMPLETE' }),
    ),
  );
}

async function answer(
  store: TraceStore,
  request: TraceRequest,
  reply: FastifyReply,
  format: string,
  body: (trace: TracesData, protobuf: boolean) => Buffer,
): Promise<FastifyReply> {
  try {
    const { traceId } = request.params;
    if (!TRACE_ID.test(traceId))
      throw new BadSearchParameter(`invalid trace id "${traceId}": expected up to 32 hex digits`);
    const { start, end } = singleParams(request.query, ['start', 'end']);
    const range = timeRange(start, end);
    const tenant = tenantFromHeader(request.headers['x-scope-orgid']);
    const protobuf = (request.headers.accept ?? '').includes(PROTOBUF);
    const encoded = await store.getTraceEncoded(
      tenant,
      traceId.toLowerCase().padStart(32, '0'),
      range,
      `${format}-${protobuf ? 'protobuf' : 'json'}`,
      (trace) => body(trace, protobuf),
    );
    if (encoded === undefined) return await reply.code(404).type('text/plain').send('trace not found');
    return await reply.type(protobuf ? PROTOBUF : 'application/json').send(encoded);
  } catch (error) {
    const response = queryErrorResponse(error);
    if (!response) throw error;
    return reply.code(response.status).type('text/plain').send(response.message);
  }
}

/** Bytes, not a string: a cached answer is then sent as it is, not encoded again per request. */
function jsonBytes(value: object): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** `TraceByIDResponse { Trace trace = 1; }` around an encoded `Trace`. */
function traceByIdResponse(trace: Buffer): Buffer {
  const length: number[] = [];
  let n = trace.length;
  while (n > 0x7f) {
    length.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  length.push(n);
  return Buffer.concat([Buffer.from([0x0a, ...length]), trace]);
}

/**
 * `start`/`end` (Unix seconds) as Tempo reads them — `strconv.ParseInt`, '' as absent — narrowing
 * the search; without either the trace-id index finds the trace wherever it lies.
 */
function timeRange(start: string | undefined, end: string | undefined): TimeRange | undefined {
  const s = unixSecondsParam(start, 'start');
  const e = unixSecondsParam(end, 'end');
  if (s === undefined && e === undefined) return undefined;
  const range = { start: s ?? 0, end: e ?? Math.ceil(Date.now() / 1000) };
  if (range.end < range.start)
    throw new BadSearchParameter(
      `invalid time range: start=${range.start} end=${range.end} (Unix seconds, start <= end)`,
    );
  return range;
}
