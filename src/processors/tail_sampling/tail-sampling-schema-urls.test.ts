import { describe, expect, it } from 'vitest';
import type { ConsumeContext, TraceRequestBytes, TracesConsumer } from '../../consumer/traces-consumer.js';
import { silentLogger } from '../../logging/logger.js';
import { emptyScope } from '../../model/factories.js';
import type { TracesData } from '../../model/span.js';
import { decodeTraceRequestBytes } from '../../otlp/protobuf/decode-trace-request-bytes.js';
import { decodeExportTraceServiceRequest } from '../../otlp/protobuf/decode-traces.js';
import { encodeExportTraceServiceRequest } from '../../otlp/protobuf/encode-traces.js';
import { DecodeCaches } from '../../otlp/protobuf/proto-reader.js';
import { deliverProtobufTraces } from '../../receivers/shared/deliver-protobuf-traces.js';
import { attrs, parseProcessorConfig, span } from '../processor-test-support.js';
import { tailSamplingProcessorFactory } from './tail-sampling-config.js';
import { TailSamplingProcessor } from './tail-sampling-processor.js';

/*
 * OTLP gives a schema URL beside each resource and each scope (ResourceSpans.schema_url,
 * ScopeSpans.schema_url); the Collector's tail_sampling hands kept traces and late spans on under
 * them. Spans must go on under theirs on every path: held as themselves, held encoded, and held as
 * views of their received bytes — and spans under one resource or scope but different schema
 * URLs must not be merged into one group.
 */

const ctx: ConsumeContext = { tenant: 'single-tenant' };
const V1_26 = 'https://opentelemetry.io/schemas/1.26.0';
const V1_21 = 'https://opentelemetry.io/schemas/1.21.0';
const traceId = (n: number): string => n.toString(16).padStart(32, '0');

/**
 * Spans of traces 1–4 under: one resource object twice, with two schema URLs, its first scope
 * object twice too; then another resource with none. The same object under two URLs is what a
 * hand-built batch may hold (the decoder makes one object per field).
 */
function request(name: string): TracesData {
  const resource = { attributes: attrs({ 'service.name': 'checkout' }), droppedAttributesCount: 0 };
  const scope = { ...emptyScope(), name: 'http', version: '1.0' };
  const spanOf = (trace: number) => span({ traceId: traceId(trace), spanId: `${trace}`.repeat(16), name });
  return [
    {
      resource,
      schemaUrl: V1_26,
      scopeSpans: [
        { scope, schemaUrl: V1_26, spans: [spanOf(1)] },
        { scope, schemaUrl: V1_21, spans: [spanOf(2)] },
      ],
    },
    { resource, schemaUrl: V1_21, scopeSpans: [{ scope, schemaUrl: '', spans: [spanOf(3)] }] },
    {
      resource: { attributes: attrs({ 'service.name': 'cart' }), droppedAttributesCount: 0 },
      schemaUrl: '',
      scopeSpans: [{ scope: { ...emptyScope(), name: 'db' }, schemaUrl: V1_21, spans: [spanOf(4)] }],
    },
  ];
}

/** How spans of `data` are grouped: each resource and scope by its name and its schema URL. */
function grouping(data: TracesData): unknown {
  return data.map((rs) => ({
    resource: rs.resource.attributes,
    schemaUrl: rs.schemaUrl,
    scopes: rs.scopeSpans.map((ss) => ({
      scope: ss.scope.name,
      schemaUrl: ss.schemaUrl,
      spans: ss.spans.map((s) => s.traceId),
    })),
  }));
}

type Feed = 'models' | 'bytes';

/**
 * A tail_sampler keeping every trace, its next consumer taking models or bytes, fed `request`
 * decoded (`models`) or as the protobuf receivers feed it (`bytes`: spans held as views).
 * Returns what it handed on after the decision (kept traces), then after late spans.
 */
async function run(next: 'models' | 'bytes', feed: Feed) {
  let now = 0;
  const handedOn: TracesData[] = [];
  const consumer: TracesConsumer =
    next === 'models'
      ? { consumeTraces: (data) => (handedOn.push(data), Promise.resolve()) }
      : {
          consumeTraces: () => Promise.reject(new Error('a next consumer taking bytes gets bytes')),
          consumeTraceBytes: (r: TraceRequestBytes) => (
            handedOn.push(decodeTraceRequestBytes(r.parts)),
            Promise.resolve()
          ),
        };
  const config = parseProcessorConfig(
    tailSamplingProcessorFactory,
    'policies: [{ name: all, type: always_sample }]',
  );
  const tail = new TailSamplingProcessor(config, consumer, silentLogger(), () => now);
  const caches = new DecodeCaches();
  const send = async (data: TracesData): Promise<void> => {
    if (feed === 'models') await tail.consumeTraces(data, ctx);
    else await deliverProtobufTraces(encodeExportTraceServiceRequest(data), tail, ctx, 'test', caches);
  };
  await send(request('first'));
  now += 30_001;
  tail.decideDue();
  const kept = handedOn.splice(0);
  await send(request('late'));
  await tail.shutdown();
  return { kept, late: handedOn, viewedSpans: tail.stats.viewedSpans };
}

describe('tail_sampling keeps the schema URLs spans came under', () => {
  it('held as themselves: kept traces and late spans, one resource or scope under two URLs kept apart', async () => {
    const { kept, late } = await run('models', 'models');
    expect(kept.map(grouping)).toEqual([grouping(request('first'))]);
    expect(late.map(grouping)).toEqual([grouping(request('late'))]);
  });

  it('held encoded, for a next consumer taking bytes', async () => {
    const { kept, late, viewedSpans } = await run('bytes', 'models');
    expect(viewedSpans).toBe(0);
    expect(kept).toEqual([request('first')]);
    expect(late).toEqual([request('late')]);
  });

  it('held as views of the received bytes', async () => {
    const { kept, late, viewedSpans } = await run('bytes', 'bytes');
    expect(viewedSpans).toBe(8);
    // Decoded from the received bytes, each field's resource is an object of its own: the same
    // groups, compared by value.
    expect(kept).toEqual([
      decodeExportTraceServiceRequest(encodeExportTraceServiceRequest(request('first'))),
    ]);
    expect(late).toEqual([decodeExportTraceServiceRequest(encodeExportTraceServiceRequest(request('late')))]);
  });
});
