import { useEffect, useRef, useState } from 'react';
import type { PointerEvent } from 'react';
import { useWidth } from '../../components/use-width';
import { paintMinimap, pixelOf } from '../../trace/minimap-pixels';
import { PALETTE } from '../../trace/service-colors';
import type { Trace } from '../../trace/trace-model';

const HEIGHT = 56;
const EDGE_PX = 6;
const PIXELS = PALETTE.map(pixelOf);

type Drag = { mode: 'move' | 'left' | 'right' | 'new'; x0: number; w0: [number, number] };

/**
 * The whole trace in miniature (every span, in row order, whatever is collapsed) with the zoom
 * window over it: drag the window to pan, its edges to resize, or draw a new one anywhere.
 * The window reaches the URL when the drag ends, so the waterfall re-lays out once, not per pixel.
 */
export function Minimap(props: {
  trace: Trace;
  order: readonly number[];
  window: [number, number] | undefined;
  onChange: (w: [number, number] | undefined) => void;
}) {
  const { trace, order, window: committed, onChange } = props;
  const [ref, width] = useWidth<HTMLDivElement>();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [draft, setDraft] = useState<[number, number] | undefined>();
  const drag = useRef<Drag | undefined>(undefined);
  const shown = draft ?? committed ?? [0, 1];

  // Painted just after a frame, not before: for a 100,000-span trace the picture takes tens of ms,
  // which would otherwise hold back the waterfall's first frame (and the width is known by then).
  useEffect(() => {
    const paint = (): void => {
      const element = canvas.current;
      const context = element?.getContext('2d');
      if (!element || !context) return;
      const ratio = window.devicePixelRatio || 1;
      element.width = Math.max(1, Math.floor(width * ratio));
      element.height = Math.floor(HEIGHT * ratio);
      const image = context.createImageData(element.width, element.height);
      const pixels = new Uint32Array(image.data.buffer);
      paintMinimap(pixels, element.width, element.height, trace, order, PIXELS);
      context.putImageData(image, 0, 0);
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(paint, 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [trace, order, width]);

  const fraction = (event: PointerEvent<HTMLDivElement>): number => {
    const box = event.currentTarget.getBoundingClientRect();
    return Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
  };
  const down = (event: PointerEvent<HTMLDivElement>): void => {
    const x = fraction(event);
    const px = x * width;
    const [a, b] = shown;
    const mode =
      Math.abs(px - a * width) <= EDGE_PX
        ? 'left'
        : Math.abs(px - b * width) <= EDGE_PX
          ? 'right'
          : x > a && x < b && (a > 0 || b < 1)
            ? 'move'
            : 'new';
    drag.current = { mode, x0: x, w0: [a, b] };
    event.currentTarget.setPointerCapture(event.pointerId);
    if (mode === 'new') setDraft([x, x]);
  };
  const move = (event: PointerEvent<HTMLDivElement>): void => {
    const d = drag.current;
    if (!d) return;
    const x = fraction(event);
    const [a, b] = d.w0;
    if (d.mode === 'move') {
      const shift = Math.min(1 - b, Math.max(-a, x - d.x0));
      setDraft([a + shift, b + shift]);
    } else if (d.mode === 'left') setDraft([Math.min(x, b), b]);
    else if (d.mode === 'right') setDraft([a, Math.max(x, a)]);
    else setDraft([Math.min(d.x0, x), Math.max(d.x0, x)]);
  };
  const up = (): void => {
    const d = drag.current;
    drag.current = undefined;
    if (!d || !draft) return;
    setDraft(undefined);
    // A click without a drag resets the zoom; a real window is committed.
    if (draft[1] - draft[0] < 0.002) onChange(d.mode === 'new' ? undefined : committed);
    else onChange(draft[0] <= 0 && draft[1] >= 1 ? undefined : draft);
  };

  return (
    <div className="minimap" ref={ref} data-testid="minimap">
      <canvas ref={canvas} style={{ width, height: HEIGHT }} aria-hidden />
      <div
        className="minimap-overlay"
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        title="Drag to zoom; drag the window to pan"
      >
        <div className="shade" style={{ left: 0, width: `${shown[0] * 100}%` }} />
        <div
          className="window"
          style={{ left: `${shown[0] * 100}%`, width: `${(shown[1] - shown[0]) * 100}%` }}
          data-testid="minimap-window"
        />
        <div className="shade" style={{ left: `${shown[1] * 100}%`, right: 0 }} />
      </div>
    </div>
  );
}
