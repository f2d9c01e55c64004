import { describe, expect, it } from 'vitest';
import { rangeFromParams, rangeToParams, resolveRange } from './time-range';

describe('time range in the URL', () => {
  it('reads relative and absolute ranges, falling back to the last hour', () => {
    expect(rangeFromParams(new URLSearchParams('range=15m'))).toEqual({ kind: 'relative', range: '15m' });
    expect(rangeFromParams(new URLSearchParams('start=100&end=200'))).toEqual({
      kind: 'absolute',
      start: 100,
      end: 200,
    });
    expect(rangeFromParams(new URLSearchParams('range=soon'))).toEqual({ kind: 'relative', range: '1h' });
    expect(rangeFromParams(new URLSearchParams('start=300&end=200'))).toEqual({
      kind: 'relative',
      range: '1h',
    });
  });

  it('resolves a relative range against now, in whole seconds', () => {
    expect(resolveRange({ kind: 'relative', range: '15m' }, 1_000_000_500)).toEqual({
      start: 999_101,
      end: 1_000_001,
    });
    expect(rangeToParams({ kind: 'relative', range: '1h' })).toEqual({
      range: undefined,
      start: undefined,
      end: undefined,
    });
  });
});
