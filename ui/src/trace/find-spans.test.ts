import { describe, expect, it } from 'vitest';
import { findSpans } from './find-spans';
import { makeTrace } from './trace-builder';

describe('findSpans', () => {
  it('matches names, services, span ids and attributes, case-insensitively, in row order', () => {
    const trace = makeTrace([
      ['aaaa000000000001', '', 'reservations', 'reservations_handler', 0, 10],
      ['bbbb000000000002', 'aaaa000000000001', 'users', 'fetch_record', 1, 5],
    ]);
    trace.spans[1].attributes = [{ key: 'db.statement', value: { stringValue: 'SELECT * FROM Limits' } }];
    expect(findSpans(trace, [0, 1], 'FETCH')).toEqual([1]);
    expect(findSpans(trace, [1, 0], 'r')).toEqual([1, 0]);
    expect(findSpans(trace, [0, 1], 'limits')).toEqual([1]);
    expect(findSpans(trace, [0, 1], 'bbbb')).toEqual([1]);
    expect(findSpans(trace, [0, 1], '  ')).toEqual([]);
  });
});
