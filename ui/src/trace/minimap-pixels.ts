import type { Trace } from './trace-model';

/** A colour as one RGBA pixel in a Uint32Array over ImageData (little-endian: bytes R, G, B, A). */
export function pixelOf(hex: string): number {
  const rgb = Number.parseInt(hex.slice(1), 16);
  return ((0xff << 24) | ((rgb & 0xff) << 16) | (rgb & 0xff00) | (rgb >>> 16)) >>> 0;
}

/**
 * The minimap's picture: every span in row order as a bar, one row band per span, later spans
 * over earlier ones, written straight into an RGBA pixel buffer (`width` × `height` device pixels).
 * With 100,000 spans in 56 px, canvas fillRect per span cost ~0.3 s of the first view; a typed
 * array fill per bar is a few ms. Bars are at least a pixel wide and a pixel tall.
 */
export function paintMinimap(
  pixels: Uint32Array,
  width: number,
  height: number,
  trace: Trace,
  order: readonly number[],
  palette: readonly number[],
): void {
  pixels.fill(0);
  if (order.length === 0 || width <= 0 || height <= 0) return;
  const xScale = width / Math.max(trace.duration, 1e-9);
  const rowH = height / order.length;
  for (let k = 0; k < order.length; k++) {
    const span = trace.spans[order[k]];
    const x0 = Math.min(width - 1, Math.max(0, Math.floor(span.start * xScale)));
    const x1 = Math.min(width, Math.max(x0 + 1, Math.ceil((span.start + span.duration) * xScale)));
    const y0 = Math.min(height - 1, Math.floor(k * rowH));
    const y1 = Math.min(height, Math.max(y0 + 1, Math.floor((k + 1) * rowH)));
    const color = palette[span.serviceIndex % palette.length];
    for (let y = y0; y < y1; y++) pixels.fill(color, y * width + x0, y * width + x1);
  }
}
