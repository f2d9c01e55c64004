import { SpanKind as ApiSpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Attributes, AttributeValue, HrTime } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { AnyValue, KeyValue } from '../../src/model/attributes.js';
import type { InstrumentationScope, Resource, ResourceSpans, Span } from '../../src/model/span.js';

/** A span with the resource and scope it travelled under, for comparing batches span by span. */
export interface FlatSpan {
  resource: Resource;
  scope: InstrumentationScope;
  span: Span;
}

export function flattenSpans(data: readonly ResourceSpans[]): FlatSpan[] {
  const out: FlatSpan[] = [];
  for (const rs of data)
    for (const ss of rs.scopeSpans)
      for (const span of ss.spans) out.push({ resource: rs.resource, scope: ss.scope, span });
  return out;
}

const START: HrTime = [1_700_000_000, 123_456_789];

/**
 * Produces real SDK spans covering every field the OpenTelemetry JS SDK can set: kinds, parents,
 * attributes of each type (int, double, string, bool, arrays), events with attributes, links
 * with attributes and trace state, error status with a message, two scopes, dropped counts.
 */
export async function makeSdkSpans(exporter?: SpanExporter): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const processors = [new SimpleSpanProcessor(memory)];
  if (exporter) processors.push(new SimpleSpanProcessor(exporter));
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'reservations-service',
      'service.version': '1.2.3',
      'host.cores': 2,
      'deployment.flags': ['a', 'b'],
    }),
    spanProcessors: processors,
    spanLimits: { eventCountLimit: 3, attributeCountLimit: 16, linkCountLimit: 2 },
  });
  const tracer = provider.getTracer('reservations', '0.9.0');
  const dbTracer = provider.getTracer('db-client', '2.0.0');

  const root = tracer.startSpan('reservations_handler', {
    kind: ApiSpanKind.SERVER,
    startTime: START,
    attributes: {
      'http.method': 'POST',
      'http.status_code': 200,
      'http.duration_ratio': 0.25,
      'http.ok': true,
      'tags.strings': ['x', 'y', 'ü'],
      'tags.ints': [1, 2, 3],
      'tags.bools': [true, false],
      'tags.doubles': [1.5, 2.5],
      'big.int': 9007199254740991,
      'neg.int': -42,
      'unicode.value': 'naïve ☃ 日本',
    },
  });
  root.addEvent(
    'request.received',
    { 'bytes.in': 512, 'content.type': 'application/json' },
    [1_700_000_000, 200_000_000],
  );
  const rootCtx = trace.setSpan(context.active(), root);

  const child = tracer.startSpan(
    'fetch_limit',
    {
      kind: ApiSpanKind.CLIENT,
      startTime: [1_700_000_000, 300_000_001],
      links: [
        {
          context: {
            traceId: '0af7651916cd43dd8448eb211c80319c',
            spanId: 'b7ad6b7169203331',
            traceFlags: 1,
            traceState: undefined,
          },
          attributes: { 'link.reason': 'retry-of', 'link.attempt': 2 },
        },
      ],
    },
    rootCtx,
  );
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'limit not found' });
  // One event past the limit of 3, so droppedEventsCount is 1.
  for (let i = 0; i < 4; i++) child.addEvent(`retry ${i}`, { attempt: i }, [1_700_000_000, 400_000_000 + i]);
  child.end([1_700_000_000, 900_000_999]);

  const db = dbTracer.startSpan(
    'SELECT reservations',
    { kind: ApiSpanKind.CLIENT, startTime: [1_700_000_001, 0] },
    rootCtx,
  );
  db.setAttributes({ 'db.system': 'postgresql', 'db.rows': 7 });
  db.setStatus({ code: SpanStatusCode.OK });
  db.end([1_700_000_001, 5]);

  for (const kind of [ApiSpanKind.INTERNAL, ApiSpanKind.PRODUCER, ApiSpanKind.CONSUMER]) {
    tracer
      .startSpan(`kind-${kind}`, { kind, startTime: [1_700_000_002, kind] }, rootCtx)
      .end([1_700_000_002, 10 + kind]);
  }

  const tooMany: Attributes = {};
  for (let i = 0; i < 20; i++) tooMany[`attr.${i}`] = i;
  tracer
    .startSpan('dropping', { startTime: [1_700_000_003, 0], attributes: tooMany }, rootCtx)
    .end([1_700_000_003, 1]);

  root.end([1_700_000_005, 999_999_999]);
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

export function hrTimeToNanos(time: HrTime): bigint {
  return BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);
}

/**
 * The model a faithful OTLP receiver must produce for an SDK span: written independently of the
 * codecs, from the SDK's own `ReadableSpan`, as the oracle for receiver and codec tests.
 */
export function expectedFlatSpan(s: ReadableSpan): FlatSpan {
  const ctx = s.spanContext();
  return {
    resource: { attributes: toKeyValues(s.resource.attributes), droppedAttributesCount: 0 },
    scope: {
      name: s.instrumentationScope.name,
      version: s.instrumentationScope.version ?? '',
      attributes: [],
      droppedAttributesCount: 0,
    },
    span: {
      traceId: ctx.traceId,
      spanId: ctx.spanId,
      traceState: ctx.traceState?.serialize() ?? '',
      parentSpanId: s.parentSpanContext?.spanId ?? '',
      // OTLP flags: W3C flags in the low byte, bit 8 "has is_remote", bit 9 "is_remote" (SpanFlags).
      flags: ctx.traceFlags | 0x100 | (s.parentSpanContext?.isRemote ? 0x200 : 0),
      name: s.name,
      kind: (s.kind + 1) as Span['kind'],
      startTimeUnixNano: hrTimeToNanos(s.startTime),
      endTimeUnixNano: hrTimeToNanos(s.endTime),
      attributes: toKeyValues(s.attributes),
      droppedAttributesCount: s.droppedAttributesCount,
      events: s.events.map((e) => ({
        timeUnixNano: hrTimeToNanos(e.time),
        name: e.name,
        attributes: toKeyValues(e.attributes ?? {}),
        droppedAttributesCount: e.droppedAttributesCount ?? 0,
      })),
      droppedEventsCount: s.droppedEventsCount,
      links: s.links.map((l) => ({
        traceId: l.context.traceId,
        spanId: l.context.spanId,
        traceState: l.context.traceState?.serialize() ?? '',
        attributes: toKeyValues(l.attributes ?? {}),
        droppedAttributesCount: l.droppedAttributesCount ?? 0,
        flags: l.context.traceFlags | 0x100 | (l.context.isRemote ? 0x200 : 0),
      })),
      droppedLinksCount: s.droppedLinksCount,
      status: { code: s.status.code, message: s.status.message ?? '' },
    },
  };
}

function toKeyValues(attributes: Attributes): KeyValue[] {
  const out: KeyValue[] = [];
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined) out.push({ key, value: toAnyValue(value) });
  }
  return out;
}

/** The SDK sends JS integers as int_value and other numbers as double_value. */
function toAnyValue(value: AttributeValue): AnyValue {
  if (Array.isArray(value)) return value.map((v) => (v === null || v === undefined ? null : toAnyValue(v)));
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  return value;
}
