/**
 * A map that forgets in insertion order and holds at most `capacity` entries: the tail sampler's
 * waiting traces and its remembered decisions (both bounded by `num_traces`, the oldest going
 * first, as in the Collector).
 *
 * Why not a `Map` and `map.keys().next()` for the oldest: that is quadratic in V8. A deleted entry
 * stays a hole in the map's table until the table is next rebuilt, and every new iterator walks
 * from the table's start across all the holes before it. With 50,000 decisions remembered,
 * forgetting the oldest that way cost ~28 µs a decision (`decideDue` was 12.6% of the collector
 * benchmark's processors row). Here a ring of the keys, in the map's order, has the oldest at hand.
 */
export class FifoMap<V> {
  private readonly entries = new Map<string, V>();
  /**
   * Keys in the order they were first set, a ring: `order[head]` is the oldest. It grows by
   * doubling up to `capacity`, so a large `num_traces` costs memory only once it is used.
   */
  private order: (string | undefined)[] = new Array<string | undefined>(16).fill(undefined);
  private head = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  /**
   * Sets `key`; a new key goes last, forgetting the oldest first when `capacity` are held. A key
   * already held keeps its place (as in a `Map`), but the oldest is still forgotten when full.
   */
  set(key: string, value: V): void {
    if (this.entries.size >= this.capacity) this.shift();
    const before = this.entries.size;
    this.entries.set(key, value);
    if (this.entries.size > before) {
      if (before === this.order.length) this.grow();
      const slot = this.head + before;
      this.order[slot >= this.order.length ? slot - this.order.length : slot] = key;
    }
  }

  /** Doubles the full ring (up to `capacity`), its oldest key moving to index 0. */
  private grow(): void {
    const size = Math.min(this.capacity, 2 * this.order.length);
    const grown = [...this.order.slice(this.head), ...this.order.slice(0, this.head)];
    while (grown.length < size) grown.push(undefined);
    this.order = grown;
    this.head = 0;
  }

  /** The oldest entry's value, or undefined when empty. */
  oldest(): V | undefined {
    return this.entries.size === 0 ? undefined : this.entries.get(this.order[this.head]!);
  }

  /** Forgets the oldest entry (none when empty). */
  shift(): void {
    if (this.entries.size === 0) return;
    this.entries.delete(this.order[this.head]!);
    this.order[this.head] = undefined;
    this.head = this.head + 1 === this.order.length ? 0 : this.head + 1;
  }
}
