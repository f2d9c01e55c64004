import type { Trace } from './trace-model';

/**
 * The span tree of a trace, as index arrays (a 100,000-span trace allocates a handful of typed
 * arrays, not 100,000 objects). Nothing is hidden or "fixed":
 * - a span whose parent is not in the trace is a root of its own, flagged `missingParent`;
 * - a child that starts before its parent keeps its recorded time and gets `skew` (ms early),
 *   so clock skew between hosts shows instead of being silently shifted as Jaeger UI does;
 * - a parent chain that loops (corrupt data) is cut where it closes, that span becomes a root.
 */
export interface TraceTree {
  /** Index of the parent span, −1 for a root. */
  parent: Int32Array;
  /** Children of each span, sorted by start (spans are sorted by start already). */
  children: number[][];
  /** Spans without a parent in the trace, by start. */
  roots: number[];
  depth: Int32Array;
  /** Spans in the subtree below each span (itself excluded). */
  descendants: Int32Array;
  /** 1 when the span names a parent that is not in the trace. */
  missingParent: Uint8Array;
  /** How many ms the span starts before its parent (0 when it does not). */
  skew: Float64Array;
  maxDepth: number;
  /** Span id → index (the first span when an id repeats). */
  byId: Map<string, number>;
}

/** In `Trace.parentIndex`: the span names a parent that is not in the trace. */
export const MISSING_PARENT = -2;

export function buildTree(trace: Trace): TraceTree {
  const { spans } = trace;
  const n = spans.length;
  const byId = new Map<string, number>();
  for (let i = 0; i < n; i++) if (!byId.has(spans[i].spanId)) byId.set(spans[i].spanId, i);

  const parent = new Int32Array(n).fill(-1);
  const missingParent = new Uint8Array(n);
  const known = trace.parentIndex;
  for (let i = 0; i < n; i++) {
    let p: number | undefined;
    if (known !== undefined) p = known[i] === MISSING_PARENT ? undefined : known[i];
    else p = spans[i].parentSpanId === '' ? -1 : byId.get(spans[i].parentSpanId);
    if (p === undefined) missingParent[i] = 1;
    else if (p !== i) parent[i] = p;
  }
  breakCycles(parent);

  const children: number[][] = new Array<number[]>(n);
  for (let i = 0; i < n; i++) children[i] = [];
  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    if (parent[i] === -1) roots.push(i);
    else children[parent[i]].push(i);
  }

  const depth = new Int32Array(n);
  const descendants = new Int32Array(n);
  const skew = new Float64Array(n);
  const order = preorder(roots, children, n);
  let maxDepth = 0;
  for (const i of order) {
    const p = parent[i];
    if (p === -1) continue;
    depth[i] = depth[p] + 1;
    if (depth[i] > maxDepth) maxDepth = depth[i];
    const early = spans[p].start - spans[i].start;
    if (early > 0) skew[i] = early;
  }
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k];
    if (parent[i] !== -1) descendants[parent[i]] += descendants[i] + 1;
  }
  return { parent, children, roots, depth, descendants, missingParent, skew, maxDepth, byId };
}

/** Depth-first order from the roots, children in start order; iterative (a 10,000-deep chain is fine). */
export function preorder(roots: readonly number[], children: readonly number[][], n: number): number[] {
  const out: number[] = [];
  out.length = 0;
  const stack: number[] = [];
  for (let r = roots.length - 1; r >= 0; r--) stack.push(roots[r]);
  while (stack.length > 0 && out.length <= n) {
    const i = stack.pop()!;
    out.push(i);
    const kids = children[i];
    for (let c = kids.length - 1; c >= 0; c--) stack.push(kids[c]);
  }
  return out;
}

/** Walks each parent chain once; where it comes back to a span of the same walk, the link is cut. */
function breakCycles(parent: Int32Array): void {
  const state = new Uint8Array(parent.length); // 0 new, 1 on the current walk, 2 known acyclic
  const walk: number[] = [];
  for (let start = 0; start < parent.length; start++) {
    let i = start;
    while (i !== -1 && state[i] === 0) {
      state[i] = 1;
      walk.push(i);
      const p = parent[i];
      if (p !== -1 && state[p] === 1) parent[i] = -1;
      i = parent[i];
    }
    for (const w of walk) state[w] = 2;
    walk.length = 0;
  }
}
