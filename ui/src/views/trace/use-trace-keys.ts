import type { KeyboardEvent } from 'react';
import type { TraceTree } from '../../trace/build-tree';
import type { WaterfallRows } from '../../trace/waterfall-layout';

export interface KeyActions {
  select: (span: number | undefined) => void;
  toggle: (span: number) => void;
}

/**
 * Keyboard navigation of the waterfall, as in a tree view (WAI-ARIA treegrid): ↑/↓ (or k/j) move,
 * → (l) expands or goes to the first child, ← (h) collapses or goes to the parent, Enter or Space
 * toggles, Home/End jump, Esc clears the selection.
 */
export function waterfallKeyHandler(
  rows: WaterfallRows,
  tree: TraceTree,
  selected: number | undefined,
  actions: KeyActions,
) {
  return (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const at = selected === undefined ? -1 : rows.indexOf(selected);
    const row = at === -1 ? undefined : rows.row(at);
    const go = (index: number) => {
      if (rows.length === 0) return;
      actions.select(rows.row(Math.min(rows.length - 1, Math.max(0, index))).span);
    };
    switch (event.key) {
      case 'ArrowDown':
      case 'j':
        go(at + 1);
        break;
      case 'ArrowUp':
      case 'k':
        go(at === -1 ? 0 : at - 1);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(rows.length - 1);
        break;
      case 'ArrowRight':
      case 'l':
        if (!row?.hasChildren) return;
        if (row.collapsed) actions.toggle(row.span);
        else go(at + 1);
        break;
      case 'ArrowLeft':
      case 'h':
        if (!row) return;
        if (row.hasChildren && !row.collapsed) actions.toggle(row.span);
        else if (tree.parent[row.span] !== -1) actions.select(tree.parent[row.span]);
        break;
      case 'Enter':
      case ' ':
        if (row?.hasChildren) actions.toggle(row.span);
        break;
      case 'Escape':
        actions.select(undefined);
        break;
      default:
        return;
    }
    event.preventDefault();
  };
}
