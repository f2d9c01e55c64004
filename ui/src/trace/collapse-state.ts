import type { TraceTree } from './build-tree';
import type { Trace } from './trace-model';

/**
 * Which spans are collapsed, in a form that stays short in a URL even for 100,000 spans: a level
 * (every span with children at that depth or deeper is collapsed; undefined = none) and the span
 * ids toggled against that rule by hand. "Collapse all" is level 0 and no toggles.
 */
export interface CollapseState {
  level: number | undefined;
  toggles: ReadonlySet<string>;
}

export const EXPANDED: CollapseState = { level: undefined, toggles: new Set() };

export function isCollapsed(trace: Trace, tree: TraceTree, state: CollapseState, span: number): boolean {
  if (tree.children[span].length === 0) return false;
  const byLevel = state.level !== undefined && tree.depth[span] >= state.level;
  return byLevel !== state.toggles.has(trace.spans[span].spanId);
}

/** The collapsed span ids that waterfallRows takes. */
export function collapsedSet(trace: Trace, tree: TraceTree, state: CollapseState): Set<string> {
  const out = new Set<string>();
  if (state.level === undefined && state.toggles.size === 0) return out;
  for (let i = 0; i < trace.spans.length; i++)
    if (isCollapsed(trace, tree, state, i)) out.add(trace.spans[i].spanId);
  return out;
}

export function toggle(trace: Trace, state: CollapseState, span: number): CollapseState {
  const id = trace.spans[span].spanId;
  const toggles = new Set(state.toggles);
  if (!toggles.delete(id)) toggles.add(id);
  return { level: state.level, toggles };
}

/** The deepest level at which some span has children: collapsing there hides the leaves. */
function deepestParentLevel(tree: TraceTree): number {
  let deepest = -1;
  for (let i = 0; i < tree.depth.length; i++)
    if (tree.children[i].length > 0) deepest = Math.max(deepest, tree.depth[i]);
  return deepest;
}

/** One level more collapsed (Jaeger's "collapse +1"); hand toggles are cleared. */
export function collapseOne(tree: TraceTree, state: CollapseState): CollapseState {
  const from = state.level ?? deepestParentLevel(tree) + 1;
  return { level: Math.max(0, from - 1), toggles: new Set() };
}

/** One level more expanded; past the deepest parent, everything is expanded. */
export function expandOne(tree: TraceTree, state: CollapseState): CollapseState {
  if (state.level === undefined) return EXPANDED;
  const next = state.level + 1;
  return next > deepestParentLevel(tree) ? EXPANDED : { level: next, toggles: new Set() };
}

export const collapseAll = (): CollapseState => ({ level: 0, toggles: new Set() });

/** Expands every collapsed ancestor of a span so that its row shows (find, links, keyboard). */
export function reveal(trace: Trace, tree: TraceTree, state: CollapseState, span: number): CollapseState {
  let toggles: Set<string> | undefined;
  for (let p = tree.parent[span]; p !== -1; p = tree.parent[p]) {
    if (!isCollapsed(trace, tree, state, p)) continue;
    toggles ??= new Set(state.toggles);
    const id = trace.spans[p].spanId;
    if (!toggles.delete(id)) toggles.add(id);
  }
  return toggles ? { level: state.level, toggles } : state;
}
