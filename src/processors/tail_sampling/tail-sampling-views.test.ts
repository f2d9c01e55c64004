import { describe, expect, it } from 'vitest';
import type { ConsumeContext, TraceRequestBytes } from '../../consumer/traces-consumer.js';
import { silentLogger } from '../../logging/logger.js';
import { countSpans } from '../../model/factories.js';
import type { InstrumentationScope, Resource, Span, TracesData } from '../../model/span.js';
import { StatusCode } from '../../model/span.js';
import { decodeTraceRequestBytes } from '../../otlp/protobuf/decode-trace-request-bytes.js';
import { decodeExportTraceServiceRequest } from '../../otlp/protobuf/decode-traces.js';
import { encodeExportTraceServiceRequest } from '../../otlp/protobuf/encode-traces.js';
import { DecodeCaches } from '../../otlp/protobuf/proto-reader.js';
import { ProtoWriter } from '../../otlp/protobuf/proto-writer.js';
import { deliverProtobufTraces } from '../../receivers/shared/deliver-protobuf-traces.js';
import { attrs, parseProcessorConfig } from '../processor-test-support.js';
import { tailSamplingProcessorFactory } from './tail-sampling-config.js';
import { TailSamplingProcessor } from './tail-sampling-processor.js';

/*
 * Spans held as views of their received bytes (held-span.ts) must reach the next consumer exactly
 * as spans held encoded do. Each case runs the same requests through two processors on one clock:
 * one fed as the protobuf receivers feed it (deliverProtobufTraces: scanned and handed on as bytes,
 * which it reads only what its policies need of, or decoded with bytes and span fields attached
 * when the scan finds something to drop), the other given plain decoded models, so it encodes
 * every span.
 */

const POLICIES = `
decision_wait: 10s
policies:
  - { name: errors, type: status_code, status_code: { status_codes: [ERROR] } }
  - { name: vip, type: string_attribute, string_attribute: { key: customer.tier, values: [gold] } }
`;

const ctx: ConsumeContext = { tenant: 'single-tenant' };

/** A processor whose next consumer takes bytes (so spans wait encoded), with what it was handed. */
function processor(clock: { now: number }) {
  const requests: TraceRequestBytes[] = [];
  const next = {
    consumeTraces: () => Promise.reject(new Error('a next consumer taking bytes gets bytes')),
    consumeTraceBytes: (request: TraceRequestBytes) => (requests.push(request), Promise.resolve()),
  };
  const config = parseProcessorConfig(tailSamplingProcessorFactory, POLICIES);
  const tail = new TailSamplingProcessor(config, next, silentLogger(), () => clock.now);
  return { tail, sent: () => requests.map((r) => decodeTraceRequestBytes(r.parts)), requests };
}

const RESOURCES: Resource[] = [
  { attributes: attrs({ 'service.name': 'checkout', 'host.cores': 8 }), droppedAttributesCount: 0 },
  { attributes: attrs({ 'service.name': 'カート', region: 'eu-west-1' }), droppedAttributesCount: 2 },
];
const SCOPES: InstrumentationScope[] = [
  {
    name: '@opentelemetry/instrumentation-http',
    version: '0.52.0',
    attributes: [],
    droppedAttributesCount: 0,
  },
  { name: 'db', version: '', attributes: attrs({ 'scope.flag': true }), droppedAttributesCount: 1 },
];

const traceId = (n: number): string => (n + 1).toString(16).padStart(32, '0'); // all zeros is invalid

/** Span `n` of trace `trace`: every kind of field, non-ASCII text, events and links on some. */
function richSpan(trace: number, n: number, error: boolean, tier = 'bronze'): Span {
  const start = 1_700_000_000_000_000_000n + BigInt(trace * 1000 + n);
  return {
    traceId: traceId(trace),
    spanId: (trace * 100 + n + 1).toString(16).padStart(16, '0'),
    traceState: n % 2 === 0 ? '' : 'vendor=é',
    parentSpanId: n === 0 ? '' : (trace * 100 + 1).toString(16).padStart(16, '0'),
    flags: 0x101,
    name: n % 3 === 0 ? `GET /panier/${trace} — 日本語 \u{1F600}` : 'SELECT',
    kind: (n % 5) as Span['kind'],
    startTimeUnixNano: start,
    endTimeUnixNano: start + 5_000_000n,
    attributes: [
      ...attrs({ 'http.route': '/items/:id', 'http.response.status_code': 200, 'customer.tier': tier }),
      { key: 'ratio', value: 0.25 },
      { key: 'tags', value: ['a', 1n, false, null, new Uint8Array([0, 255])] },
      { key: 'nested', value: { kvlistValue: [{ key: 'ünïcode', value: 'värde' }] } },
    ],
    droppedAttributesCount: n,
    events:
      n % 2 === 0
        ? [
            {
              timeUnixNano: start + 1n,
              name: 'cache.miss ✓',
              attributes: attrs({ key: 'k' }),
              droppedAttributesCount: 0,
            },
          ]
        : [],
    droppedEventsCount: 0,
    links:
      n % 3 === 1
        ? [
            {
              traceId: traceId(9999),
              spanId: 'ab'.repeat(8),
              traceState: '',
              attributes: [],
              droppedAttributesCount: 0,
              flags: 1,
            },
          ]
        : [],
    droppedLinksCount: 0,
    status: error ? { code: StatusCode.ERROR, message: 'échec' } : { code: StatusCode.UNSET, message: '' },
  };
}

/** A request of spans of `traces` (two each), spread over both resources and both scopes. */
function request(traces: readonly number[], kept: ReadonlySet<number>, firstSpan = 0): TracesData {
  const spans = traces.flatMap((t) =>
    [0, 1].map((i) =>
      richSpan(t, firstSpan + i, kept.has(t) && t % 2 === 0, kept.has(t) && t % 2 === 1 ? 'gold' : 'bronze'),
    ),
  );
  return RESOURCES.map((resource, r) => ({
    resource,
    schemaUrl: '',
    scopeSpans: SCOPES.map((scope, s) => ({
      scope,
      schemaUrl: '',
      spans: spans.filter((_, i) => i % 4 === r * 2 + s),
    })),
  }));
}

describe('tail_sampling holding spans as views of their received bytes', () => {
  it('hands on what it hands on by encoding: kept traces, late spans, batches with and without bytes', async () => {
    const clock = { now: 0 };
    const viewing = processor(clock);
    const encoding = processor(clock);
    const caches = new DecodeCaches();
    // Traces 0–11 kept (an error or a gold customer), 12–23 dropped.
    const kept = new Set(Array.from({ length: 12 }, (_, t) => t));
    const traces = Array.from({ length: 24 }, (_, t) => t);
    const send = async (data: TracesData, withBytes: boolean): Promise<void> => {
      const body = encodeExportTraceServiceRequest(data);
      if (withBytes) await deliverProtobufTraces(body, viewing.tail, ctx, 'test', caches);
      else await viewing.tail.consumeTraces(decodeExportTraceServiceRequest(body), ctx);
      await encoding.tail.consumeTraces(decodeExportTraceServiceRequest(body), ctx);
    };

    // Four requests of six traces each; the third arrives without bytes (as after a changing processor).
    for (let i = 0; i < 4; i++) await send(request(traces.slice(i * 6, i * 6 + 6), kept), i !== 2);
    clock.now += 10_001;
    viewing.tail.decideDue();
    encoding.tail.decideDue();
    // Late spans of kept and dropped traces, with spans of new traces 30 and 31 (kept: 30).
    const lateKept = new Set([...kept, 30]);
    await send(request([0, 13, 30, 5, 31], lateKept, 2), true);
    await send(request([7, 20], lateKept, 4), false);
    await viewing.tail.shutdown();
    await encoding.tail.shutdown();

    const sent = viewing.sent();
    expect(sent).toEqual(encoding.sent());
    expect(viewing.requests.map((r) => r.spans)).toEqual(encoding.requests.map((r) => r.spans));
    // Kept: 12 traces × 2 spans, late spans of traces 0, 5 and 7 (2 each), trace 30 (2).
    expect(sent.reduce((n, d) => n + countSpans(d), 0)).toBe(24 + 6 + 2);
    // Viewed: the 12 spans of each of the three first requests with bytes, and of the late request
    // with bytes the 4 late spans of kept traces 0 and 5 and the 4 of new traces 30 and 31.
    expect(viewing.tail.stats.viewedSpans).toBe(3 * 12 + 8);
    expect(encoding.tail.stats.viewedSpans).toBe(0);
  });

  it('takes undecoded requests of several parts, as a batch or worker segment before it hands on', async () => {
    const clock = { now: 0 };
    const viewing = processor(clock);
    const encoding = processor(clock);
    const kept = new Set([0, 1, 2, 3]);
    const parts = [request([0, 1, 4], kept), request([2, 5, 3], kept), request([0, 6], kept, 2)].map((d) =>
      encodeExportTraceServiceRequest(d),
    );
    await viewing.tail.consumeTraceBytes!({ parts: parts.slice(0, 2), spans: 12 }, ctx);
    for (const part of parts.slice(0, 2))
      await encoding.tail.consumeTraces(decodeExportTraceServiceRequest(part), ctx);
    clock.now += 10_001;
    viewing.tail.decideDue();
    encoding.tail.decideDue();
    // Late spans of kept trace 0 and dropped trace 6's first spans, as one more request.
    await viewing.tail.consumeTraceBytes!({ parts: parts.slice(2), spans: 4 }, ctx);
    await encoding.tail.consumeTraces(decodeExportTraceServiceRequest(parts[2]), ctx);
    await viewing.tail.shutdown();
    await encoding.tail.shutdown();
    expect(viewing.sent()).toEqual(encoding.sent());
    expect(viewing.sent().reduce((n, d) => n + countSpans(d), 0)).toBe(4 * 2 + 2);
    expect(viewing.tail.stats.viewedSpans).toBe(16);
  });

  it('takes undecoded requests only where spans wait encoded: a next consumer that needs spans gets spans', () => {
    const config = parseProcessorConfig(tailSamplingProcessorFactory, POLICIES);
    const next = { consumeTraces: () => Promise.resolve() };
    expect(new TailSamplingProcessor(config, next, silentLogger()).consumeTraceBytes).toBeUndefined();
    expect(processor({ now: 0 }).tail.consumeTraceBytes).toBeDefined();
  });

  it('encodes the spans of a request the decoder did not read verbatim, or that lost an invalid span', async () => {
    const clock = { now: 0 };
    const viewing = processor(clock);
    const caches = new DecodeCaches();
    const duplicateResource = requestWithTwoResourceFields(richSpan(1, 0, true));
    const invalidSpan = encodeExportTraceServiceRequest([
      {
        ...request([2], new Set([2]))[0],
        scopeSpans: [
          {
            scope: SCOPES[0],
            schemaUrl: '',
            spans: [richSpan(2, 0, true), { ...richSpan(2, 1, true), spanId: '' }],
          },
        ],
      },
    ]);
    await deliverProtobufTraces(duplicateResource, viewing.tail, ctx, 'test', caches);
    const partial = await deliverProtobufTraces(invalidSpan, viewing.tail, ctx, 'test', caches);
    expect(partial?.rejectedSpans).toBe(1);
    await viewing.tail.shutdown();

    expect(viewing.tail.stats.viewedSpans).toBe(0);
    const expected = decodeExportTraceServiceRequest(duplicateResource);
    expect(expected[0].resource.attributes).toEqual(attrs({ 'service.name': 'second' }));
    const [sent] = viewing.sent();
    expect(sent[0]).toEqual(expected[0]);
    expect(sent[1].scopeSpans[0].spans).toEqual([richSpan(2, 0, true)]);
  });
});

/** One span under a ResourceSpans that gives its resource twice (protobuf merges; the decoder keeps the second). */
function requestWithTwoResourceFields(span: Span): Buffer {
  const w = new ProtoWriter();
  w.beginMessage(1); // ResourceSpans
  for (const name of ['first', 'second']) {
    w.beginMessage(1); // Resource
    w.beginMessage(1); // KeyValue
    w.stringField(1, 'service.name');
    w.beginMessage(2);
    w.stringField(1, name, true);
    w.endMessage();
    w.endMessage();
    w.endMessage();
  }
  const scopeSpans = scopeSpansField(span);
  w.raw(scopeSpans, 0, scopeSpans.length);
  w.endMessage();
  return w.finish();
}

/** `ResourceSpans.scope_spans` (field 2) holding `span` under the first scope, as bytes. */
function scopeSpansField(span: Span): Buffer {
  const request = encodeExportTraceServiceRequest([
    {
      resource: { attributes: [], droppedAttributesCount: 0 },
      schemaUrl: '',
      scopeSpans: [{ scope: SCOPES[0], schemaUrl: '', spans: [span] }],
    },
  ]);
  // request = tag 0x0a, length, then ResourceSpans whose empty resource is omitted: its fields follow.
  const lengthBytes = request[1] < 0x80 ? 1 : request[2] < 0x80 ? 2 : 3;
  return request.subarray(1 + lengthBytes);
}
