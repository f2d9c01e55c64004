import type { TraceTree } from './build-tree';
import type { CriticalSegment } from './critical-path';
import type { Trace } from './trace-model';

/** The time window the waterfall shows, ms from the trace's start. */
export interface Viewport {
  start: number;
  end: number;
}

/** A bar or a critical-path stretch as fractions of the viewport's width (may reach outside 0..1). */
export interface Extent {
  left: number;
  width: number;
}

export interface WaterfallRow {
  span: number;
  depth: number;
  hasChildren: boolean;
  collapsed: boolean;
  /** Spans hidden under this row while it is collapsed. */
  hidden: number;
  bar: Extent;
  critical: Extent[];
}

export interface LayoutInput {
  trace: Trace;
  tree: TraceTree;
  /** Span ids whose children are hidden (ids, not indices: they are what the URL keeps). */
  collapsed: ReadonlySet<string>;
  viewport: Viewport;
  critical?: ReadonlyMap<number, readonly CriticalSegment[]>;
}

const NO_SEGMENTS: Extent[] = [];

/**
 * The waterfall as rows, top to bottom: depth-first from the roots (by start), children by start,
 * the subtrees of collapsed spans left out. A pure function of its input — no DOM — so the
 * component only draws the rows in view and this is tested without a browser.
 */
export function waterfallRows(input: LayoutInput): WaterfallRow[] {
  const { trace, tree, collapsed, viewport, critical } = input;
  const { spans } = trace;
  const scale = 1 / Math.max(viewport.end - viewport.start, 1e-9);
  const extent = (start: number, end: number): Extent => ({
    left: (start - viewport.start) * scale,
    width: (end - start) * scale,
  });
  const rows: WaterfallRow[] = [];
  const stack: number[] = [];
  for (let r = tree.roots.length - 1; r >= 0; r--) stack.push(tree.roots[r]);
  while (stack.length > 0) {
    const i = stack.pop()!;
    const span = spans[i];
    const kids = tree.children[i];
    const isCollapsed = kids.length > 0 && collapsed.has(span.spanId);
    const segments = critical?.get(i);
    rows.push({
      span: i,
      depth: tree.depth[i],
      hasChildren: kids.length > 0,
      collapsed: isCollapsed,
      hidden: isCollapsed ? tree.descendants[i] : 0,
      bar: extent(span.start, span.start + span.duration),
      critical: segments ? segments.map((s) => extent(s.start, s.end)) : NO_SEGMENTS,
    });
    if (!isCollapsed) for (let c = kids.length - 1; c >= 0; c--) stack.push(kids[c]);
  }
  return rows;
}
