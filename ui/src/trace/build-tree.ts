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
  children: readonly (readonly number[])[];
  /** Spans without a parent in the trace, by start. */
  roots: number[];
  /** Every span depth-first from the roots, children by start: the waterfall's rows, all expanded. */
  order: readonly number[];
  depth: Int32Array;
  /** Spans in the subtree below each span (itself excluded). */
  descendants: Int32Array;
  /** 1 when the span names a parent that is not in the trace. */
  missingParent: Uint8Array;
  /** How many ms the span starts before its parent (0 when it does not). */
  skew: Float64Array;
  maxDepth: number;
  /** Span id → index (the first span when an id repeats); made when first read. */
  readonly byId: ReadonlyMap<string, number>;
}

/** In `Trace.parentIndex`: the span names a parent that is not in the trace. */
export const MISSING_PARENT = -2;

/** Every leaf's children: one shared empty list (a 100,000-span trace has ~75,000 leaves). */
const NO_CHILDREN: readonly number[] = Object.freeze([]);

/**
 * Typed arrays and one list per parent, not an object or a list per span: on a 100,000-span trace
 * this is on the way to the first frame, and garbage made here is collected before it.
 */
export function buildTree(trace: Trace): TraceTree {
  const { spans } = trace;
  const n = spans.length;
  let byId: Map<string, number> | undefined;
  const ids = (): Map<string, number> => {
    if (byId === undefined) {
      byId = new Map();
      for (let i = 0; i < n; i++) if (!byId.has(spans[i].spanId)) byId.set(spans[i].spanId, i);
    }
    return byId;
  };

  const parent = new Int32Array(n).fill(-1);
  const missingParent = new Uint8Array(n);
  const known = trace.parentIndex;
  // When every parent comes before its child (the usual case: spans are in start order), no chain
  // can loop and there is nothing to cut.
  let parentsFirst = true;
  for (let i = 0; i < n; i++) {
    let p: number | undefined;
    if (known !== undefined) p = known[i] === MISSING_PARENT ? undefined : known[i];
    else p = spans[i].parentSpanId === '' ? -1 : ids().get(spans[i].parentSpanId);
    if (p === undefined) missingParent[i] = 1;
    else if (p !== i) {
      parent[i] = p;
      if (p > i) parentsFirst = false;
    }
  }
  if (!parentsFirst) breakCycles(parent);

  // Counted first, so that each list is made once at its size.
  const count = new Int32Array(n);
  let rootCount = 0;
  for (let i = 0; i < n; i++) {
    if (parent[i] === -1) rootCount++;
    else count[parent[i]]++;
  }
  const lists = new Array<number[]>(n);
  for (let i = 0; i < n; i++)
    lists[i] = count[i] === 0 ? (NO_CHILDREN as number[]) : new Array<number>(count[i]);
  const roots = new Array<number>(rootCount);
  count.fill(0);
  for (let i = 0, r = 0; i < n; i++) {
    const p = parent[i];
    if (p === -1) roots[r++] = i;
    else lists[p][count[p]++] = i;
  }

  const order = preorder(roots, lists, n);
  const depth = new Int32Array(n);
  const descendants = new Int32Array(n);
  const skew = new Float64Array(n);
  let maxDepth = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const p = parent[i];
    if (p === -1) continue;
    const d = depth[p] + 1;
    depth[i] = d;
    if (d > maxDepth) maxDepth = d;
    const early = spans[p].start - spans[i].start;
    if (early > 0) skew[i] = early;
  }
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k];
    if (parent[i] !== -1) descendants[parent[i]] += descendants[i] + 1;
  }
  return {
    parent,
    children: lists,
    roots,
    order,
    depth,
    descendants,
    missingParent,
    skew,
    maxDepth,
    get byId() {
      return ids();
    },
  };
}

/** Depth-first order from the roots, children in start order; iterative (a 10,000-deep chain is fine). */
export function preorder(
  roots: readonly number[],
  children: readonly (readonly number[])[],
  n: number,
): number[] {
  const out: number[] = [];
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
