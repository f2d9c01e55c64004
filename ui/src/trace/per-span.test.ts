import { describe, expect, it } from 'vitest';
import { PerSpan } from './per-span';

describe('PerSpan', () => {
  it('groups rows by span in their order, makes each list once, and shares the empty one', () => {
    const made: number[] = [];
    const bySpan = new PerSpan([2, 0, 2, 3, 2], 5, (row) => {
      made.push(row);
      return `row ${row}`;
    });
    expect(made).toEqual([]);
    expect(bySpan.of(2)).toEqual(['row 0', 'row 2', 'row 4']);
    expect(bySpan.of(2)).toBe(bySpan.of(2));
    expect([bySpan.of(0), bySpan.of(3)]).toEqual([['row 1'], ['row 3']]);
    expect(made).toEqual([0, 2, 4, 1, 3]);
    expect(bySpan.of(1)).toEqual([]);
    expect(bySpan.of(1)).toBe(bySpan.of(4));
  });
});
