import type { PendingSpan } from './pending-span.js';

/** Slots of the marks a span, about: ~10% of the lookups of an absent key get past them. */
const SLOTS_PER_SPAN = 8;
/** 1 KiB of marks: an idle tenant's generations hold next to nothing. */
const MIN_SLOTS = 1 << 12;
/** 2 MiB of marks: past this, more spans only make the marks let more absent keys through. */
const MAX_SLOTS = 1 << 23;

/**
 * The spans that arrived during one wait period: parents under the key of their span id,
 * children under the key of their parent's span id (span-id-key.ts; each a chain, as ids repeat
 * across traces and keys across ids). Expiry drops a whole generation at once — no timestamp per
 * span, no sweep of the young ones.
 *
 * Most lookups find nothing (a span's id in the maps of children waiting for it, a child's parent
 * id in the older generation), and each costs cache misses in maps of 100k entries. The marks, two
 * bits a slot of keys (a parent was put under one, a child was), small enough to stay in the
 * cache, answer most of those at once: an unmarked key is in neither map. A mark is never cleared
 * (a child leaves its map when paired), so a marked key may still be absent: then the map says so.
 */
export class PairingGeneration {
  readonly parents = new Map<number, PendingSpan>();
  readonly children = new Map<number, PendingSpan>();
  /** Map memberships held (a span waiting as both parent and child counts twice). */
  size = 0;
  private readonly marks: Uint32Array;
  private readonly slotMask: number;

  /** `expectedSpans`: how many spans it will likely hold, to size the marks (the last generation's). */
  constructor(expectedSpans = 0) {
    let slots = MIN_SLOTS;
    while (slots < expectedSpans * SLOTS_PER_SPAN && slots < MAX_SLOTS) slots *= 2;
    this.marks = new Uint32Array(slots >>> 4);
    this.slotMask = slots - 1;
  }

  markParent(key: number): void {
    const slot = key & this.slotMask;
    this.marks[slot >>> 4] |= 1 << ((slot & 15) << 1);
  }

  markChild(key: number): void {
    const slot = key & this.slotMask;
    this.marks[slot >>> 4] |= 2 << ((slot & 15) << 1);
  }

  /** False when no parent was put under `key`; true when one may have been. */
  mayHaveParent(key: number): boolean {
    const slot = key & this.slotMask;
    return ((this.marks[slot >>> 4] >>> ((slot & 15) << 1)) & 1) !== 0;
  }

  /** False when no child was put under `key`; true when one may have been (and may still wait). */
  mayHaveChild(key: number): boolean {
    const slot = key & this.slotMask;
    return ((this.marks[slot >>> 4] >>> ((slot & 15) << 1)) & 2) !== 0;
  }
}
