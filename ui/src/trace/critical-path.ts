import type { TraceTree } from './build-tree';
import type { Trace } from './trace-model';

/** A stretch of time [start, end) (ms from the trace's start) during which `span` was the work being waited for. */
export interface CriticalSegment {
  span: number;
  start: number;
  end: number;
}

/**
 * The critical path as Jaeger UI computes it (packages/jaeger-ui/src/components/TracePage/
 * CriticalPath): walking back from a span's end, the last child to finish before the cursor is
 * what the span waited for; its own time between children is its self time on the path. Children
 * are first clipped to their parent's interval and ones entirely outside it (async work such as a
 * consumer running after its producer ended) are ignored. Done for the first root (the trace's
 * entry); iterative, so deep traces cannot overflow the stack.
 */
export function criticalPath(trace: Trace, tree: TraceTree): CriticalSegment[] {
  const { spans } = trace;
  if (tree.roots.length === 0) return [];
  // Roots are in start order: the first is the trace's entry; later ones are orphans or async work.
  const root = tree.roots[0];
  const segments: CriticalSegment[] = [];
  interface Frame {
    span: number;
    start: number;
    end: number;
    cursor: number;
    /** Clipped children, latest end first, and how far we have gone through them. */
    kids: { span: number; start: number; end: number }[];
    next: number;
  }
  const frame = (span: number, start: number, end: number): Frame => {
    const kids = [];
    for (const c of tree.children[span]) {
      const cs = Math.max(spans[c].start, start);
      const ce = Math.min(spans[c].start + spans[c].duration, end);
      if (cs >= end || ce < start || ce < cs) continue;
      kids.push({ span: c, start: cs, end: ce });
    }
    kids.sort((a, b) => b.end - a.end || b.start - a.start);
    return { span, start, end, cursor: end, kids, next: 0 };
  };
  const r = spans[root];
  const stack: Frame[] = [frame(root, r.start, r.start + r.duration)];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    while (top.next < top.kids.length && top.kids[top.next].end > top.cursor) top.next++;
    if (top.next < top.kids.length) {
      const kid = top.kids[top.next++];
      if (top.cursor > kid.end) segments.push({ span: top.span, start: kid.end, end: top.cursor });
      top.cursor = kid.start;
      stack.push(frame(kid.span, kid.start, kid.end));
      continue;
    }
    if (top.cursor > top.start) segments.push({ span: top.span, start: top.start, end: top.cursor });
    stack.pop();
  }
  return segments.reverse();
}

/** Segments grouped by span, for drawing them on each row's bar. */
export function segmentsBySpan(segments: readonly CriticalSegment[]): Map<number, CriticalSegment[]> {
  const out = new Map<number, CriticalSegment[]>();
  for (const s of segments) {
    const list = out.get(s.span);
    if (list) list.push(s);
    else out.set(s.span, [s]);
  }
  return out;
}
