import { useEffect, useMemo, useRef } from 'react';
import type { MouseEvent } from 'react';
import { useWidth } from '../../components/use-width';
import type { TraceTree } from '../../trace/build-tree';
import { serviceColor } from '../../trace/service-colors';
import { formatDuration } from '../../trace/ticks';
import type { Trace } from '../../trace/trace-model';
import type { Viewport } from '../../trace/waterfall-layout';

const ROW = 18;

/**
 * The same trace as a flame graph (icicle: roots on top, each child under its parent at its own
 * time): where the time goes at a glance. Canvas, since a 100,000-span trace would be too many
 * DOM nodes; a click selects the span under the pointer.
 */
export function FlameGraph(props: {
  trace: Trace;
  tree: TraceTree;
  viewport: Viewport;
  selected: number | undefined;
  onSelect: (span: number) => void;
}) {
  const { trace, tree, viewport, selected, onSelect } = props;
  const [ref, width] = useWidth<HTMLDivElement>();
  const canvas = useRef<HTMLCanvasElement>(null);
  const byDepth = useMemo(() => {
    const levels: number[][] = Array.from({ length: tree.maxDepth + 1 }, () => []);
    for (let i = 0; i < trace.spans.length; i++) levels[tree.depth[i]].push(i);
    return levels;
  }, [trace, tree]);
  const height = byDepth.length * ROW;
  const scale = width / Math.max(viewport.end - viewport.start, 1e-9);

  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context) return;
    const ratio = window.devicePixelRatio || 1;
    element.width = Math.floor(width * ratio);
    element.height = height * ratio;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    context.font = '11px system-ui, sans-serif';
    context.textBaseline = 'middle';
    byDepth.forEach((level, depth) => {
      for (const i of level) {
        const span = trace.spans[i];
        const x = (span.start - viewport.start) * scale;
        const w = Math.max(1, span.duration * scale);
        if (x > width || x + w < 0) continue;
        context.fillStyle = serviceColor(span.serviceIndex);
        context.fillRect(x, depth * ROW, w - 0.5, ROW - 1);
        if (i === selected) {
          context.strokeStyle = '#000';
          context.lineWidth = 2;
          context.strokeRect(x + 1, depth * ROW + 1, w - 2, ROW - 3);
        }
        if (w > 40) {
          context.fillStyle = '#111';
          const label = `${span.name} ${formatDuration(span.duration)}`;
          context.save();
          context.beginPath();
          context.rect(Math.max(0, x), depth * ROW, Math.min(w, width) - 4, ROW);
          context.clip();
          context.fillText(label, Math.max(0, x) + 4, depth * ROW + ROW / 2);
          context.restore();
        }
      }
    });
  }, [trace, byDepth, viewport, width, height, scale, selected]);

  const click = (event: MouseEvent<HTMLCanvasElement>): void => {
    const box = event.currentTarget.getBoundingClientRect();
    const depth = Math.floor((event.clientY - box.top) / ROW);
    const time = viewport.start + (event.clientX - box.left) / scale;
    const hit = byDepth[depth]?.find(
      (i) => trace.spans[i].start <= time && time <= trace.spans[i].start + trace.spans[i].duration,
    );
    if (hit !== undefined) onSelect(hit);
  };
  return (
    <div className="flame" ref={ref} data-testid="flame-graph">
      <canvas
        ref={canvas}
        style={{ width, height }}
        onClick={click}
        role="img"
        aria-label="Flame graph of the trace"
      />
    </div>
  );
}
