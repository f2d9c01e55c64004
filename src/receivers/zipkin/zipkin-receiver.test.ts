import { ExportResultCode } from '@opentelemetry/core';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { findAttribute } from '../../model/attributes.js';
import { exportWith } from '../../../test/support/exporters.js';
import { flattenSpans, hrTimeToNanos, makeSdkSpans } from '../../../test/support/sdk-spans.js';
import type { TestTracehouse } from '../../../test/support/test-tracehouse.js';
import { startTestTracehouse } from '../../../test/support/test-tracehouse.js';

let th: TestTracehouse | undefined;
afterEach(async () => {
  await th?.stop();
  th = undefined;
});

const ZIPKIN_SPAN = {
  traceId: '5b8efff798038103d269b633813fc60c',
  id: 'eee19b7ec3c1b174',
  name: 'get /users',
  kind: 'SERVER',
  timestamp: 1_700_000_000_000_000,
  duration: 1500,
  localEndpoint: { serviceName: 'user-service' },
  tags: { 'http.method': 'GET' },
};

function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) {
  return fetch(url, { method: 'POST', body, headers });
}

describe('Zipkin v2 receiver', () => {
  it('receives what the real OpenTelemetry Zipkin exporter sends', async () => {
    th = await startTestTracehouse();
    const spans = await makeSdkSpans();
    const exporter = new ZipkinExporter({ url: `${th.zipkinBase}/api/v2/spans` });
    const result = await exportWith(exporter, spans);
    await exporter.shutdown();
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    const received = flattenSpans(th.exporter.allData());
    expect(received).toHaveLength(spans.length);
    for (const sdk of spans) {
      const got = received.find((r) => r.span.spanId === sdk.spanContext().spanId);
      expect(got, sdk.name).toBeDefined();
      expect(got!.span.traceId).toBe(sdk.spanContext().traceId);
      expect(got!.span.parentSpanId).toBe(sdk.parentSpanContext?.spanId ?? '');
      expect(got!.span.name).toBe(sdk.name);
      expect(got!.span.startTimeUnixNano / 1000n).toBe(hrTimeToNanos(sdk.startTime) / 1000n);
      expect(findAttribute(got!.resource.attributes, 'service.name')).toBe('reservations-service');
    }
    const failed = received.find((r) => r.span.name === 'fetch_limit')!.span;
    expect(failed.status).toEqual({ code: 2, message: 'limit not found' });
    const sdkFailed = spans.find((s) => s.name === 'fetch_limit')!;
    expect(failed.events.map((e) => e.name)).toEqual(sdkFailed.events.map((e) => e.name));
    expect(failed.events).toHaveLength(3);
  });

  it('answers 202 and takes gzip-compressed bodies and the tenant header', async () => {
    th = await startTestTracehouse();
    const res = await post(`${th.zipkinBase}/api/v2/spans`, gzipSync(JSON.stringify([ZIPKIN_SPAN])), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'x-scope-orgid': 'team-z',
    });
    expect(res.status).toBe(202);
    expect(th.exporter.batches[0].context.tenant).toBe('team-z');
    const span = th.exporter.allData()[0].scopeSpans[0].spans[0];
    expect(span).toMatchObject({
      name: 'get /users',
      kind: 2,
      startTimeUnixNano: 1_700_000_000_000_000_000n,
      endTimeUnixNano: 1_700_000_000_001_500_000n,
    });
  });

  it('keeps valid spans and says which were dropped when some ids are unusable', async () => {
    th = await startTestTracehouse();
    const zeroTrace = { ...ZIPKIN_SPAN, id: '1111111111111111', traceId: '0000000000000000' };
    const res = await post(`${th.zipkinBase}/api/v2/spans`, JSON.stringify([ZIPKIN_SPAN, zeroTrace]));
    expect(res.status).toBe(202);
    expect(await res.text()).toMatch(
      /^rejected 1 invalid span\(s\): span "get \/users": trace id is all zeros$/,
    );
    expect(th.exporter.spanCount()).toBe(1);
  });

  it('drops spans timed past 2106 and keeps the rest (timestamps and durations too large to store)', async () => {
    th = await startTestTracehouse();
    const late = [
      { ...ZIPKIN_SPAN, id: '1111111111111111', timestamp: 1e300 },
      { ...ZIPKIN_SPAN, id: '2222222222222222', timestamp: 9.3e15 },
      { ...ZIPKIN_SPAN, id: '3333333333333333', duration: 1e19 },
    ];
    const res = await post(`${th.zipkinBase}/api/v2/spans`, JSON.stringify([ZIPKIN_SPAN, ...late]));
    expect(res.status).toBe(202);
    expect(await res.text()).toMatch(
      /^rejected 3 invalid span\(s\): span "get \/users": start time \d+ ns is past 2106-02-07T06:28:15Z/,
    );
    expect(th.exporter.spanCount()).toBe(1);
  });

  it('answers a GET of /api/v2/spans with 405 and Allow: POST (this port only receives)', async () => {
    th = await startTestTracehouse();
    const res = await fetch(`${th.zipkinBase}/api/v2/spans?serviceName=x`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.text()).toBe('method GET not allowed on /api/v2/spans; supported: POST');
  });

  const bad: [string, string, Record<string, string>, number, RegExp][] = [
    ['invalid JSON', '[{', { 'content-type': 'application/json' }, 400, /^invalid JSON: /],
    [
      'a body that is not an array',
      '{"traceId": "x"}',
      { 'content-type': 'application/json' },
      400,
      /^invalid Zipkin v2 spans: /,
    ],
    [
      'a bad id',
      JSON.stringify([{ ...ZIPKIN_SPAN, id: 'xyz' }]),
      { 'content-type': 'application/json' },
      400,
      /^invalid Zipkin v2 spans: span\[0\]\.id/,
    ],
    [
      'a wrong content type',
      '[]',
      { 'content-type': 'application/x-thrift' },
      415,
      /^unsupported Content-Type: use one of application\/json/,
    ],
  ];
  for (const [what, body, headers, status, message] of bad) {
    it(`refuses ${what} with ${status} and a plain-text reason, then keeps serving`, async () => {
      th = await startTestTracehouse();
      const res = await post(`${th.zipkinBase}/api/v2/spans`, body, headers);
      expect(res.status).toBe(status);
      expect(await res.text()).toMatch(message);
      expect((await post(`${th.zipkinBase}/api/v2/spans`, JSON.stringify([ZIPKIN_SPAN]))).status).toBe(202);
      expect(th.exporter.spanCount()).toBe(1);
    });
  }
});
