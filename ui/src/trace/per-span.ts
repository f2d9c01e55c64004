const NONE: never[] = [];

/**
 * Rows of a column set that name their span (events, links) grouped by span with a counting sort
 * into two typed arrays, each span's list made when first read: a 100,000-span trace with 10,000
 * events makes event objects only for the spans someone looks at (the rows in view). Rows keep
 * their order within a span; a span without rows gets one shared empty list.
 */
export class PerSpan<T> {
  /** Where each span's rows start in `rows` (spans + 1 entries). */
  private readonly start: Int32Array;
  private readonly rows: Int32Array;
  private readonly made = new Map<number, T[]>();

  constructor(
    spanOf: readonly number[],
    spans: number,
    private readonly make: (row: number) => T,
  ) {
    const start = new Int32Array(spans + 1);
    for (let r = 0; r < spanOf.length; r++) start[spanOf[r] + 1]++;
    for (let s = 0; s < spans; s++) start[s + 1] += start[s];
    const next = start.slice(0, spans);
    const rows = new Int32Array(spanOf.length);
    for (let r = 0; r < spanOf.length; r++) rows[next[spanOf[r]]++] = r;
    this.start = start;
    this.rows = rows;
  }

  of(span: number): T[] {
    const from = this.start[span];
    const to = this.start[span + 1];
    if (from === to) return NONE;
    let list = this.made.get(span);
    if (list === undefined) {
      list = new Array<T>(to - from);
      for (let k = from; k < to; k++) list[k - from] = this.make(this.rows[k]);
      this.made.set(span, list);
    }
    return list;
  }
}
