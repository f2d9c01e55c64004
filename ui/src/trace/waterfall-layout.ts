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

/** The waterfall's rows, top to bottom: a row's details are made when it is read (few are: those in view). */
export interface WaterfallRows {
  readonly length: number;
  /** The row at `index` (0 ≤ index < length); the same object each time it is asked for. */
  row(index: number): WaterfallRow;
  /** The row showing `span`, or −1 while it is hidden under a collapsed span. */
  indexOf(span: number): number;
}

class LaidOutRows implements WaterfallRows {
  readonly length: number;
  private readonly made = new Map<number, WaterfallRow>();

  constructor(
    /** The span in each row. */
    private readonly spans: readonly number[],
    private readonly tree: TraceTree,
    private readonly collapsed: ReadonlySet<string>,
    private readonly frame: RowFrame,
  ) {
    this.length = spans.length;
  }

  row(index: number): WaterfallRow {
    let row = this.made.get(index);
    if (row === undefined) {
      const i = this.spans[index];
      const { tree } = this;
      const hasChildren = tree.children[i].length > 0;
      const collapsed = hasChildren && this.collapsed.has(this.frame.trace.spans[i].spanId);
      row = new LaidOutRow(
        i,
        tree.depth[i],
        hasChildren,
        collapsed,
        collapsed ? tree.descendants[i] : 0,
        this.frame,
      );
      this.made.set(index, row);
    }
    return row;
  }

  indexOf(span: number): number {
    return this.spans.indexOf(span);
  }
}

/**
 * The waterfall as rows, top to bottom: depth-first from the roots (by start), children by start,
 * the subtrees of collapsed spans left out. A pure function of its input — no DOM — so the
 * component only draws the rows in view and this is tested without a browser. With nothing
 * collapsed the rows are the tree's own order; otherwise each collapsed span's subtree, which
 * follows it in that order, is skipped — no row objects either way until rows are read.
 */
export function waterfallRows(input: LayoutInput): WaterfallRows {
  const { trace, tree, collapsed, viewport, critical } = input;
  const frame = new RowFrame(trace, viewport, critical);
  const { order } = tree;
  if (collapsed.size === 0) return new LaidOutRows(order, tree, collapsed, frame);
  const { spans } = trace;
  const shown: number[] = [];
  for (let k = 0; k < order.length;) {
    const i = order[k];
    shown.push(i);
    const hides = tree.children[i].length > 0 && collapsed.has(spans[i].spanId);
    k += hides ? tree.descendants[i] + 1 : 1;
  }
  return new LaidOutRows(shown, tree, collapsed, frame);
}
