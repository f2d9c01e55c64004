import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExampleStore } from '../../test/support/example-system-fixture.js';
import { openExampleStore } from '../../test/support/example-system-fixture.js';
import { InvalidQueryError } from './invalid-query-error.js';
import { operationSeries } from './operation-series.js';

describe('per-operation time series', () => {
  let example: ExampleStore;
  beforeAll(async () => {
    example = await openExampleStore('tenant-a');
  });
  afterAll(() => example?.close());
  const range = () => example.system.range;

  it('buckets from the range start, zero-filled, one trace every 10 s', async () => {
    const [series] = await operationSeries(example.store, 'tenant-a', {
      range: range(),
      stepSeconds: 20,
      selector: { service: 'reservations-service', spanName: 'reservations_handler' },
    });
    expect(series.service).toBe('reservations-service');
    expect(series.spanKind).toBe('server');
    const start = range().start;
    // 121 s in 20-s buckets: 7 points; traces 0..9 start at 0, 10, … 90 s; errors in traces 2 and 7.
    expect(series.points.map((p) => [p.start - start, p.count, p.errorCount])).toEqual([
      [0, 2, 0],
      [20, 2, 1],
      [40, 2, 0],
      [60, 2, 1],
      [80, 2, 0],
      [100, 0, 0],
      [120, 0, 0],
    ]);
    // Roots last 10 ms × (i + 1): the first bucket holds 10 and 20 ms.
    expect(series.points[0].p99Nanos).toBeGreaterThanOrEqual(10e6);
    expect(series.points[0].p99Nanos).toBeLessThanOrEqual(20e6);
    expect(series.points[6].p99Nanos).toBeNull();
  });

  it('groups by service when asked, one series per service', async () => {
    const series = await operationSeries(example.store, 'tenant-a', {
      range: range(),
      stepSeconds: 121,
      groupBy: 'service',
    });
    expect(series.map((s) => [s.service, s.spanName, s.points.map((p) => p.count)])).toEqual([
      ['audit-service', undefined, [1]],
      ['notification-service', undefined, [6]],
      ['reservations-service', undefined, [55]],
      ['user-service', undefined, [30]],
    ]);
  });

  it('takes a step past 2^32 s whole, one bucket for the range (it was bound as UInt32 and wrapped)', async () => {
    const series = await operationSeries(example.store, 'tenant-a', {
      range: { start: 0, end: range().end },
      stepSeconds: 1_000_000 * 86_400,
      groupBy: 'service',
    });
    expect(series.length).toBeGreaterThan(0);
    for (const s of series) expect(s.points.map((p) => p.start)).toEqual([0]);
    expect(series.find((s) => s.service === 'user-service')?.points[0].count).toBe(30);
  });

  it('refuses a step that is not whole seconds or makes too many points', async () => {
    for (const stepSeconds of [0, 1.5, -1])
      await expect(
        operationSeries(example.store, 'tenant-a', { range: range(), stepSeconds }),
      ).rejects.toBeInstanceOf(InvalidQueryError);
    const day = { start: range().start - 86_400, end: range().start };
    await expect(operationSeries(example.store, 'tenant-a', { range: day, stepSeconds: 1 })).rejects.toThrow(
      /11000/,
    );
  });
});
