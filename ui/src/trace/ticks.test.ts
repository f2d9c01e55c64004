import { describe, expect, it } from 'vitest';
import { formatDuration, timeTicks } from './ticks';

describe('time axis', () => {
  it('puts ticks at 1-2-5 steps inside the range', () => {
    expect(timeTicks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(timeTicks(3, 17, 4)).toEqual([5, 10, 15]);
    expect(timeTicks(0, 0.003, 3)).toEqual([0, 0.001, 0.002, 0.003]);
  });

  it('formats durations with three significant digits in the fitting unit', () => {
    expect([0.00042, 0.82, 12.34, 999, 1250, 123_000, 7_500_000].map(formatDuration)).toEqual([
      '420ns',
      '820µs',
      '12.3ms',
      '999ms',
      '1.25s',
      '2m 3s',
      '2h 5m',
    ]);
  });
});
