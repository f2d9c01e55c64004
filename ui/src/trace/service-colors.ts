/**
 * One colour per service, in order of appearance, distinguishable in both themes (a categorical
 * palette after Tableau 10, with enough saturation to read on dark backgrounds too).
 */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#b07aa1',
  '#76b7b2',
  '#edc948',
  '#ff9da7',
  '#9c755f',
  '#86bcb6',
  '#d37295',
  '#a0cbe8',
  '#8cd17d',
];

export function serviceColor(index: number): string {
  return PALETTE[index % PALETTE.length];
}
