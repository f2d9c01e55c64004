import { describe, expect, it } from 'vitest';
import { buildTree } from './build-tree';
import { criticalPath } from './critical-path';
import type { SpanRow } from './trace-builder';
import { makeTrace } from './trace-builder';

const path = (rows: Parameters<typeof makeTrace>[0]) => {
  const trace = makeTrace(rows);
  return criticalPath(trace, buildTree(trace)).map((s) => [trace.spans[s.span].spanId, s.start, s.end]);
};

describe('criticalPath', () => {
  it('follows the last-finishing child back from the end, with the parent filling the gaps', () => {
    // root 0..100; a 10..40; b 30..80 (finishes last). a overlaps b, so it ended after b started:
    // nothing waited for it (Jaeger's rule: a child is on the path only if it ended before the cursor).
    expect(
      path([
        ['root', '', 's', 'root', 0, 100],
        ['a', 'root', 's', 'a', 10, 30],
        ['b', 'root', 's', 'b', 30, 50],
      ]),
    ).toEqual([
      ['root', 0, 30],
      ['b', 30, 80],
      ['root', 80, 100],
    ]);
  });

  it('descends into grandchildren and ignores async children outside the parent', () => {
    expect(
      path([
        ['root', '', 's', 'root', 0, 50],
        ['a', 'root', 's', 'a', 10, 30],
        ['g', 'a', 's', 'g', 15, 10],
        ['late', 'root', 's', 'consumer', 60, 10],
      ]),
    ).toEqual([
      ['root', 0, 10],
      ['a', 10, 15],
      ['g', 15, 25],
      ['a', 25, 40],
      ['root', 40, 50],
    ]);
  });

  it('clips a child that outlives its parent (clock skew) to the parent', () => {
    expect(
      path([
        ['root', '', 's', 'root', 0, 50],
        ['c', 'root', 's', 'c', 40, 30],
      ]),
    ).toEqual([
      ['root', 0, 40],
      ['c', 40, 50],
    ]);
  });

  it('covers the root span exactly once, without gaps or overlaps', () => {
    const rows: SpanRow[] = [['r', '', 's', 'r', 0, 1000]];
    for (let i = 0; i < 200; i++)
      rows.push([`c${i}`, i % 3 === 0 ? 'r' : `c${i - 1}`, 's', 'c', (i * 37) % 900, 5 + (i % 90)]);
    const trace = makeTrace(rows);
    const segments = criticalPath(trace, buildTree(trace));
    let cursor = 0;
    for (const s of segments) {
      expect(s.start).toBeCloseTo(cursor, 9);
      expect(s.end).toBeGreaterThan(s.start);
      cursor = s.end;
    }
    expect(cursor).toBe(1000);
  });
});
