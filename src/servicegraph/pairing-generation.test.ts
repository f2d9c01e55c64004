import { describe, expect, it } from 'vitest';
import { PairingGeneration } from './pairing-generation.js';

describe('PairingGeneration marks', () => {
  it('tells an absent key for sure, a parent key from a child key', () => {
    const generation = new PairingGeneration(1000);
    expect(generation.mayHaveParent(12345)).toBe(false);
    expect(generation.mayHaveChild(12345)).toBe(false);
    generation.markParent(12345);
    expect(generation.mayHaveParent(12345)).toBe(true);
    expect(generation.mayHaveChild(12345)).toBe(false);
    generation.markChild(777);
    expect(generation.mayHaveChild(777)).toBe(true);
    expect(generation.mayHaveParent(777)).toBe(false);
  });

  it('never forgets a marked key, however many share its slot', () => {
    // Sized for nothing: the fewest slots, so these keys share slots.
    const generation = new PairingGeneration();
    const keys = Array.from({ length: 50_000 }, (_, i) => (i * 2_654_435_761) & 0x3fffffff);
    for (const key of keys) generation.markParent(key);
    for (const key of keys) expect(generation.mayHaveParent(key)).toBe(true);
  });

  it('lets few absent keys through when sized for its spans', () => {
    const generation = new PairingGeneration(10_000);
    for (let i = 0; i < 10_000; i++) generation.markParent((i * 2_654_435_761) & 0x3fffffff);
    let through = 0;
    for (let i = 0; i < 10_000; i++)
      if (generation.mayHaveParent((i * 40_503 + 12_345_678) & 0x3fffffff)) through++;
    expect(through).toBeLessThan(2_000);
  });
});
