import { describe, expect, it } from 'vitest';
import { buildTree } from './build-tree';
import { criticalPath, segmentsBySpan } from './critical-path';
import type { SpanRow } from './trace-builder';
import { makeTrace } from './trace-builder';
import {
  collapseAll,
  collapsedSet,
  collapseOne,
  EXPANDED,
  expandOne,
  reveal,
  toggle,
} from './collapse-state';
import type { LayoutInput, WaterfallRow } from './waterfall-layout';
import { waterfallRows } from './waterfall-layout';

const trace = makeTrace([
  ['r', '', 'reservations', 'reservations_handler', 0, 100],
  ['p', 'r', 'reservations', 'parse_request', 2, 5],
  ['f', 'r', 'reservations', 'fetch_limit', 10, 45],
  ['h', 'f', 'users', 'reservation_limits_handler', 12, 40],
  ['v', 'h', 'users', 'validate_username', 13, 3],
  ['d', 'h', 'users', 'fetch_record', 17, 30],
  ['m', 'r', 'reservations', 'make_reservation', 74, 24],
]);
const tree = buildTree(trace);
/** Every row, read one by one as the component reads those in view. */
const layout = (input: LayoutInput): WaterfallRow[] => {
  const rows = waterfallRows(input);
  return Array.from({ length: rows.length }, (_, i) => rows.row(i));
};
const ids = (rows: WaterfallRow[]) => rows.map((row) => trace.spans[row.span].spanId).join(' ');
const viewport = { start: 0, end: 100 };

describe('waterfallRows', () => {
  it('lists spans depth-first with indentation and bars as fractions of the viewport', () => {
    const rows = layout({ trace, tree, collapsed: new Set(), viewport });
    expect(ids(rows)).toBe('r p f h v d m');
    expect(rows.map((r) => r.depth)).toEqual([0, 1, 1, 2, 3, 3, 1]);
    expect(rows[2].bar).toEqual({ left: 0.1, width: 0.45 });
    expect(rows[1].hasChildren).toBe(false);
  });

  it('leaves out the subtree of a collapsed span and says how many spans it hides', () => {
    const rows = layout({ trace, tree, collapsed: new Set(['f']), viewport });
    expect(ids(rows)).toBe('r p f m');
    expect(rows[2]).toMatchObject({ collapsed: true, hidden: 3 });
    const laid = waterfallRows({ trace, tree, collapsed: new Set(['f']), viewport });
    const index = (id: string) => laid.indexOf(trace.spans.findIndex((s) => s.spanId === id));
    expect([index('r'), index('f'), index('h'), index('d'), index('m')]).toEqual([0, 2, -1, -1, 3]);
    expect(laid.row(3)).toBe(laid.row(3)); // one object a row: the row component is memoised on it
    const all = collapsedSet(trace, tree, collapseAll());
    expect(ids(layout({ trace, tree, collapsed: all, viewport }))).toBe('r');
  });

  it('collapses and expands one level at a time, toggles by hand, and reveals a hidden span', () => {
    const shown = (state: Parameters<typeof collapsedSet>[2]) =>
      ids(layout({ trace, tree, collapsed: collapsedSet(trace, tree, state), viewport }));
    const one = collapseOne(tree, EXPANDED);
    expect(shown(one)).toBe('r p f h m');
    const two = collapseOne(tree, one);
    expect(shown(two)).toBe('r p f m');
    expect(shown(expandOne(tree, two))).toBe('r p f h m');
    expect(expandOne(tree, one)).toEqual(EXPANDED);
    const f = trace.spans.findIndex((s) => s.spanId === 'f');
    expect(shown(toggle(trace, two, f))).toBe('r p f h m');
    const d = trace.spans.findIndex((s) => s.spanId === 'd');
    expect(shown(reveal(trace, tree, collapseAll(), d))).toBe('r p f h v d m');
  });

  it('scales bars to a zoomed viewport (the minimap window)', () => {
    const rows = layout({ trace, tree, collapsed: new Set(), viewport: { start: 10, end: 60 } });
    expect(rows[0].bar).toEqual({ left: -0.2, width: 2 });
    expect(rows[2].bar).toEqual({ left: 0, width: 0.9 });
  });

  it('puts the critical path on the rows that carry it', () => {
    const critical = segmentsBySpan(criticalPath(trace, tree));
    const rows = layout({ trace, tree, collapsed: new Set(), viewport, critical });
    const byId = Object.fromEntries(rows.map((r) => [trace.spans[r.span].spanId, r.critical]));
    expect(byId.d).toEqual([{ left: 0.17, width: 0.3 }]);
    expect(byId.p).toEqual([{ left: 0.02, width: 0.05 }]);
    expect(byId.v).toEqual([{ left: 0.13, width: 0.03 }]);
  });

  it('lays out 100,000 spans quickly enough for a frame budget', () => {
    const rows: SpanRow[] = [['root', '', 's', 'root', 0, 100_000]];
    for (let i = 1; i < 100_000; i++)
      rows.push([`s${i}`, i < 100 ? 'root' : `s${i % 99 || 1}`, 's', 'n', i, 1]);
    const big = makeTrace(rows);
    const bigTree = buildTree(big);
    const t0 = performance.now();
    const laid = waterfallRows({
      trace: big,
      tree: bigTree,
      collapsed: new Set(),
      viewport: { start: 0, end: 100_000 },
    });
    expect(laid).toHaveLength(100_000);
    expect(performance.now() - t0).toBeLessThan(1000); // ~20 ms on a laptop; generous for a busy CI core
  });
});
