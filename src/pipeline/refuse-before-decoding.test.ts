import * as grpc from '@grpc/grpc-js';
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { rawGrpcExport } from '../../test/support/exporters.js';
import { oneSpanRequest } from '../../test/support/one-span-request.js';
import { encodeExportTraceServiceRequest } from '../otlp/protobuf/encode-traces.js';
import { captureBackend, receiverAddress, runConfigText } from './run-config.test-support.js';

/*
 * A pipeline that would refuse anything (TracesConsumer.wouldRefuse) is asked before a request
 * is read or decoded. Here the refusal comes from the far end: an `otlp` exporter whose sending
 * queue (one batch) is full because its backend holds every export. It must reach the receivers
 * through memory_limiter, batch, attributes and the exporters' fan-out; tail_sampling takes into
 * its own buffer and must not pass it on. Malformed bodies show that nothing was decoded: the
 * answer is the queue's 503, not the decoder's 400.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const MALFORMED = Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]);
const QUEUE_FULL = 'sending queue of exporter otlp is full';

async function startWithFullQueue() {
  const backend = await captureBackend((stop) => cleanups.push(stop));
  let release!: () => void;
  backend.capture.hold = new Promise((resolve) => (release = resolve));
  const service = await runConfigText(`
receivers:
  otlp: { protocols: { grpc: { endpoint: 127.0.0.1:0 }, http: { endpoint: 127.0.0.1:0 } } }
  zipkin: { endpoint: 127.0.0.1:0 }
  otlp/tail: { protocols: { http: { endpoint: 127.0.0.1:0 } } }
processors:
  memory_limiter: { check_interval: 1s, limit_mib: 100000 }
  batch: { timeout: 1ms }
  attributes: { actions: [{ key: deployment.environment, value: production, action: insert }] }
  tail_sampling: { decision_wait: 10s, policies: [{ name: all, type: always_sample }] }
exporters:
  otlp:
    endpoint: ${backend.address}
    tls: { insecure: true }
    timeout: 60s
    sending_queue: { enabled: true, queue_size: 1, num_consumers: 1 }
service:
  pipelines:
    traces: { receivers: [otlp, zipkin], processors: [memory_limiter, batch, attributes], exporters: [otlp] }
    traces/tail: { receivers: [otlp/tail], processors: [tail_sampling], exporters: [otlp] }
`);
  cleanups.push(() => service.shutdown());
  // Cleanups run last first: the backend lets go before the collector stops, so its shutdown
  // drains the queue instead of waiting on the held export.
  cleanups.push(() => Promise.resolve(release()));
  const httpUrl = `http://${receiverAddress(service, 'otlp-http')}/v1/traces`;
  const first = await fetch(httpUrl, {
    method: 'POST',
    body: encodeExportTraceServiceRequest(oneSpanRequest()),
    headers: { 'content-type': 'application/x-protobuf' },
  });
  // Queued (the queue acknowledges), and now the queue's one place is taken.
  expect(first.status).toBe(200);
  const addresses = service.receivers.map((r) => ({ component: r.component, address: r.address() }));
  const tailHttp = addresses.filter((r) => r.component === 'otlp-http')[1].address;
  return { service, httpUrl, tailUrl: `http://${tailHttp}/v1/traces` };
}

describe('a pipeline that would refuse anything is asked before the request is decoded', () => {
  for (const [encoding, contentType, body] of [
    ['protobuf', 'application/x-protobuf', MALFORMED],
    ['JSON', 'application/json', 'not json'],
  ] as const)
    it(`OTLP/HTTP answers 503 with Retry-After and the reason, for a ${encoding} body it never decoded`, async () => {
      const { httpUrl } = await startWithFullQueue();
      const response = await fetch(httpUrl, {
        method: 'POST',
        body,
        headers: { 'content-type': contentType },
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(response.headers.get('content-type')).toContain(contentType);
      if (encoding === 'JSON') expect(await response.json()).toMatchObject({ code: 14, message: QUEUE_FULL });
    });

  it('OTLP/HTTP answers before the body is sent', async () => {
    const { httpUrl } = await startWithFullQueue();
    // Headers only: a receiver that read the body first would wait for it until the test times out.
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(httpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', 'content-length': 1_000_000 },
      });
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
        request.destroy();
      });
      request.on('error', reject);
      request.flushHeaders();
    });
    expect(status).toBe(503);
  });

  it('OTLP/gRPC answers UNAVAILABLE with RetryInfo for a message it never decoded', async () => {
    const { service } = await startWithFullQueue();
    const { error } = await rawGrpcExport(receiverAddress(service, 'otlp-grpc'), MALFORMED);
    expect(error?.code).toBe(grpc.status.UNAVAILABLE);
    expect(error?.details).toBe(QUEUE_FULL);
    expect(error?.metadata.get('grpc-status-details-bin')[0]).toBeInstanceOf(Buffer);
  });

  it('Zipkin answers 503 for a body it never parsed', async () => {
    const { service } = await startWithFullQueue();
    const response = await fetch(`http://${receiverAddress(service, 'zipkin')}/api/v2/spans`, {
      method: 'POST',
      body: 'not json',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(503);
    expect(await response.text()).toBe(QUEUE_FULL);
  });

  it('tail_sampling does not pass the refusal on: it takes spans into its own buffer', async () => {
    const { tailUrl } = await startWithFullQueue();
    const malformed = await fetch(tailUrl, {
      method: 'POST',
      body: MALFORMED,
      headers: { 'content-type': 'application/x-protobuf' },
    });
    expect(malformed.status).toBe(400);
    const valid = await fetch(tailUrl, {
      method: 'POST',
      body: encodeExportTraceServiceRequest(oneSpanRequest()),
      headers: { 'content-type': 'application/x-protobuf' },
    });
    expect(valid.status).toBe(200);
  });
});
