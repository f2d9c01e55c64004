import { describe, expect, it } from 'vitest';
import { JaegerParamError } from './jaeger-errors.js';
import {
  goDurationNanos,
  lookbackNanos,
  parseTags,
  parseTraceId,
  rfc3339Nanos,
  spanKindParam,
} from './jaeger-params.js';
import { v1TracesRequest } from './jaeger-v1-params.js';
import { v3TraceSearch } from './jaeger-v3-params.js';

const S = 1_000_000_000n;

describe('RFC 3339 times (the v3 API)', () => {
  it.each([
    ['1970-01-01T00:00:00Z', 0n],
    ['2024-05-01T12:00:00Z', 1_714_564_800n * S],
    ['2024-05-01T12:00:00.5Z', 1_714_564_800n * S + 500_000_000n],
    ['2024-05-01T12:00:00.123456789Z', 1_714_564_800n * S + 123_456_789n],
    ['2024-05-01T14:00:00+02:00', 1_714_564_800n * S],
    ['2024-05-01T07:30:00-04:30', 1_714_564_800n * S],
    // Grafana sends the time unencoded, so an offset's `+` arrives as a space.
    ['2024-05-01T14:00:00 02:00', 1_714_564_800n * S],
    ['2024-02-29T00:00:00Z', 1_709_164_800n * S],
  ])('%s', (text, nanos) => {
    expect(rfc3339Nanos(text, 'query.start_time_min')).toBe(nanos);
  });

  it.each([
    '2024-05-01',
    '2024-05-01 12:00:00Z',
    '2023-02-29T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '1714564800',
    '2024-05-01T12:00:00.1234567890Z',
    // Each field in its range, none rolled over by Date.
    '2026-13-45T25:61:61Z',
    '2026-00-01T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-01-00T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T00:60:00Z',
    '2026-01-01T00:00:60Z',
  ])('refuses %s, naming the parameter', (text) => {
    expect(() => rfc3339Nanos(text, 'query.start_time_max')).toThrow(
      expect.objectContaining({ param: 'query.start_time_max' }),
    );
  });

  it('takes offsets up to ±23:59 and refuses any past them (RFC 3339 time-numoffset)', () => {
    expect(rfc3339Nanos('2024-05-01T23:59:00+23:59', 't')).toBe(1_714_521_600n * S);
    expect(rfc3339Nanos('2024-05-01T00:00:00-23:59', 't')).toBe(1_714_607_940n * S);
    for (const [text, offset] of [
      ['2024-05-01T12:00:00+99:99', '+99:99'],
      ['2024-05-01T12:00:00+24:00', '+24:00'],
      ['2024-05-01T12:00:00-00:60', '-00:60'],
      ['2024-05-01T12:00:00 23:60', '+23:60'],
    ])
      expect(() => rfc3339Nanos(text, 't')).toThrow(
        `unable to parse param 't': "${text}" has an out-of-range offset ${offset} (hours 00–23, minutes 00–59)`,
      );
  });
});

describe('other parameter forms', () => {
  it("reads Jaeger UI's lookback values, Go durations and `custom`", () => {
    expect(lookbackNanos('5m', 'lookback')).toBe(300n * S);
    expect(lookbackNanos('2d', 'lookback')).toBe(2n * 86_400n * S);
    expect(lookbackNanos('3w', 'lookback')).toBe(21n * 86_400n * S);
    expect(lookbackNanos('1h30m', 'lookback')).toBe(5400n * S);
    expect(lookbackNanos('custom', 'lookback')).toBeUndefined();
    expect(() => lookbackNanos('2 days', 'lookback')).toThrow(JaegerParamError);
  });

  it('refuses durations past 2^63 − 1 ns, as Go does, rather than wrapping or failing', () => {
    expect(lookbackNanos('106751d', 'lookback')).toBe(106_751n * 86_400n * S);
    expect(goDurationNanos('2562047h', 'minDuration')).toBe(2_562_047n * 3600n * S);
    for (const text of ['106752d', '15251w', `${'9'.repeat(400)}d`, '2562048h', `${'9'.repeat(400)}h`])
      expect(() => lookbackNanos(text, 'lookback')).toThrow(/out of range/);
    for (const text of ['3000000h', `${'9'.repeat(400)}h`])
      expect(() => goDurationNanos(text, 'minDuration')).toThrow(
        expect.objectContaining({
          param: 'minDuration',
          detail: expect.stringMatching(/out of range/) as string,
        }),
      );
  });

  it('folds tags (JSON) and tag (key:value) into pairs, a later key winning', () => {
    expect(
      parseTags(['{"error":"true","http.status_code":"500"}', '{"error":"false"}'], 'tags', [
        'url:http://x:80/a',
      ]),
    ).toEqual([
      ['url', 'http://x:80/a'],
      ['error', 'false'],
      ['http.status_code', '500'],
    ]);
  });

  it('takes trace ids as 1 to 32 hex digits (left-padded) or 16 bytes of base64', () => {
    expect(parseTraceId('ABC', 'traceID')).toBe('abc'.padStart(32, '0'));
    const hex = '5b8efff798038103d269b633813fc601';
    expect(parseTraceId(Buffer.from(hex, 'hex').toString('base64'), 'traceID')).toBe(hex);
    expect(parseTraceId(Buffer.from(hex, 'hex').toString('base64url'), 'traceID')).toBe(hex);
    expect(() => parseTraceId('', 'traceID')).toThrow(JaegerParamError);
    expect(() => parseTraceId('zz', 'traceID')).toThrow(JaegerParamError);
  });

  it('takes span kinds as Jaeger names them and in the OpenTelemetry enum spelling', () => {
    expect(spanKindParam('server', 'spanKind')).toBe('server');
    expect(spanKindParam('SPAN_KIND_CLIENT', 'spanKind')).toBe('client');
    expect(() => spanKindParam('SERVERS', 'spanKind')).toThrow(JaegerParamError);
  });
});

describe('search requests', () => {
  const now = Date.UTC(2024, 4, 1, 12);

  it('v1: microsecond start/end, the end microsecond included; two days back without start', () => {
    const request = v1TracesRequest({ service: 'a', start: '1000000', end: '2000000' }, 5000, now);
    expect(request).toEqual({
      kind: 'search',
      search: {
        criteria: {
          service: 'a',
          operation: undefined,
          tags: [],
          minDurationNanos: undefined,
          maxDurationNanos: undefined,
        },
        range: { startNanos: 1_000_000_000n, endNanos: 2_000_000_999n },
        limit: 100,
        timeoutMs: 5000,
      },
    });
    const defaults = v1TracesRequest({ service: 'a', limit: '0' }, 5000, now);
    expect(defaults.kind === 'search' && defaults.search.range).toEqual({
      startNanos: BigInt(now) * 1_000_000n - 2n * 86_400n * S,
      endNanos: BigInt(now) * 1_000_000n + 999n,
    });
    const lookback = v1TracesRequest({ service: 'a', lookback: '1h' }, 5000, now);
    expect(lookback.kind === 'search' && lookback.search.range.startNanos).toBe(
      BigInt(now) * 1_000_000n - 3600n * S,
    );
  });

  it('v3: camelCase names first, snake_case aliases, exclusive maximum, search depth', () => {
    const search = v3TraceSearch(
      {
        'query.service_name': 'a',
        'query.operationName': 'op',
        'query.start_time_min': '2024-05-01T11:00:00Z',
        'query.startTimeMax': '2024-05-01T12:00:00Z',
        'query.num_traces': '7',
        'query.duration_min': '1.2s',
        'query.attributes': '{"k":"v"}',
      },
      5000,
    );
    expect(search).toEqual({
      criteria: {
        service: 'a',
        operation: 'op',
        tags: [['k', 'v']],
        minDurationNanos: 1_200_000_000n,
        maxDurationNanos: undefined,
      },
      range: { startNanos: 1_714_561_200n * S, endNanos: 1_714_564_800n * S - 1n },
      limit: 7,
      timeoutMs: 5000,
    });
  });
});
