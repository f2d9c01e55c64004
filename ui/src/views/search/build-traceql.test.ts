import { describe, expect, it } from 'vitest';
import { buildTraceQL, NO_FILTERS } from './build-traceql';
import { completionAt, tokenize } from './traceql-tokens';

describe('filters → TraceQL', () => {
  it('is {} without filters and one spanset filter with them', () => {
    expect(buildTraceQL(NO_FILTERS)).toBe('{}');
    expect(
      buildTraceQL({
        ...NO_FILTERS,
        service: 'reservations-service',
        spanName: 'fetch_limit',
        status: 'error',
        minDuration: '10ms',
        maxDuration: 'soon',
        attribute: 'http.response.status_code=500',
      }),
    ).toBe(
      '{ resource.service.name = "reservations-service" && name = "fetch_limit" && status = error && traceDuration >= 10ms && .http.response.status_code = 500 }',
    );
  });

  it('quotes hostile values so they stay values', () => {
    expect(buildTraceQL({ ...NO_FILTERS, attribute: 'span.user.name=a" || true || "\\' })).toBe(
      '{ span.user.name = "a\\" || true || \\"\\\\" }',
    );
  });
});

describe('TraceQL editor support', () => {
  it('tokenizes every character, telling fields, strings, operators and keywords apart', () => {
    const q = '{ resource.service.name = "x y" && duration > 10ms && status = error }';
    const tokens = tokenize(q);
    expect(tokens.map((t) => t.text).join('')).toBe(q);
    expect(tokens.filter((t) => t.type !== 'space').map((t) => t.type)).toEqual([
      'brace',
      'field',
      'operator',
      'string',
      'operator',
      'field',
      'operator',
      'number',
      'operator',
      'field',
      'operator',
      'keyword',
      'brace',
    ]);
  });

  it('offers attribute names where a field starts and values after a comparison', () => {
    expect(completionAt('{ resource.se', 13)).toEqual({ kind: 'field', prefix: 'resource.se', from: 2 });
    expect(completionAt('{ .a = 1 && ', 12)).toEqual({ kind: 'field', prefix: '', from: 12 });
    expect(completionAt('{ resource.service.name = "res', 30)).toEqual({
      kind: 'value',
      field: 'resource.service.name',
      prefix: 'res',
      from: 26,
      quoted: true,
    });
    expect(completionAt('{ status = ', 11)).toMatchObject({ kind: 'value', field: 'status', prefix: '' });
    expect(completionAt('{ .a = "done" ', 14)).toBeUndefined();
  });
});
