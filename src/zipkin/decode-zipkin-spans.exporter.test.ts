import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ROOT_CONTEXT, SpanKind as ApiSpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { HrTime } from '@opentelemetry/api';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyValue } from '../model/attributes.js';
import { emptyScope } from '../model/factories.js';
import type { Span, TracesData } from '../model/span.js';
import { SpanKind, StatusCode } from '../model/span.js';
import { decodeZipkinSpans } from './decode-zipkin-spans.js';

/**
 * The real OpenTelemetry JS Zipkin exporter sends spans from a real SDK tracer provider to an HTTP
 * server on loopback; what arrived is decoded and compared field by field with the SDK's own
 * ReadableSpans.
 */

const SECOND = 1_000_000_000n;

function nanos(time: HrTime): bigint {
  return BigInt(time[0]) * SECOND + BigInt(time[1]);
}

/** Zipkin has no INTERNAL: the JS exporter leaves `kind` out, which reads back as UNSPECIFIED. */
const KIND: Record<ApiSpanKind, SpanKind> = {
  [ApiSpanKind.INTERNAL]: SpanKind.UNSPECIFIED,
  [ApiSpanKind.SERVER]: SpanKind.SERVER,
  [ApiSpanKind.CLIENT]: SpanKind.CLIENT,
  [ApiSpanKind.PRODUCER]: SpanKind.PRODUCER,
  [ApiSpanKind.CONSUMER]: SpanKind.CONSUMER,
};

const STATUS: Record<SpanStatusCode, StatusCode> = {
  [SpanStatusCode.UNSET]: StatusCode.UNSET,
  [SpanStatusCode.OK]: StatusCode.OK,
  [SpanStatusCode.ERROR]: StatusCode.ERROR,
};

/** Zipkin tags are strings; the JS exporter writes each attribute with `String(value)`. */
function expectedAttributes(sdk: ReadableSpan): KeyValue[] {
  const attributes = Object.entries(sdk.attributes).map(([key, value]) => ({ key, value: String(value) }));
  // The exporter puts an error status's message in the `error` tag, which stays an attribute.
  if (sdk.status.code === SpanStatusCode.ERROR)
    attributes.push({ key: 'error', value: sdk.status.message ?? '' });
  return attributes;
}

/** Asserts that `actual` is within a microsecond of `expected`: Zipkin's resolution. */
function expectWithinMicrosecond(actual: bigint, expected: bigint, what: string): void {
  const difference = actual > expected ? actual - expected : expected - actual;
  expect(difference < 1000n, `${what}: ${actual} vs ${expected}`).toBe(true);
}

function expectSpanMatches(actual: Span, sdk: ReadableSpan): void {
  expect(actual.traceId).toBe(sdk.spanContext().traceId);
  expect(actual.spanId).toBe(sdk.spanContext().spanId);
  expect(actual.parentSpanId).toBe(sdk.parentSpanContext?.spanId ?? '');
  expect(actual.name).toBe(sdk.name);
  expect(actual.kind).toBe(KIND[sdk.kind]);
  expectWithinMicrosecond(actual.startTimeUnixNano, nanos(sdk.startTime), `${sdk.name} start`);
  expectWithinMicrosecond(actual.endTimeUnixNano, nanos(sdk.endTime), `${sdk.name} end`);
  expect(actual.attributes).toEqual(expectedAttributes(sdk));
  expect(actual.status).toEqual({ code: STATUS[sdk.status.code], message: sdk.status.message ?? '' });
  expect(actual.traceState).toBe('');
  expect(actual.links).toEqual([]);
  // The JS exporter sends event names only; their attributes are not carried.
  expect(actual.events.map((e) => e.name)).toEqual(sdk.events.map((e) => e.name));
  actual.events.forEach((event, i) => {
    expectWithinMicrosecond(event.timeUnixNano, nanos(sdk.events[i].time), `${sdk.name} event ${i}`);
    expect(event.attributes).toEqual([]);
  });
}

async function makeSpans(provider: BasicTracerProvider): Promise<void> {
  const tracer = provider.getTracer('checkout-instrumentation', '0.9.0');
  const root = tracer.startSpan(
    'GET /checkout',
    {
      kind: ApiSpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'http.response.status_code': 200,
        'cart.value': 41.5,
        'cache.hit': true,
        'cart.items': ['book', 'pen'],
      },
    },
    ROOT_CONTEXT,
  );
  root.addEvent('cart.loaded', { 'cart.size': 2 });
  const inRoot = trace.setSpan(ROOT_CONTEXT, root);

  const charge = tracer.startSpan('charge card', { kind: ApiSpanKind.CLIENT }, inRoot);
  charge.setAttribute('peer.service', 'payments');
  charge.addEvent('retrying');
  charge.addEvent('gave up');
  charge.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
  charge.end();

  const publish = tracer.startSpan('publish order', { kind: ApiSpanKind.PRODUCER }, inRoot);
  publish.setStatus({ code: SpanStatusCode.OK });
  const consume = tracer.startSpan(
    'consume order',
    { kind: ApiSpanKind.CONSUMER },
    trace.setSpan(inRoot, publish),
  );
  consume.end();
  publish.end();

  // Explicit times with nanoseconds: the exporter then sends a fractional microsecond timestamp.
  const second = Math.floor(Date.now() / 1000);
  const total = tracer.startSpan(
    'compute total',
    { kind: ApiSpanKind.INTERNAL, attributes: { n: 3 }, startTime: [second, 123_456_789] },
    inRoot,
  );
  total.end([second, 987_654_321]);
  root.end();
  await provider.forceFlush();
}

describe('decodeZipkinSpans with the OpenTelemetry JS Zipkin exporter', () => {
  const bodies: unknown[] = [];
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        response.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2/spans`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  });

  it('decodes every span the SDK made, field by field', async () => {
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({
        'service.name': 'checkout',
        'service.version': '1.4.2',
        'host.name': 'web-1',
      }),
      spanProcessors: [new SimpleSpanProcessor(memory), new BatchSpanProcessor(new ZipkinExporter({ url }))],
    });
    await makeSpans(provider);
    // Read before shutdown: shutting the in-memory exporter down forgets its spans.
    const sdkSpans = memory.getFinishedSpans();
    await provider.shutdown();

    expect(sdkSpans).toHaveLength(5);
    expect(bodies.length).toBeGreaterThan(0);
    const decoded: TracesData = bodies.flatMap((body) => decodeZipkinSpans(body));

    // One service; the JS exporter sends no scope tags, so one empty scope.
    expect(decoded).toHaveLength(bodies.length);
    for (const resourceSpans of decoded) {
      expect(resourceSpans.resource.attributes).toEqual([
        { key: 'service.name', value: 'checkout' },
        { key: 'service.version', value: '1.4.2' },
        { key: 'host.name', value: 'web-1' },
      ]);
      expect(resourceSpans.scopeSpans).toHaveLength(1);
      expect(resourceSpans.scopeSpans[0].scope).toEqual(emptyScope());
    }
    const spans = decoded.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    expect(spans.map((s) => s.spanId).sort()).toEqual(sdkSpans.map((s) => s.spanContext().spanId).sort());
    for (const sdk of sdkSpans) {
      expectSpanMatches(
        spans.find((s) => s.spanId === sdk.spanContext().spanId)!,
        sdk,
      );
    }

    // The fixture covers what it claims to.
    const sent = bodies.flat() as { timestamp: number }[];
    expect(sent.some((span) => !Number.isInteger(span.timestamp))).toBe(true);
    const byName = (name: string) => spans.find((s) => s.name === name)!;
    expect(byName('charge card').status).toEqual({ code: StatusCode.ERROR, message: 'card declined' });
    expect(byName('publish order').status).toEqual({ code: StatusCode.OK, message: '' });
    expect(byName('consume order').parentSpanId).toBe(byName('publish order').spanId);
    expect(byName('GET /checkout').attributes).toContainEqual({ key: 'cart.items', value: 'book,pen' });
    expect(new Set(spans.map((s) => s.kind))).toEqual(
      new Set([SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER, SpanKind.UNSPECIFIED]),
    );
  });
});
