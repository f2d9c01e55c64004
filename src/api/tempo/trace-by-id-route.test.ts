import protobuf from 'protobufjs';
import type { FixtureApp } from '../../../test/support/fixture-store.js';
import { openFixtureApp } from '../../../test/support/fixture-store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtobufjsExportTraceServiceRequest } from '../../../bench/protobufjs-otlp.js';
import { TRACE, traceqlFixture } from '../../../test/support/traceql-fixture.js';
import { registerTraceOtlpRoute } from '../native/trace-otlp-route.js';
import { registerTraceByIdRoute } from './trace-by-id-route.js';

const baseMs = Date.now() - 10 * 60_000;
let fixture: FixtureApp;

beforeAll(async () => {
  fixture = await openFixtureApp({ 'single-tenant': traceqlFixture(baseMs) }, (app, store) => {
    registerTraceByIdRoute(app, store);
    registerTraceOtlpRoute(app, store);
  });
});

afterAll(async () => {
  await fixture?.close();
});

const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
const ROOT = 'a3' + '1'.padStart(14, '0');

interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: string | number;
  status: { code?: string | number; message?: string };
  startTimeUnixNano: string;
  links?: { traceId: string; spanId: string }[];
}
type JsonTrace = { resourceSpans: { scopeSpans: { spans: JsonSpan[] }[] }[] };
const spansOf = (trace: JsonTrace) =>
  trace.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));

describe("Tempo's trace by id", () => {
  it('GET /api/traces/<id> (JSON): the bare Trace in jsonpb spelling — base64 ids, enum names, 64-bit as strings', async () => {
    const response = await fixture.app.inject({ url: `/api/traces/${TRACE.limitNotFound}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    const spans = spansOf(response.json<JsonTrace>());
    expect(spans).toHaveLength(5);
    const root = spans.find((s) => s.name === 'reservations_handler');
    expect(root).toMatchObject({
      traceId: b64(TRACE.limitNotFound),
      spanId: b64(ROOT),
      kind: 'SPAN_KIND_SERVER',
      status: { code: 'STATUS_CODE_ERROR', message: 'limit not found' },
      startTimeUnixNano: (BigInt(baseMs + 2000) * 1_000_000n).toString(),
    });
    expect(root?.parentSpanId).toBeUndefined();
    const child = spans.find((s) => s.name === 'parse_request');
    expect(child).toMatchObject({ parentSpanId: b64(ROOT), kind: 'SPAN_KIND_INTERNAL', status: {} });
  });

  it('GET /api/v2/traces/<id> (JSON): TraceByIDResponse with the trace and its status', async () => {
    const response = await fixture.app.inject({ url: `/api/v2/traces/${TRACE.messaging}` });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ trace: JsonTrace; status: string }>();
    expect(body.status).toBe('COMPLETE');
    const consumer = spansOf(body.trace).find((s) => s.kind === 'SPAN_KIND_CONSUMER');
    expect(consumer?.links).toEqual([
      expect.objectContaining({ traceId: b64(TRACE.success), spanId: b64('a1' + '1'.padStart(14, '0')) }),
    ]);
  });

  it('protobuf, decoded by an independent decoder (protobufjs with the OTLP schema)', async () => {
    const bare = await fixture.app.inject({
      url: `/api/traces/${TRACE.success}`,
      headers: { accept: 'application/protobuf' },
    });
    expect(bare.headers['content-type']).toContain('application/protobuf');
    const trace = ProtobufjsExportTraceServiceRequest.decode(bare.rawPayload) as unknown as {
      resourceSpans: { scopeSpans: { spans: { traceId: Uint8Array; name: string; kind: number }[] }[] }[];
    };
    const spans = trace.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    expect(spans.map((s) => s.name).sort()).toEqual([
      'fetch_limit',
      'fetch_record',
      'fetch_reservations_count',
      'make_reservation',
      'parse_request',
      'reservation_limits_handler',
      'reservations_handler',
      'validate_username',
    ]);
    expect(Buffer.from(spans[0].traceId).toString('hex')).toBe(TRACE.success);

    const v2 = await fixture.app.inject({
      url: `/api/v2/traces/${TRACE.success}`,
      headers: { accept: 'application/protobuf' },
    });
    // TraceByIDResponse: field 1 (length-delimited) holds the Trace, which is the same bytes.
    const reader = protobuf.Reader.create(v2.rawPayload);
    expect(reader.uint32()).toBe((1 << 3) | 2);
    expect(Buffer.from(reader.bytes()).equals(bare.rawPayload)).toBe(true);
    expect(reader.pos).toBe(v2.rawPayload.length);
  });

  it('pads short ids with zeros, answers 404 for an unknown trace and 400 for a malformed id or range', async () => {
    const short = TRACE.big.replace(/0+$/, '');
    expect((await fixture.app.inject({ url: `/api/traces/${'0'.repeat(31)}1` })).statusCode).toBe(404);
    expect((await fixture.app.inject({ url: `/api/v2/traces/${'f'.repeat(32)}` })).statusCode).toBe(404);
    expect((await fixture.app.inject({ url: `/api/traces/not-hex` })).statusCode).toBe(400);
    expect((await fixture.app.inject({ url: `/api/traces/${'a'.repeat(33)}` })).statusCode).toBe(400);
    expect((await fixture.app.inject({ url: `/api/traces/${TRACE.big}?start=10&end=5` })).statusCode).toBe(
      400,
    );
    expect(short.length).toBeLessThan(32);
    // a6 followed by zeros is not left-padded; the padded form of a short id is a different trace.
    expect((await fixture.app.inject({ url: `/api/traces/${short}` })).statusCode).toBe(404);
    expect(
      (await fixture.app.inject({ url: `/api/traces/${TRACE.big}`, headers: { 'x-scope-orgid': 'nobody' } }))
        .statusCode,
    ).toBe(404);
  });

  it('reads start/end as Tempo does (strconv.ParseInt): empty is absent, only decimal digits in range', async () => {
    const status = async (query: string) =>
      (await fixture.app.inject({ url: `/api/traces/${TRACE.big}?${query}` })).statusCode;
    // Empty values are no range (they were read as 0–0, missing the trace).
    expect(await status('start=&end=')).toBe(200);
    expect(await status(`start=&end=${Math.ceil(Date.now() / 1000)}`)).toBe(200);
    for (const query of [
      'start=0x10',
      'start=%20',
      'end=1e3',
      'start=0&end=1e300',
      'end=9223372036854775807',
    ])
      expect({ query, status: await status(query) }).toEqual({ query, status: 400 });
  });

  it('the native route answers standard OTLP/JSON (hex ids, numeric enums)', async () => {
    const response = await fixture.app.inject({ url: `/api/tracehouse/traces/${TRACE.limitNotFound}` });
    const root = spansOf(response.json<JsonTrace>()).find((s) => s.name === 'reservations_handler');
    expect(root).toMatchObject({ traceId: TRACE.limitNotFound, spanId: ROOT, kind: 2, status: { code: 2 } });
  });
});
