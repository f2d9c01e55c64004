import type { FastifyInstance } from 'fastify';
import { tenantFromHeader } from '../../model/tenant.js';
import type { TraceStore } from '../../store/trace-store.js';
import { BadSearchParameter } from '../tempo/search-errors.js';
import type { SpanRowSink } from '../../store/reader/span-row-sink.js';
import { CompactTraceBuilder } from './compact-trace/compact-trace-builder.js';
import { nativeErrorResponse } from './native-error-response.js';
import type { NativeQueryString } from './native-params.js';
import { rangeFromParams } from './native-params.js';
import { NATIVE_PREFIX } from './native-routes.js';
import { sendJson } from './send-json.js';

const TRACE_ID = /^[0-9a-fA-F]{1,32}$/;
/** The cache's name for this route's JSON text (see TraceStore.getTraceBuilt). */
const COMPACT_JSON = 'compact-json-v1';

/**
 * `GET /api/tracehouse/traces/<id>/compact[?start=&end=]`: the whole trace in the compact form the
 * UI's trace view reads (compact-trace/compact-trace-format.ts; a quarter of OTLP/JSON's size before
 * compression), built straight from the stored rows without the OTLP model. The range is optional,
 * as for trace by id. Same tenancy and errors as the other native routes: 400 for a bad id or
 * range, 404 when no span of the trace is stored.
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
        const timing = new BuildTiming();
        const json = await store.getTraceBuilt(tenant, id, range, COMPACT_JSON, () =>
          timing.sink(new CompactTraceBuilder(id)),
        );
        if (json === undefined) return await reply.code(404).type('text/plain').send('trace not found');
        // Server-Timing (W3C) shows where a slow trace's time went, in the browser's dev tools and
        // to bench/ui-bench.ts; compression is timed separately by sendJson. A read the page's
        // prefetch made (or is making) is timed by that read.
        const header = timing.built ? timing.header() : (prefetchTimings.take(tenant, id) ?? timing.header());
        void reply.header('server-timing', header);
        return await sendJson(request, reply, json);
      } catch (error) {
        const response = nativeErrorResponse(error);
        if (!response) throw error;
        return reply.code(response.status).type('text/plain').send(response.message);
      }
    },
  );
}

/**
 * Starts reading a trace's compact form when the UI's page for it is served (`/trace/<id>`), so
 * that ClickHouse and the parsing run while the browser loads the page's scripts; the route's
 * request then takes that read (TraceStore.prefetchTraceBuilt), finished or not. Errors are left
 * for that request to meet.
 */
export function compactTracePrefetcher(store: TraceStore): (tenant: string, traceId: string) => void {
  return (tenant, traceId) => {
    if (!TRACE_ID.test(traceId)) return;
    const id = traceId.toLowerCase().padStart(32, '0');
    const timing = new BuildTiming();
    store.prefetchTraceBuilt(tenant, id, COMPACT_JSON, () =>
      timing.sink(new CompactTraceBuilder(id), (header) => prefetchTimings.put(tenant, id, header)),
    );
  };
}

/** Server-Timing of reads a page prefetch made, for the request that joins them (kept 10 s). */
class PrefetchTimings {
  private readonly headers = new Map<string, { header: string; at: number }>();

  put(tenant: string, traceId: string, header: string): void {
    const now = Date.now();
    for (const [key, { at }] of this.headers) if (now - at > 10_000) this.headers.delete(key);
    this.headers.set(`${tenant}\n${traceId}`, { header: `${header}, prefetch;desc="page"`, at: now });
  }

  take(tenant: string, traceId: string): string | undefined {
    const key = `${tenant}\n${traceId}`;
    const entry = this.headers.get(key);
    this.headers.delete(key);
    return entry?.header;
  }
}

const prefetchTimings = new PrefetchTimings();

/**
 * Times one read: `query` (ClickHouse's answer), `read` (that, then parsing the stored rows into
 * the compact form's columns, the two interleaved) and `encode` (JSON text). A read answered from
 * the cache has only `read`, with `desc="cached"`.
 */
class BuildTiming {
  private readonly start = performance.now();
  private queried = 0;
  /** Set once this timing's own build ran (not when the read was shared or cached). */
  built = 0;
  private encoded = 0;

  /** A sink timing `builder`'s read; `onDone` gets the Server-Timing once the JSON is made. */
  sink(builder: CompactTraceBuilder, onDone?: (header: string) => void): SpanRowSink<string> {
    return {
      begin: () => {
        this.queried = performance.now();
      },
      add: (row) => builder.add(row),
      finish: () => {
        const trace = builder.finish();
        this.built = performance.now();
        const json = JSON.stringify(trace);
        this.encoded = performance.now();
        onDone?.(this.header());
        return json;
      },
    };
  }

  header(): string {
    const ms = (from: number, to: number): string => (to - from).toFixed(1);
    if (this.encoded === 0) return `read;dur=${ms(this.start, performance.now())};desc="cached"`;
    return (
      `query;dur=${ms(this.start, this.queried)}, read;dur=${ms(this.start, this.built)}, ` +
      `encode;dur=${ms(this.built, this.encoded)}`
    );
  }
}
