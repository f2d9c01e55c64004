import { describe, expect, it } from 'vitest';
import { FifoMap } from './fifo-map.js';

/** What FifoMap replaces: a `Map` whose first key (`keys().next()`) is the oldest. */
class MapInInsertionOrder<V> {
  readonly entries = new Map<string, V>();
  constructor(private readonly capacity: number) {}
  set(key: string, value: V): void {
    if (this.entries.size >= this.capacity) this.shift();
    this.entries.set(key, value);
  }
  oldest(): V | undefined {
    const first = this.entries.keys().next();
    return first.done ? undefined : this.entries.get(first.value);
  }
  shift(): void {
    const first = this.entries.keys().next();
    if (!first.done) this.entries.delete(first.value);
  }
}

describe('FifoMap', () => {
  it('holds up to its capacity and forgets the oldest first', () => {
    const map = new FifoMap<number>(3);
    map.set('a', 1);
    map.set('b', 2);
    map.set('c', 3);
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([1, 2, 3]);
    map.set('d', 4);
    expect(map.get('a')).toBeUndefined();
    expect([map.get('b'), map.get('c'), map.get('d')]).toEqual([2, 3, 4]);
    expect(map.size).toBe(3);
    expect(map.oldest()).toBe(2);
    map.shift();
    expect(map.oldest()).toBe(3);
    expect(map.size).toBe(2);
  });

  it('keeps the place of a key set again, as a Map keeps its key', () => {
    const map = new FifoMap<boolean>(3);
    map.set('a', true);
    map.set('b', true);
    map.set('a', false);
    map.set('c', true);
    expect(map.oldest()).toBe(false);
    map.set('d', true);
    expect(map.get('a')).toBeUndefined();
    expect(map.oldest()).toBe(true);
    expect(map.get('b')).toBe(true);
  });

  it('is empty after shifting everything, and shifting an empty map does nothing', () => {
    const map = new FifoMap<number>(4);
    map.shift();
    map.set('a', 1);
    map.shift();
    map.shift();
    expect(map.size).toBe(0);
    expect(map.oldest()).toBeUndefined();
    map.set('b', 2);
    expect(map.oldest()).toBe(2);
  });

  it('answers as a Map in insertion order over growth and many wraps of its ring', () => {
    for (const capacity of [1, 2, 7, 16, 17, 100]) {
      const map = new FifoMap<number>(capacity);
      const reference = new MapInInsertionOrder<number>(capacity);
      let seed = capacity;
      const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
      for (let i = 0; i < 20_000; i++) {
        // Keys from a pool larger than the capacity, so some are set again while still held;
        // shifts now and then, as the tail sampler's decisions take the oldest waiting traces.
        if (random() < 0.2) {
          map.shift();
          reference.shift();
        } else {
          const key = `t${Math.floor(random() * capacity * 1.5)}`;
          map.set(key, i);
          reference.set(key, i);
        }
        expect(map.size).toBe(reference.entries.size);
        expect(map.oldest()).toBe(reference.oldest());
      }
      for (let key = 0; key < capacity * 1.5; key++)
        expect(map.get(`t${key}`), `capacity ${capacity}, t${key}`).toBe(reference.entries.get(`t${key}`));
    }
  });
});
