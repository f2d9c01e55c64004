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
  readonly span: number;
  readonly depth: number;
  readonly hasChildren: boolean;
  readonly collapsed: boolean;
  /** Spans hidden under this row while it is collapsed. */
  readonly hidden: number;
  readonly bar: Extent;
  readonly critical: Extent[];
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

/** What every row of one layout shares to place its bar: the spans, the viewport's scale. */
class RowFrame {
  readonly scale: number;

  constructor(
    readonly trace: Trace,
    readonly viewport: Viewport,
    readonly critical: ReadonlyMap<number, readonly CriticalSegment[]> | undefined,
  ) {
    this.scale = 1 / Math.max(viewport.end - viewport.start, 1e-9);
  }

  extent(start: number, end: number): Extent {
    return { left: (start - this.viewport.start) * this.scale, width: (end - start) * this.scale };
  }
}

/**
 * A row whose bar and critical-path stretches are worked out when read: the component reads them
 * for the few dozen rows in view, so laying out 100,000 rows (on every expand and collapse) makes
 * one small object a row instead of three.
 */
class LaidOutRow implements WaterfallRow {
  constructor(
    readonly span: number,
    readonly depth: number,
    readonly hasChildren: boolean,
    readonly collapsed: boolean,
    readonly hidden: number,
    private readonly frame: RowFrame,
  ) {}

  get bar(): Extent {
    const span = this.frame.trace.spans[this.span];
    return this.frame.extent(span.start, span.start + span.duration);
  }

  get critical(): Extent[] {
    const segments = this.frame.critical?.get(this.span);
    return segments ? segments.map((s) => this.frame.extent(s.start, s.end)) : NO_SEGMENTS;
  }
}

/**
 * The waterfall as rows, top to bottom: depth-first from the roots (by start), children by start,
 * the subtrees of collapsed spans left out. A pure function of its input — no DOM — so the
 * component only draws the rows in view and this is tested without a browser.
 */
export function waterfallRows(input: LayoutInput): WaterfallRow[] {
  const { trace, tree, collapsed, viewport, critical } = input;
  const { spans } = trace;
  const frame = new RowFrame(trace, viewport, critical);
  const rows: WaterfallRow[] = [];
  const stack: number[] = [];
  for (let r = tree.roots.length - 1; r >= 0; r--) stack.push(tree.roots[r]);
  while (stack.length > 0) {
    const i = stack.pop()!;
    const kids = tree.children[i];
    const isCollapsed = kids.length > 0 && collapsed.has(spans[i].spanId);
    rows.push(
      new LaidOutRow(
        i,
        tree.depth[i],
        kids.length > 0,
        isCollapsed,
        isCollapsed ? tree.descendants[i] : 0,
        frame,
      ),
    );
    if (!isCollapsed) for (let c = kids.length - 1; c >= 0; c--) stack.push(kids[c]);
  }
  return rows;
}
