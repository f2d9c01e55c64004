import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { TraceTree } from '../../trace/build-tree';
import { formatDuration, timeTicks } from '../../trace/ticks';
import type { Trace } from '../../trace/trace-model';
import type { Viewport, WaterfallRows } from '../../trace/waterfall-layout';
import { ROW_HEIGHT, WaterfallRow } from './WaterfallRow';

interface Props {
  trace: Trace;
  tree: TraceTree;
  rows: WaterfallRows;
  viewport: Viewport;
  selected: number | undefined;
  matches: ReadonlySet<number>;
  currentMatch: number | undefined;
  /** Bumped to scroll the selected row into view (keyboard, find, a link with ?span=). */
  scrollRequest: number;
  onSelect: (span: number) => void;
  onToggle: (span: number) => void;
  onKeyDown: (event: KeyboardEvent<HTMLDivElement>) => void;
}

const OVERSCAN = 12;

/**
 * The virtualised waterfall: only the rows in view (plus a margin) are in the DOM, so 100,000
 * spans scroll like 100. Rows are absolutely placed in a spacer as tall as all of them.
 */
export function Waterfall(props: Props) {
  const { trace, tree, rows, viewport, selected, matches, currentMatch, scrollRequest } = props;
  const body = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useLayoutEffect(() => {
    const element = body.current;
    if (!element) return;
    setHeight(element.clientHeight);
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // Marks for bench/ui-bench.ts: the first frame with rows, and every frame after the rows change.
  const drawn = useRef(false);
  useEffect(() => {
    const frame = requestAnimationFrame(() => {
      if (!drawn.current && rows.length > 0) {
        drawn.current = true;
        performance.mark('waterfall-drawn');
      }
      performance.mark('waterfall-rows-drawn');
    });
    return () => cancelAnimationFrame(frame);
  }, [rows]);

  useEffect(() => {
    const element = body.current;
    if (!element || selected === undefined || scrollRequest === 0) return;
    const index = rows.indexOf(selected);
    if (index === -1) return;
    const top = index * ROW_HEIGHT;
    if (top < element.scrollTop || top + ROW_HEIGHT > element.scrollTop + element.clientHeight)
      element.scrollTop = Math.max(0, top - element.clientHeight / 3);
    // Only an explicit request scrolls; selecting by click must not move the list.
  }, [scrollRequest]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const ticks = timeTicks(viewport.start, viewport.end, 6);
  const scale = 100 / Math.max(viewport.end - viewport.start, 1e-9);
  const visible = [];
  for (let i = first; i < last; i++) {
    const row = rows.row(i);
    visible.push(
      <WaterfallRow
        key={row.span}
        row={row}
        index={i}
        span={trace.spans[row.span]}
        viewport={viewport}
        selected={row.span === selected}
        match={row.span === currentMatch ? 'current' : matches.has(row.span) ? 'match' : 'none'}
        missingParent={tree.missingParent[row.span] === 1}
        skew={tree.skew[row.span]}
        onSelect={props.onSelect}
        onToggle={props.onToggle}
      />,
    );
  }
  return (
    <div
      className="waterfall"
      role="treegrid"
      aria-label="Spans"
      tabIndex={0}
      onKeyDown={props.onKeyDown}
      data-testid="waterfall"
    >
      <div className="wf-axis">
        <div className="wf-name">
          Service · operation <span className="muted">({rows.length} rows)</span>
        </div>
        <div className="wf-timeline">
          {ticks.map((t) => (
            <span key={t} className="tick" style={{ left: `${(t - viewport.start) * scale}%` }}>
              {formatDuration(t)}
            </span>
          ))}
        </div>
      </div>
      <div className="wf-body" ref={body} onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}>
        <div className="wf-spacer" style={{ height: rows.length * ROW_HEIGHT }}>
          <div className="wf-gridlines" aria-hidden>
            {ticks.map((t) => (
              <span key={t} style={{ left: `${(t - viewport.start) * scale}%` }} />
            ))}
          </div>
          {visible}
        </div>
      </div>
    </div>
  );
}
