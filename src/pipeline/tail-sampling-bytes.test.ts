import { afterEach, describe, expect, it } from 'vitest';
import { makeRealisticBatch } from '../../bench/realistic-batch.js';
import type { KeyValue } from '../model/attributes.js';
import type { Span, TracesData } from '../model/span.js';
import { encodeExportTraceServiceRequest } from '../otlp/protobuf/encode-traces.js';
import { TailSamplingProcessor } from '../processors/tail_sampling/tail-sampling-processor.js';
import { captureBackend, receiverAddress, runConfigText } from './run-config.test-support.js';
import type { Service } from './service.js';

/*
 * tail_sampling declares `mutatesData: false` (model/request-bytes.ts, rule 3), so received bytes
 * reach it and it holds spans as views of them — unless a processor before it changes spans,
 * when the builder's ForgetRequestBytes must make it encode them. End to end: OTLP/HTTP in, the
 * `otlp` exporter out to a Tracehouse OTLP/gRPC receiver that captures what arrived.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const backend = () => captureBackend((stop) => cleanups.push(stop));

function config(processors: string, backendAddress: string): string {
  return `
receivers:
  otlp: { protocols: { http: { endpoint: 127.0.0.1:0 } } }
processors:
  attributes: { actions: [{ key: deployment.environment, value: production, action: insert }] }
  tail_sampling: { decision_wait: 100ms, policies: [{ name: all, type: always_sample }] }
  batch: { send_batch_size: 100000, timeout: 50ms }
  batch/first: { send_batch_size: 100000, timeout: 20ms }
exporters:
  otlp: { endpoint: ${backendAddress}, tls: { insecure: true }, compression: none, sending_queue: { enabled: false } }
service:
  pipelines:
    traces: { receivers: [otlp], processors: [${processors}], exporters: [otlp] }
`;
}

interface SpanInContext {
  resource: KeyValue[];
  resourceSchemaUrl: string;
  scope: string;
  scopeSchemaUrl: string;
  span: Span;
}

/**
 * Every span with its resource's and scope's attributes and schema URLs, in span id order, to
 * compare regrouped batches.
 */
function spansInContext(data: TracesData): SpanInContext[] {
  return data
    .flatMap((rs) =>
      rs.scopeSpans.flatMap((ss) =>
        ss.spans.map((span) => ({
          resource: [...rs.resource.attributes],
          resourceSchemaUrl: rs.schemaUrl,
          scope: ss.scope.name,
          scopeSchemaUrl: ss.schemaUrl,
          span,
        })),
      ),
    )
    .sort((a, b) => (a.span.spanId < b.span.spanId ? -1 : a.span.spanId > b.span.spanId ? 1 : 0));
}

/** A realistic batch whose resources and scopes carry schema URLs, which must arrive with them. */
function batchWithSchemaUrls(seed: number): TracesData {
  return makeRealisticBatch(64, seed).map((rs, r) => ({
    ...rs,
    schemaUrl: r % 3 === 0 ? '' : `https://opentelemetry.io/schemas/1.${seed}${r % 3}.0`,
    scopeSpans: rs.scopeSpans.map((ss) => ({
      ...ss,
      schemaUrl: `https://opentelemetry.io/schemas/1.2${r % 2}.0`,
    })),
  }));
}

async function run(processors: string): Promise<{ sent: TracesData; arrived: TracesData; service: Service }> {
  const { capture, address } = await backend();
  const service = await runConfigText(config(processors, address));
  cleanups.push(() => service.shutdown());
  const sent = [1, 2].flatMap(batchWithSchemaUrls);
  const url = `http://${receiverAddress(service, 'otlp-http')}/v1/traces`;
  for (const seed of [1, 2]) {
    const body = encodeExportTraceServiceRequest(batchWithSchemaUrls(seed));
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body,
    });
    expect(answer.status).toBe(200);
  }
  await capture.waitForSpans(128);
  return { sent, arrived: capture.allData(), service };
}

function tailSampler(service: Service): TailSamplingProcessor {
  const tail = service.processors.find((p) => p instanceof TailSamplingProcessor);
  if (!(tail instanceof TailSamplingProcessor)) throw new Error('no tail_sampling processor');
  return tail;
}

describe('tail_sampling behind an OTLP receiver', () => {
  it('holds the spans as views of the received bytes and sends them unchanged', async () => {
    const { sent, arrived, service } = await run('tail_sampling, batch');
    expect(tailSampler(service).stats.viewedSpans).toBe(128);
    expect(spansInContext(arrived)).toEqual(spansInContext(sent));
  });

  it('holds them as views behind a batch processor too, which joins the requests and their span fields', async () => {
    const { sent, arrived, service } = await run('batch/first, tail_sampling, batch');
    expect(tailSampler(service).stats.viewedSpans).toBe(128);
    expect(spansInContext(arrived)).toEqual(spansInContext(sent));
  });

  it('encodes them when a processor before it changed the spans (the received bytes are forgotten)', async () => {
    const { sent, arrived, service } = await run('attributes, tail_sampling, batch');
    expect(tailSampler(service).stats.viewedSpans).toBe(0);
    const changed = spansInContext(arrived);
    expect(changed).toHaveLength(128);
    for (const { span } of changed)
      expect(span.attributes).toContainEqual({ key: 'deployment.environment', value: 'production' });
    const expected = spansInContext(sent).map((s) => ({
      ...s,
      span: {
        ...s.span,
        attributes: [...s.span.attributes, { key: 'deployment.environment', value: 'production' }],
      },
    }));
    expect(changed).toEqual(expected);
  });
});
