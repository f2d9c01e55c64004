import { describe, expect, it } from 'vitest';
import { paintMinimap, pixelOf } from './minimap-pixels';
import { makeTrace } from './trace-builder';

describe('paintMinimap', () => {
  it('draws each span as a bar in its row band, in its service colour, at least a pixel wide', () => {
    const trace = makeTrace([
      ['a', '', 'svc-1', 'root', 0, 10],
      ['b', 'a', 'svc-2', 'child', 5, 0.001],
    ]);
    const pixels = new Uint32Array(10 * 4);
    const palette = [pixelOf('#ff0000'), pixelOf('#0000ff')];
    paintMinimap(pixels, 10, 4, trace, [0, 1], palette);
    const row = (y: number) =>
      [...pixels.slice(y * 10, y * 10 + 10)].map((p) => palette.indexOf(p)).join(' ');
    expect([row(0), row(1)]).toEqual(['0 0 0 0 0 0 0 0 0 0', '0 0 0 0 0 0 0 0 0 0']);
    expect([row(2), row(3)]).toEqual(['-1 -1 -1 -1 -1 1 -1 -1 -1 -1', '-1 -1 -1 -1 -1 1 -1 -1 -1 -1']);
    // Little-endian RGBA: red is the lowest byte, alpha the highest.
    expect(pixelOf('#ff0000')).toBe(0xff0000ff);
  });
});
