import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, crc32OfHex } from './crc32.js';
import { HashRing } from './hash-ring.js';

const traceId = (i: number): string =>
  `${i.toString(16).padStart(16, '0')}${(i * 2654435761).toString(16).padStart(16, '0')}`.slice(0, 32);

describe('crc32', () => {
  it('is CRC-32/IEEE, on bytes and on hex', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const hex = '5b8efff798038103d269b633813fc60c';
    expect(crc32OfHex(hex)).toBe(crc32(Buffer.from(hex, 'hex')));
    expect(crc32OfHex(hex)).toBe(zlibCrc32(Buffer.from(hex, 'hex')));
  });
});

describe('hash ring', () => {
  const backends = ['backend-1:4317', 'backend-2:4317', 'backend-3:4317'];

  it('moves traces only to a backend that is added', () => {
    const before = new HashRing(backends);
    const after = new HashRing([...backends, 'backend-4:4317']);
    let moved = 0;
    for (let i = 0; i < 3000; i++) {
      const now = after.backendForTraceId(traceId(i));
      if (now !== before.backendForTraceId(traceId(i))) {
        expect(now).toBe('backend-4:4317');
        moved++;
      }
    }
    // About a quarter of the routes move (the Collector's R/N).
    expect(moved).toBeGreaterThan(400);
    expect(moved).toBeLessThan(1200);
  });

  it('spreads 30,000 traces within ±25% of an even share', () => {
    const ring = new HashRing(backends);
    const counts = new Map<string, number>();
    for (let i = 0; i < 30_000; i++) {
      const b = ring.backendForTraceId(traceId(i));
      counts.set(b, (counts.get(b) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(backends);
    for (const n of counts.values()) expect(Math.abs(n - 10_000)).toBeLessThan(2_500);
  });

  it('moves only the removed backend’s traces when one goes away', () => {
    const before = new HashRing(backends);
    const after = new HashRing(backends.slice(0, 2));
    for (let i = 0; i < 3000; i++) {
      const was = before.backendForTraceId(traceId(i));
      if (was !== 'backend-3:4317') expect(after.backendForTraceId(traceId(i))).toBe(was);
    }
  });
});
