import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { updateParams, useLocation } from '../../app/router';
import { useAfterPaint } from '../../app/use-after-paint';
import { buildTree } from '../../trace/build-tree';
import type { CollapseState } from '../../trace/collapse-state';
import {
  collapseAll,
  collapsedSet,
  collapseOne,
  EXPANDED,
  expandOne,
  reveal,
  toggle,
} from '../../trace/collapse-state';
import { criticalPath, segmentsBySpan } from '../../trace/critical-path';
import { findSpans } from '../../trace/find-spans';
import type { Trace } from '../../trace/trace-model';
import { waterfallRows } from '../../trace/waterfall-layout';
import { DownloadButton } from './DownloadButton';
import { FindBar } from './FindBar';
import { FlameGraph } from './FlameGraph';
import { Minimap } from './Minimap';
import { SpanPanel } from './SpanPanel';
import { TraceHeader } from './TraceHeader';
import { collapseParams, traceStateFromParams, windowParam } from './trace-url';
import { waterfallKeyHandler } from './use-trace-keys';
import { Waterfall } from './Waterfall';

/**
 * A loaded trace (or its outline, until the whole arrives): header, minimap, waterfall or flame
 * graph, span panel; all state in the URL.
 */
export function TracePage({ trace, detailsError }: { trace: Trace; detailsError?: () => void }) {
  const { params } = useLocation();
  const state = traceStateFromParams(params);
  const tree = useMemo(() => buildTree(trace), [trace]);
  // Drawn a moment after the first rows: on a large trace it would hold them back by ~0.1 s.
  const critical = useAfterPaint(() => segmentsBySpan(criticalPath(trace, tree)), [trace, tree]);
  const order = tree.order;
  const selected = state.span === undefined ? undefined : tree.byId.get(state.span);
  const collapseKey = `${state.collapse.level}|${[...state.collapse.toggles].join(',')}`;
  const collapsed = useMemo(() => collapsedSet(trace, tree, state.collapse), [trace, tree, collapseKey]);
  const windowKey = windowParam(state.window);
  const viewport = useMemo(() => {
    const [a, b] = state.window ?? [0, 1];
    return { start: a * trace.duration, end: Math.max(b * trace.duration, a * trace.duration + 1e-6) };
  }, [trace, windowKey]);
  const rows = useMemo(
    () => waterfallRows({ trace, tree, collapsed, viewport, critical }),
    [trace, tree, collapsed, viewport, critical],
  );
  const matches = useMemo(() => findSpans(trace, order, state.find), [trace, order, state.find]);
  const matchSet = useMemo(() => new Set(matches), [matches]);
  const [matchIndex, setMatchIndex] = useState(0);
  const [scrollRequest, setScrollRequest] = useState(0);
  const findInput = useRef<HTMLInputElement>(null);

  const setCollapse = useCallback((next: CollapseState) => updateParams(collapseParams(next)), []);
  const select = useCallback(
    (span: number | undefined, scroll = false) => {
      updateParams({ span: span === undefined ? undefined : trace.spans[span].spanId });
      if (scroll) setScrollRequest((n) => n + 1);
    },
    [trace],
  );
  const onToggle = useCallback(
    (span: number) =>
      setCollapse(
        toggle(trace, traceStateFromParams(new URLSearchParams(window.location.search)).collapse, span),
      ),
    [trace, setCollapse],
  );
  const focus = (span: number): void => {
    if (tree.parent[span] !== -1) {
      const revealed = reveal(trace, tree, state.collapse, span);
      if (revealed !== state.collapse) setCollapse(revealed);
    }
    select(span, true);
  };

  // A link with ?span= opens with that span shown and in view.
  useEffect(() => {
    if (selected !== undefined) focus(selected);
  }, [trace]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement | null;
      if (event.key === '/' && !['INPUT', 'TEXTAREA', 'SELECT'].includes(target?.tagName ?? '')) {
        event.preventDefault();
        findInput.current?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const step = (direction: 1 | -1): void => {
    if (matches.length === 0) return;
    const next = (matchIndex + direction + matches.length) % matches.length;
    setMatchIndex(next);
    focus(matches[next]);
  };
  const keys = waterfallKeyHandler(rows, tree, selected, {
    select: (span) => select(span, true),
    toggle: (span) => setCollapse(toggle(trace, state.collapse, span)),
  });
  const anyCollapsed = collapsed.size > 0;

  return (
    <div className="trace-view">
      <TraceHeader trace={trace} tree={tree} />
      <div className="toolbar trace-toolbar">
        <div className="segmented" role="group" aria-label="View">
          <button
            className={state.view === 'waterfall' ? 'active' : undefined}
            onClick={() => updateParams({ view: undefined })}
          >
            Waterfall
          </button>
          <button
            className={state.view === 'flame' ? 'active' : undefined}
            onClick={() => updateParams({ view: 'flame' })}
          >
            Flame graph
          </button>
        </div>
        <button onClick={() => setCollapse(collapseOne(tree, state.collapse))} title="Collapse one level">
          Collapse level
        </button>
        <button
          onClick={() => setCollapse(expandOne(tree, state.collapse))}
          disabled={!anyCollapsed}
          title="Expand one level"
        >
          Expand level
        </button>
        <button onClick={() => setCollapse(collapseAll())}>Collapse all</button>
        <button onClick={() => setCollapse(EXPANDED)} disabled={!anyCollapsed}>
          Expand all
        </button>
        {state.window && <button onClick={() => updateParams({ window: undefined })}>Reset zoom</button>}
        <FindBar
          value={state.find}
          count={matches.length}
          current={Math.min(matchIndex, Math.max(0, matches.length - 1))}
          inputRef={findInput}
          onChange={(text) => {
            setMatchIndex(0);
            updateParams({ find: text });
          }}
          onStep={step}
        />
        <DownloadButton traceId={trace.traceId} />
        <span className="legend-critical" title="The chain of work the trace's end waited for">
          <span className="critical-swatch" /> critical path
        </span>
      </div>
      <Minimap
        trace={trace}
        order={order}
        window={state.window}
        onChange={(w) => updateParams({ window: windowParam(w) })}
      />
      <div className={selected === undefined ? 'trace-main' : 'trace-main with-panel'}>
        {state.view === 'flame' ? (
          <FlameGraph
            trace={trace}
            tree={tree}
            viewport={viewport}
            selected={selected}
            onSelect={(s) => select(s)}
          />
        ) : (
          <Waterfall
            trace={trace}
            tree={tree}
            rows={rows}
            viewport={viewport}
            selected={selected}
            matches={matchSet}
            currentMatch={matches.length > 0 ? matches[Math.min(matchIndex, matches.length - 1)] : undefined}
            scrollRequest={scrollRequest}
            onSelect={select}
            onToggle={onToggle}
            onKeyDown={keys}
          />
        )}
        {selected !== undefined && (
          <SpanPanel
            trace={trace}
            tree={tree}
            span={selected}
            onClose={() => select(undefined)}
            detailsError={detailsError}
          />
        )}
      </div>
    </div>
  );
}
