import { afterEach, describe, expect, it } from 'vitest';
import { makeRealisticBatch } from '../../bench/realistic-batch.js';
import { requestBytesOf } from '../model/request-bytes.js';
import { encodeExportTraceServiceRequest } from '../otlp/protobuf/encode-traces.js';
import { captureBackend, receiverAddress, runConfigText } from './run-config.test-support.js';

/*
 * Pass-through end to end (model/request-bytes.ts): OTLP/HTTP in, `otlp` exporters out to two
 * backends that are Tracehouse OTLP/gRPC receivers. A backend's receiver attaches the bytes it
 * received to what it decodes, so `requestBytesOf` there shows exactly what the collector sent.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const backend = () => captureBackend((stop) => cleanups.push(stop));

function config(plain: string, changed: string, changedFirst: boolean): string {
  const pipelines = [
    `traces/plain: { receivers: [otlp], processors: [memory_limiter, batch], exporters: [otlp/plain] }`,
    `traces/changed: { receivers: [otlp], processors: [attributes, batch], exporters: [otlp/changed] }`,
  ];
  if (changedFirst) pipelines.reverse();
  const exporter = (endpoint: string): string =>
    `{ endpoint: ${endpoint}, tls: { insecure: true }, compression: none, sending_queue: { enabled: false } }`;
  return `
receivers:
  otlp: { protocols: { http: { endpoint: 127.0.0.1:0 } } }
processors:
  memory_limiter: { check_interval: 1s, limit_mib: 100000 }
  batch: { send_batch_size: 100000, timeout: 100ms }
  attributes: { actions: [{ key: deployment.environment, value: production, action: insert }] }
exporters:
  otlp/plain: ${exporter(plain)}
  otlp/changed: ${exporter(changed)}
service:
  pipelines:
    ${pipelines.join('\n    ')}
`;
}

describe('pass-through of received bytes', () => {
  for (const changedFirst of [false, true])
    it(`sends the requests' bytes unchanged where only batch and memory_limiter run, never where a processor changes spans (${changedFirst ? 'changing' : 'plain'} pipeline first)`, async () => {
      const plain = await backend();
      const changed = await backend();
      const service = await runConfigText(config(plain.address, changed.address, changedFirst));
      cleanups.push(() => service.shutdown());
      const url = `http://${receiverAddress(service, 'otlp-http')}/v1/traces`;
      const bodies = [1, 2].map((seed) => encodeExportTraceServiceRequest(makeRealisticBatch(64, seed)));
      const answers = await Promise.all(
        bodies.map((body) =>
          fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      await plain.capture.waitForSpans(128);
      await changed.capture.waitForSpans(128);

      // Batched into one request: the two bodies back to back, in either arrival order.
      expect(plain.capture.batches).toHaveLength(1);
      const sent = Buffer.concat(requestBytesOf(plain.capture.batches[0].data) ?? []);
      expect([Buffer.concat(bodies), Buffer.concat([bodies[1], bodies[0]])]).toContainEqual(sent);

      // The attributes processor's change reached the backend: the spans were encoded afresh.
      const changedData = changed.capture.allData();
      const spans = changedData.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
      expect(spans).toHaveLength(128);
      for (const span of spans)
        expect(span.attributes).toContainEqual({ key: 'deployment.environment', value: 'production' });
      // …and the plain pipeline's copy was not touched by it.
      for (const rs of plain.capture.allData())
        for (const ss of rs.scopeSpans)
          for (const span of ss.spans)
            expect(span.attributes.some((kv) => kv.key === 'deployment.environment')).toBe(false);
    });
});
