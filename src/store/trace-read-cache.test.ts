import { describe, expect, it } from 'vitest';
import type { TracesData } from '../model/span.js';
import { TraceReadCache } from './trace-read-cache.js';

const trace: TracesData = [];

describe('TraceReadCache', () => {
  it('answers a read until the tenant is written to, then reads again', () => {
    const cache = new TraceReadCache({ maxSpans: 100, maxAgeMs: 60_000 });
    cache.put('a-key', cache.generation('a'), { trace, spans: 10, encodings: [] }, 0);
    cache.put('b-key', cache.generation('b'), { trace, spans: 10, encodings: [] }, 0);
    expect(cache.get('a', 'a-key', 1)?.trace).toBe(trace);
    cache.invalidate('a');
    expect(cache.get('a', 'a-key', 2)).toBeUndefined();
    expect(cache.get('b', 'b-key', 2)?.trace).toBe(trace);
  });

  it('never keeps what was read before a write it finished after', () => {
    const cache = new TraceReadCache({ maxSpans: 100, maxAgeMs: 60_000 });
    const before = cache.generation('a');
    cache.invalidate('a');
    cache.put('a-key', before, { trace, spans: 10, encodings: [] }, 0);
    expect(cache.get('a', 'a-key', 1)).toBeUndefined();
  });

  it('forgets an entry older than maxAgeMs (writers in other processes)', () => {
    const cache = new TraceReadCache({ maxSpans: 100, maxAgeMs: 2000 });
    cache.put('k', 0, { trace, spans: 1, encodings: [] }, 1000);
    expect(cache.get('t', 'k', 3000)).toBeDefined();
    expect(cache.get('t', 'k', 3001)).toBeUndefined();
  });

  it('holds at most maxSpans, dropping the least recently used, and never a trace above it', () => {
    const cache = new TraceReadCache({ maxSpans: 25, maxAgeMs: 60_000 });
    cache.put('one', 0, { trace, spans: 10, encodings: [] }, 0);
    cache.put('two', 0, { trace, spans: 10, encodings: [] }, 0);
    expect(cache.get('t', 'one', 1)).toBeDefined();
    cache.put('three', 0, { trace, spans: 10, encodings: [] }, 0);
    expect(cache.get('t', 'two', 1)).toBeUndefined();
    expect(cache.get('t', 'one', 1)).toBeDefined();
    expect(cache.get('t', 'three', 1)).toBeDefined();
    const huge = cache.put('huge', 0, { trace, spans: 26, encodings: [] }, 0);
    expect(huge.trace).toBe(trace);
    expect(cache.get('t', 'huge', 1)).toBeUndefined();
    expect(cache.get('t', 'one', 1)).toBeDefined();
  });

  it('replaces an entry read again without counting it twice', () => {
    const cache = new TraceReadCache({ maxSpans: 20, maxAgeMs: 60_000 });
    cache.put('k', 0, { trace, spans: 10, encodings: [] }, 0);
    cache.put('k', 0, { trace, spans: 10, encodings: [] }, 0);
    cache.put('other', 0, { trace, spans: 10, encodings: [] }, 0);
    expect(cache.get('t', 'k', 1)).toBeDefined();
    expect(cache.get('t', 'other', 1)).toBeDefined();
  });
});
