import { describe, expect, it } from 'vitest';
import { buildTree } from './build-tree';
import { nanosToMs } from './parse-trace';
import type { SpanRow } from './trace-builder';
import { makeTrace } from './trace-builder';

describe('parseTrace', () => {
  it('makes times relative to the earliest start without losing sub-millisecond precision', () => {
    expect(nanosToMs('1700000000123456789', 1_700_000_000_000)).toBeCloseTo(123.456789, 9);
    const trace = makeTrace([
      ['b', 'a', 'svc-2', 'child', 10.5, 2],
      ['a', '', 'svc-1', 'root', 5, 20],
    ]);
    expect(trace.spans.map((s) => [s.spanId, s.start, s.duration])).toEqual([
      ['a', 0, 20],
      ['b', 5.5, 2],
    ]);
    expect(trace.services).toEqual(['svc-1', 'svc-2']);
    expect(trace.duration).toBe(20);
  });
});

describe('buildTree', () => {
  const names = (trace: ReturnType<typeof makeTrace>, list: readonly number[]) =>
    list.map((i) => trace.spans[i].spanId);

  it('links children to parents in start order, with depth and subtree sizes', () => {
    const trace = makeTrace([
      ['r', '', 's', 'root', 0, 100],
      ['c2', 'r', 's', 'second', 50, 10],
      ['c1', 'r', 's', 'first', 10, 10],
      ['g', 'c1', 's', 'grandchild', 12, 2],
    ]);
    const tree = buildTree(trace);
    expect(names(trace, tree.roots)).toEqual(['r']);
    expect(names(trace, tree.children[0])).toEqual(['c1', 'c2']);
    expect([...tree.depth]).toEqual([0, 1, 2, 1]);
    expect(tree.descendants[0]).toBe(3);
    expect(tree.maxDepth).toBe(2);
  });

  it('keeps a span whose parent is missing as a root of its own, flagged', () => {
    const trace = makeTrace([
      ['r', '', 's', 'root', 0, 100],
      ['o', 'feedfacefeedface', 's', 'orphan', 20, 10],
    ]);
    const tree = buildTree(trace);
    expect(names(trace, tree.roots)).toEqual(['r', 'o']);
    expect([...tree.missingParent]).toEqual([0, 1]);
  });

  it('shows clock skew: a child starting before its parent keeps its time and is flagged by how much', () => {
    const trace = makeTrace([
      ['r', '', 'a', 'root', 10, 100],
      ['c', 'r', 'b', 'skewed', 7, 20],
      ['d', 'r', 'b', 'fine', 30, 5],
    ]);
    const tree = buildTree(trace);
    const skewed = trace.spans.findIndex((s) => s.spanId === 'c');
    expect(trace.spans[skewed].start).toBe(0);
    expect(tree.skew[skewed]).toBeCloseTo(3, 9);
    expect(tree.parent[skewed]).toBe(trace.spans.findIndex((s) => s.spanId === 'r'));
    expect(tree.skew[trace.spans.findIndex((s) => s.spanId === 'd')]).toBe(0);
  });

  it('cuts a parent cycle instead of looping, and handles a 20,000-deep chain', () => {
    const looped = makeTrace([
      ['a', 'b', 's', 'a', 0, 10],
      ['b', 'a', 's', 'b', 1, 5],
    ]);
    const tree = buildTree(looped);
    expect(tree.roots).toHaveLength(1);
    expect(tree.descendants[tree.roots[0]]).toBe(1);
    const chain = makeTrace(
      Array.from({ length: 20_000 }, (_, i): SpanRow => [
        `s${i}`,
        i === 0 ? '' : `s${i - 1}`,
        's',
        'n',
        i,
        1,
      ]),
    );
    expect(buildTree(chain).maxDepth).toBe(19_999);
  });
});
