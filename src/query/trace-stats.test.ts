import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExampleStore } from '../../test/support/example-system-fixture.js';
import { EXAMPLE_FACTS, HOSTILE_TEXTS, openExampleStore } from '../../test/support/example-system-fixture.js';
import { traceStats, treeDepth } from './trace-stats.js';

describe('trace statistics', () => {
  let example: ExampleStore;
  beforeAll(async () => {
    example = await openExampleStore('tenant-a');
  });
  afterAll(() => example?.close());

  it('summarises a trace: spans, errors, services, depth, duration, root', async () => {
    for (const [n, facts] of Object.entries(EXAMPLE_FACTS.traces)) {
      const traceId = example.system.traceIds[Number(n)];
      const stats = await traceStats(example.store, 'tenant-a', traceId);
      const start = BigInt(example.system.range.start + 10 * Number(n)) * 1_000_000_000n;
      expect(stats).toEqual({
        traceId,
        spanCount: facts.spanCount,
        errorCount: facts.errorCount,
        services: facts.services.split(' ').map((s) => `${s}-service`),
        depth: facts.depth,
        startUnixNano: start,
        durationNanos: facts.durationNanos,
        rootServiceName: 'reservations-service',
        rootSpanName: 'reservations_handler',
      });
    }
  });

  it('uses a given range instead of the lookup table, and finds nothing outside it', async () => {
    const traceId = example.system.traceIds[2];
    const { range } = example.system;
    expect((await traceStats(example.store, 'tenant-a', traceId, range))?.spanCount).toBe(10);
    const before = { start: range.start - 100, end: range.start - 1 };
    expect(await traceStats(example.store, 'tenant-a', traceId, before)).toBeUndefined();
  });

  it('answers undefined for unknown ids, other tenants and hostile text', async () => {
    expect(await traceStats(example.store, 'tenant-a', '0'.repeat(31) + '1')).toBeUndefined();
    expect(await traceStats(example.store, 'tenant-b', example.system.traceIds[0])).toBeUndefined();
    for (const text of HOSTILE_TEXTS)
      expect(await traceStats(example.store, 'tenant-a', text)).toBeUndefined();
  });
});

describe('treeDepth', () => {
  it('counts the longest chain; orphans and duplicates count once; cycles end', () => {
    expect(treeDepth([], [])).toBe(0);
    expect(treeDepth(['a', 'b', 'c', 'd'], ['', 'a', 'b', 'a'])).toBe(3);
    expect(treeDepth(['a', 'x', 'a'], ['', 'missing', ''])).toBe(1);
    expect(treeDepth(['a', 'b', 'c'], ['c', 'a', 'b'])).toBe(3);
  });

  it('walks a 100,000-span chain without recursion', () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => `s${i}`);
    const parents = ids.map((_, i) => (i === 0 ? '' : `s${i - 1}`)).reverse();
    expect(treeDepth([...ids].reverse(), parents)).toBe(100_000);
  });
});
