import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '../../consumer/errors.js';
import { encodeExportTraceServiceRequest } from '../../otlp/protobuf/encode-traces.js';
import { decodeExportTraceServiceResponse } from '../../otlp/protobuf/trace-service-response.js';
import { exportWith } from '../../../test/support/exporters.js';
import { expectedFlatSpan, flattenSpans, makeSdkSpans } from '../../../test/support/sdk-spans.js';
import type { TestTracehouse } from '../../../test/support/test-tracehouse.js';
import { startTestTracehouse } from '../../../test/support/test-tracehouse.js';
import { oneSpanRequest } from '../../../test/support/one-span-request.js';

let th: TestTracehouse | undefined;
afterEach(async () => {
  await th?.stop();
  th = undefined;
});

const bySpanId = <T extends { span: { spanId: string } }>(xs: T[]): T[] =>
  [...xs].sort((a, b) => a.span.spanId.localeCompare(b.span.spanId));

const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };

function post(url: string, body: Buffer | string, headers: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', body, headers });
}

describe('OTLP/HTTP receiver', () => {
  const clients = [
    [
      'protobuf',
      (url: string, compression: CompressionAlgorithm) => new OtlpProtoExporter({ url, compression }),
    ],
    ['JSON', (url: string, compression: CompressionAlgorithm) => new OtlpJsonExporter({ url, compression })],
  ] as const;
  for (const [encoding, makeExporter] of clients) {
    for (const compression of [CompressionAlgorithm.NONE, CompressionAlgorithm.GZIP]) {
      it(`receives what the real OTLP/HTTP ${encoding} exporter sends (compression ${compression}), field by field`, async () => {
        th = await startTestTracehouse();
        const spans = await makeSdkSpans();
        const exporter = makeExporter(`${th.httpBase}/v1/traces`, compression);
        const result = await exportWith(exporter, spans);
        await exporter.shutdown();
        expect(result.error).toBeUndefined();
        expect(result.code).toBe(ExportResultCode.SUCCESS);
        expect(bySpanId(flattenSpans(th.exporter.allData()))).toEqual(bySpanId(spans.map(expectedFlatSpan)));
      });
    }
  }

  it('answers in the request encoding, with partial success for invalid spans', async () => {
    th = await startTestTracehouse();
    const data = oneSpanRequest();
    data[0].scopeSpans[0].spans.push({ ...data[0].scopeSpans[0].spans[0], spanId: '', name: 'no-id' });
    const proto = await post(`${th.httpBase}/v1/traces`, encodeExportTraceServiceRequest(data), PROTOBUF);
    expect(proto.status).toBe(200);
    expect(proto.headers.get('content-type')).toBe('application/x-protobuf');
    expect(decodeExportTraceServiceResponse(Buffer.from(await proto.arrayBuffer()))).toEqual({
      rejectedSpans: 1,
      errorMessage: 'rejected 1 invalid span(s): span "no-id": span id is missing',
    });
    const json = await post(
      `${th.httpBase}/v1/traces`,
      JSON.stringify({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  { traceId: '00000000000000000000000000000000', spanId: 'eee19b7ec3c1b174', name: 'zero' },
                ],
              },
            ],
          },
        ],
      }),
      JSON_TYPE,
    );
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({
      partialSuccess: {
        rejectedSpans: '1',
        errorMessage: 'rejected 1 invalid span(s): span "zero": trace id is all zeros',
      },
    });
    expect(th.exporter.spanCount()).toBe(1);
  });

  it('keeps every digit of 64-bit integers sent as JSON numbers, which the OTLP JSON encoding allows', async () => {
    th = await startTestTracehouse();
    const span =
      '{"traceId":"5eed5eed5eed5eed5eed5eed5eed0003","spanId":"0102030405060708","name":"n",' +
      '"startTimeUnixNano":1795800000000000001,"endTimeUnixNano":1795800000000000999,' +
      '"attributes":[{"key":"i","value":{"intValue":-1234567890123456789}}]}';
    const res = await post(
      `${th.httpBase}/v1/traces`,
      `{"resourceSpans":[{"scopeSpans":[{"spans":[${span}]}]}]}`,
      JSON_TYPE,
    );
    expect(res.status).toBe(200);
    const [received] = th.exporter.allData()[0].scopeSpans[0].spans;
    expect(received).toMatchObject({
      startTimeUnixNano: 1795800000000000001n,
      endTimeUnixNano: 1795800000000000999n,
      attributes: [{ key: 'i', value: -1234567890123456789n }],
    });
  });

  it('answers an empty request with an empty response', async () => {
    th = await startTestTracehouse();
    const res = await post(`${th.httpBase}/v1/traces`, Buffer.alloc(0), PROTOBUF);
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
    const json = await post(`${th.httpBase}/v1/traces`, '{}', JSON_TYPE);
    expect(await json.json()).toEqual({});
  });

  const badCases: [string, () => [Buffer | string, Record<string, string>], number, RegExp][] = [
    ['invalid JSON', () => ['{"resourceSpans": [', JSON_TYPE], 400, /^invalid JSON: /],
    [
      'OTLP JSON of the wrong shape',
      () => ['{"resourceSpans": [{"scopeSpans": [{"spans": [{"startTimeUnixNano": "12x"}]}]}]}', JSON_TYPE],
      400,
      /^invalid OTLP JSON: resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.startTimeUnixNano/,
    ],
    [
      'truncated protobuf',
      () => [encodeExportTraceServiceRequest(oneSpanRequest()).subarray(0, 30), PROTOBUF],
      400,
      /^invalid protobuf: truncated message/,
    ],
    [
      'a wrong content type',
      () => ['hello', { 'content-type': 'text/plain' }],
      415,
      /^unsupported Content-Type: use one of application\/x-protobuf/,
    ],
    [
      'an unknown content encoding',
      () => [Buffer.from('x'), { ...PROTOBUF, 'content-encoding': 'br' }],
      415,
      /^unsupported Content-Encoding "br"/,
    ],
    [
      'a corrupt gzip body',
      () => [Buffer.from('not gzip'), { ...PROTOBUF, 'content-encoding': 'gzip' }],
      400,
      /^invalid gzip body: /,
    ],
  ];
  for (const [what, make, status, message] of badCases) {
    it(`refuses ${what} with ${status} and a google.rpc.Status message, then keeps serving`, async () => {
      th = await startTestTracehouse();
      const [body, headers] = make();
      const res = await post(`${th.httpBase}/v1/traces`, body, headers);
      expect(res.status).toBe(status);
      const text = Buffer.from(await res.arrayBuffer());
      const statusMessage = res.headers.get('content-type')?.startsWith('application/json')
        ? (JSON.parse(text.toString()) as { message: string }).message
        : decodeStatusMessage(text);
      expect(statusMessage).toMatch(message);
      const good = await post(
        `${th.httpBase}/v1/traces`,
        encodeExportTraceServiceRequest(oneSpanRequest()),
        PROTOBUF,
      );
      expect(good.status).toBe(200);
      expect(th.exporter.spanCount()).toBe(1);
    });
  }

  it('refuses a body over the limit with 413', async () => {
    th = await startTestTracehouse({ maxHttpBodyBytes: 64 * 1024 });
    const res = await post(
      `${th.httpBase}/v1/traces`,
      encodeExportTraceServiceRequest(oneSpanRequest({ name: 'x'.repeat(100_000) })),
      PROTOBUF,
    );
    expect(res.status).toBe(413);
    expect(decodeStatusMessage(Buffer.from(await res.arrayBuffer()))).toBe(
      'request body exceeds the limit of 65536 bytes',
    );
  });

  it('refuses a gzip bomb with 413 by its decompressed size', async () => {
    th = await startTestTracehouse({ maxHttpBodyBytes: 1024 * 1024 });
    const bomb = gzipSync(
      encodeExportTraceServiceRequest(oneSpanRequest({ name: 'a'.repeat(100 * 1024 * 1024) })),
    );
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const res = await post(`${th.httpBase}/v1/traces`, bomb, { ...PROTOBUF, 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(decodeStatusMessage(Buffer.from(await res.arrayBuffer()))).toBe(
      'decompressed body exceeds the limit of 1048576 bytes',
    );
    expect(th.exporter.spanCount()).toBe(0);
  });

  it('pushes back with 429 and Retry-After when too much is in flight', async () => {
    th = await startTestTracehouse({ maxInflightBytes: 1 });
    let release!: () => void;
    th.exporter.hold = new Promise((resolve) => (release = resolve));
    const body = encodeExportTraceServiceRequest(oneSpanRequest());
    const first = post(`${th.httpBase}/v1/traces`, body, PROTOBUF);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await post(`${th.httpBase}/v1/traces`, body, PROTOBUF);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('1');
    release();
    expect((await first).status).toBe(200);
    const third = await post(`${th.httpBase}/v1/traces`, body, PROTOBUF);
    expect(third.status).toBe(200);
    expect(th.exporter.spanCount()).toBe(2);
  });

  it('answers 503 with Retry-After when the pipeline refuses with a retryable error', async () => {
    th = await startTestTracehouse();
    th.exporter.failWith = new RetryableError('store is flushing', 2500);
    const res = await post(
      `${th.httpBase}/v1/traces`,
      encodeExportTraceServiceRequest(oneSpanRequest()),
      PROTOBUF,
    );
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(decodeStatusMessage(Buffer.from(await res.arrayBuffer()))).toBe('store is flushing');
  });

  it('answers 429 with Retry-After when the pipeline throttles (the store log full)', async () => {
    th = await startTestTracehouse();
    th.exporter.failWith = new RetryableError('log is full', 1000, { throttle: true });
    const res = await post(
      `${th.httpBase}/v1/traces`,
      encodeExportTraceServiceRequest(oneSpanRequest()),
      PROTOBUF,
    );
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
  });

  it('answers 413 when the pipeline refuses a batch for its size (larger than a log segment)', async () => {
    th = await startTestTracehouse();
    th.exporter.failWith = new PermanentError('too big for the log', { tooLarge: true });
    const res = await post(
      `${th.httpBase}/v1/traces`,
      encodeExportTraceServiceRequest(oneSpanRequest()),
      PROTOBUF,
    );
    expect(res.status).toBe(413);
    expect(decodeStatusMessage(Buffer.from(await res.arrayBuffer()))).toBe('too big for the log');
  });

  it('answers another method on /v1/traces with 405 and Allow: POST, as the Collector does; other paths 404', async () => {
    th = await startTestTracehouse({ corsAllowedOrigins: [] });
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const res = await fetch(`${th.httpBase}/v1/traces?x=1`, { method });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow'), method).toBe('POST');
      expect(await res.json(), method).toEqual({
        code: 3,
        message: `method ${method} not allowed on /v1/traces; supported: POST`,
      });
    }
    const head = await fetch(`${th.httpBase}/v1/traces`, { method: 'HEAD' });
    expect([head.status, head.headers.get('allow')]).toEqual([405, 'POST']);
    const elsewhere = await fetch(`${th.httpBase}/v1/metrics`);
    expect(elsewhere.status).toBe(404);
    expect(th.exporter.spanCount()).toBe(0);
  });

  it('allows browser senders through CORS', async () => {
    th = await startTestTracehouse();
    const preflight = await fetch(`${th.httpBase}/v1/traces`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const res = await post(`${th.httpBase}/v1/traces`, '{}', { ...JSON_TYPE, origin: 'http://app.example' });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});

/** Reads `message` (field 2) of a protobuf google.rpc.Status. */
function decodeStatusMessage(bytes: Buffer): string {
  let pos = 0;
  while (pos < bytes.length) {
    const tag = bytes[pos++];
    if (tag === 0x08) {
      while (bytes[pos++] & 0x80);
    } else if (tag === 0x12) {
      let length = 0;
      let shift = 0;
      let b: number;
      do {
        b = bytes[pos++];
        length |= (b & 0x7f) << shift;
        shift += 7;
      } while (b & 0x80);
      return bytes.subarray(pos, pos + length).toString('utf8');
    } else throw new Error(`unexpected tag ${tag} in Status`);
  }
  return '';
}
