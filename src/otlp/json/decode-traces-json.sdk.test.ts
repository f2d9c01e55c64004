import {
  ROOT_CONTEXT,
  SpanKind as ApiSpanKind,
  SpanStatusCode,
  TraceFlags,
  createTraceState,
  trace,
} from '@opentelemetry/api';
import type { Context, HrTime, Link } from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource as SdkResource } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnyValue, KeyValue } from '../../model/attributes.js';
import type { ResourceSpans, ScopeSpans, Span } from '../../model/span.js';
import { SpanKind } from '../../model/span.js';
import { decodeExportTraceServiceRequestJson } from './decode-traces-json.js';

/**
 * Spans made by the real OpenTelemetry JS SDK, serialized by its real OTLP/JSON serializer (what
 * @opentelemetry/exporter-trace-otlp-http sends), decoded here and compared field by field with
 * the SDK's own ReadableSpans.
 */

const SECOND = 1_000_000_000n;

function nanos(time: HrTime): bigint {
  return BigInt(time[0]) * SECOND + BigInt(time[1]);
}

/**
 * OTel JS has a single number type; its OTLP encoder sends an integral number as `intValue` and any
 * other as `doubleValue`, and a null array element as an empty AnyValue.
 */
function expectedValue(value: unknown): AnyValue {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(expectedValue);
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  throw new Error(`not an attribute value: ${typeof value}`);
}

function expectedAttributes(attributes: Record<string, unknown> | undefined): KeyValue[] {
  return Object.entries(attributes ?? {}).map(([key, value]) => ({ key, value: expectedValue(value) }));
}

/** OTLP `SpanFlags`: W3C trace flags in the low byte, then "has is_remote" (0x100) and "is_remote" (0x200). */
function expectedFlags(traceFlags: number, isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | 0x100 | (isRemote === true ? 0x200 : 0);
}

// The API numbers kinds from INTERNAL = 0; OTLP keeps 0 for UNSPECIFIED.
const OTLP_KIND: Record<ApiSpanKind, SpanKind> = {
  [ApiSpanKind.INTERNAL]: SpanKind.INTERNAL,
  [ApiSpanKind.SERVER]: SpanKind.SERVER,
  [ApiSpanKind.CLIENT]: SpanKind.CLIENT,
  [ApiSpanKind.PRODUCER]: SpanKind.PRODUCER,
  [ApiSpanKind.CONSUMER]: SpanKind.CONSUMER,
};

function providerFor(resource: SdkResource, exporter: InMemorySpanExporter): BasicTracerProvider {
  return new BasicTracerProvider({
    resource,
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    // Small limits, so that every dropped-count field is non-zero somewhere.
    spanLimits: {
      attributeCountLimit: 12,
      eventCountLimit: 3,
      linkCountLimit: 3,
      attributePerEventCountLimit: 2,
      attributePerLinkCountLimit: 2,
    },
  });
}

const REMOTE_PARENT: Context = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
  traceState: createTraceState('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7'),
});

function links(): Link[] {
  const other = (spanId: string, isRemote: boolean) => ({
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId,
    traceFlags: TraceFlags.NONE,
    isRemote,
    traceState: createTraceState('vendor=v1'),
  });
  return [
    { context: other('b7ad6b7169203331', true), attributes: { 'link.reason': 'retry-of' } },
    { context: other('b7ad6b7169203332', false), attributes: { a: 1, b: 2.5, c: true } },
    { context: other('b7ad6b7169203333', true) },
    { context: other('b7ad6b7169203334', true), attributes: { 'messaging.batch.index': 3 } },
  ];
}

async function recordSpans(): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = providerFor(
    resourceFromAttributes(
      {
        'service.name': 'checkout',
        'host.cpu.count': 8,
        'process.load': 0.75,
        'deployment.canary': false,
        'process.command_args': ['node', '--enable-source-maps', 'server.js'],
      },
      { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' },
    ),
    exporter,
  );
  const http = provider.getTracer('@acme/http', '2.1.0', {
    schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
  });
  const db = provider.getTracer('@acme/db');

  const server = http.startSpan(
    'GET /orders/{id}',
    {
      kind: ApiSpanKind.SERVER,
      startTime: [1700000000, 123456789],
      links: links(),
      attributes: {
        'http.request.method': 'GET',
        'http.response.status_code': 504,
        'server.port': 0,
        'order.total': 0.1 + 0.2,
        'order.max_safe': Number.MAX_SAFE_INTEGER,
        'order.min': -7,
        'user.vip': true,
        'user.banned': false,
        'order.tags': ['gift', 'express'],
        'order.flags': [true, false, true],
        'order.quantities': [1, 2, 3],
        'order.weights': [0.5, 1.25],
        'order.notes': ['a', null, 'b'],
        'over.limit.1': 'dropped',
        'over.limit.2': 'dropped',
      },
    },
    REMOTE_PARENT,
  );
  // Four events with a limit of three: the first is dropped, the SDK keeps the newest.
  server.addEvent('accepted', [1700000000, 173456789]);
  server.addEvent(
    'cache.miss',
    { 'cache.key': 'order:42', 'cache.ttl': 30, 'cache.layer': 'l2' },
    [1700000000, 223456789],
  );
  server.addEvent('retry', { attempt: 1 }, [1700000000, 323456789]);
  server.addEvent('gave up', [1700000000, 423456789]);
  server.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream timeout' });

  const parent = trace.setSpan(ROOT_CONTEXT, server);
  const query = db.startSpan(
    'SELECT orders',
    { kind: ApiSpanKind.CLIENT, attributes: { 'db.system': 'postgresql' } },
    parent,
  );
  query.setStatus({ code: SpanStatusCode.OK });
  query.end();

  const internal = http.startSpan('render', {}, parent);
  internal.end();
  const producer = http.startSpan('publish order.failed', { kind: ApiSpanKind.PRODUCER }, parent);
  producer.end();
  server.end([1700000000, 987654321]);

  const consumer = db.startSpan('process order.failed', { kind: ApiSpanKind.CONSUMER });
  consumer.end();

  // A second service, so that the request carries two ResourceSpans.
  const otherProvider = providerFor(resourceFromAttributes({ 'service.name': 'billing' }), exporter);
  otherProvider.getTracer('@acme/billing', '0.0.1').startSpan('charge', { kind: ApiSpanKind.SERVER }).end();

  await provider.forceFlush();
  await otherProvider.forceFlush();
  return exporter.getFinishedSpans();
}

interface Located {
  span: Span;
  scopeSpans: ScopeSpans;
  resourceSpans: ResourceSpans;
}

describe('decodeExportTraceServiceRequestJson: JsonTraceSerializer output from BasicTracerProvider spans', () => {
  let sdkSpans: ReadableSpan[];
  let bySpanId: Map<string, Located>;
  let decoded: ResourceSpans[];

  beforeAll(async () => {
    sdkSpans = await recordSpans();
    const body = JsonTraceSerializer.serializeRequest(sdkSpans);
    if (body === undefined) throw new Error('the serializer produced no body');
    decoded = decodeExportTraceServiceRequestJson(JSON.parse(new TextDecoder().decode(body)));
    bySpanId = new Map();
    for (const resourceSpans of decoded) {
      for (const scopeSpans of resourceSpans.scopeSpans) {
        for (const span of scopeSpans.spans) bySpanId.set(span.spanId, { span, scopeSpans, resourceSpans });
      }
    }
  });

  it('exercises every field kind', () => {
    expect(sdkSpans).toHaveLength(6);
    expect(decoded).toHaveLength(2);
    const spans = [...bySpanId.values()].map((l) => l.span);
    expect(new Set(spans.map((s) => s.kind))).toEqual(
      new Set([SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER]),
    );
    const server = spans.find((s) => s.name === 'GET /orders/{id}');
    expect(server).toMatchObject({
      droppedAttributesCount: 3,
      droppedEventsCount: 1,
      droppedLinksCount: 1,
      traceState: 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7',
      flags: 0x301,
    });
    expect(server?.events.some((e) => e.droppedAttributesCount > 0)).toBe(true);
    expect(server?.links.some((l) => l.droppedAttributesCount > 0 && l.traceState !== '')).toBe(true);
  });

  it('decodes every span field exactly as the SDK recorded it', () => {
    for (const sdk of sdkSpans) {
      const context = sdk.spanContext();
      const located = bySpanId.get(context.spanId);
      expect(located, sdk.name).toBeDefined();
      const { span, scopeSpans, resourceSpans } = located as Located;

      expect(resourceSpans.resource).toEqual({
        attributes: expectedAttributes(sdk.resource.attributes),
        droppedAttributesCount: 0,
      });
      expect(resourceSpans.schemaUrl).toBe(sdk.resource.schemaUrl ?? '');
      expect(scopeSpans.scope).toEqual({
        name: sdk.instrumentationScope.name,
        version: sdk.instrumentationScope.version ?? '',
        attributes: [],
        droppedAttributesCount: 0,
      });
      expect(scopeSpans.schemaUrl).toBe(sdk.instrumentationScope.schemaUrl ?? '');

      expect(span).toEqual({
        traceId: context.traceId,
        spanId: context.spanId,
        traceState: context.traceState?.serialize() ?? '',
        parentSpanId: sdk.parentSpanContext?.spanId ?? '',
        flags: expectedFlags(context.traceFlags, sdk.parentSpanContext?.isRemote),
        name: sdk.name,
        kind: OTLP_KIND[sdk.kind],
        startTimeUnixNano: nanos(sdk.startTime),
        endTimeUnixNano: nanos(sdk.endTime),
        attributes: expectedAttributes(sdk.attributes),
        droppedAttributesCount: sdk.droppedAttributesCount,
        events: sdk.events.map((event) => ({
          timeUnixNano: nanos(event.time),
          name: event.name,
          attributes: expectedAttributes(event.attributes),
          droppedAttributesCount: event.droppedAttributesCount ?? 0,
        })),
        droppedEventsCount: sdk.droppedEventsCount,
        links: sdk.links.map((link) => ({
          traceId: link.context.traceId,
          spanId: link.context.spanId,
          traceState: link.context.traceState?.serialize() ?? '',
          attributes: expectedAttributes(link.attributes),
          droppedAttributesCount: link.droppedAttributesCount ?? 0,
          flags: expectedFlags(link.context.traceFlags, link.context.isRemote),
        })),
        droppedLinksCount: sdk.droppedLinksCount,
        // The API's status codes have OTLP's numbers.
        status: { code: sdk.status.code, message: sdk.status.message ?? '' },
      });
    }
  });

  it('keeps explicit timestamps to the nanosecond', () => {
    const server = [...bySpanId.values()].find((l) => l.span.name === 'GET /orders/{id}')?.span;
    expect(server?.startTimeUnixNano).toBe(1700000000123456789n);
    expect(server?.endTimeUnixNano).toBe(1700000000987654321n);
    expect(server?.events.map((e) => e.timeUnixNano)).toEqual([
      1700000000223456789n,
      1700000000323456789n,
      1700000000423456789n,
    ]);
  });
});
