import { describe, expect, it } from 'vitest';
import type { RetryableError } from '../../consumer/errors.js';
import { PermanentError } from '../../consumer/errors.js';
import { encodeRpcStatus } from '../../otlp/protobuf/rpc-status.js';
import { errorForHttpStatus, parseRetryAfter } from './http-export-error.js';

const URL = 'http://tempo:4318/v1/traces';
const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('OTLP/HTTP answers as exporter errors (the Collector’s otlphttp mapping)', () => {
  it('retries 429, 502, 503 and 504; everything else is permanent, 500 included', () => {
    const kind = (status: number) => errorForHttpStatus(URL, status, {}, Buffer.alloc(0)).name;
    expect([429, 502, 503, 504].map(kind)).toEqual(Array(4).fill('RetryableError'));
    expect([400, 401, 403, 404, 413, 500, 501].map(kind)).toEqual(Array(7).fill('PermanentError'));
  });

  it('takes Retry-After from 429 and 503 only, in seconds or as an HTTP date', () => {
    const after = (status: number, value: string) =>
      (errorForHttpStatus(URL, status, { 'retry-after': value }, Buffer.alloc(0), NOW) as RetryableError)
        .retryAfterMs;
    expect(after(503, '7')).toBe(7000);
    expect(after(429, 'Thu, 01 Jan 2026 00:00:30 GMT')).toBe(30_000);
    expect(after(502, '7')).toBe(0);
    expect(parseRetryAfter('soon', NOW)).toBe(0);
    expect(parseRetryAfter(undefined, NOW)).toBe(0);
  });

  it('puts the google.rpc.Status message of a protobuf or JSON body into the error', () => {
    const proto = errorForHttpStatus(
      URL,
      400,
      { 'content-type': 'application/x-protobuf' },
      encodeRpcStatus(3, 'span id must be 8 bytes'),
    );
    expect(proto).toBeInstanceOf(PermanentError);
    expect(proto.message).toBe(`export to ${URL} failed: HTTP 400: span id must be 8 bytes`);
    const json = errorForHttpStatus(
      URL,
      503,
      { 'content-type': 'application/json' },
      Buffer.from('{"code":14,"message":"store unavailable"}'),
    );
    expect(json.message).toBe(`export to ${URL} failed: HTTP 503: store unavailable`);
    const html = errorForHttpStatus(
      URL,
      502,
      { 'content-type': 'text/html' },
      Buffer.from('<h1>Bad\n gateway</h1>'),
    );
    expect(html.message).toBe(`export to ${URL} failed: HTTP 502: <h1>Bad gateway</h1>`);
  });
});
