import { describe, expect, it } from 'vitest';
import { collectIsolateGarbage, isolateMemoryBytes } from './isolate-memory.js';

const MIB = 1024 * 1024;

describe('collectIsolateGarbage', () => {
  it("takes the garbage Buffers left out of this isolate's figure at once", () => {
    collectIsolateGarbage();
    const before = isolateMemoryBytes();
    let litter: Buffer[] | undefined = Array.from({ length: 64 }, () => Buffer.alloc(MIB, 1));
    expect(isolateMemoryBytes() - before).toBeGreaterThan(48 * MIB);
    litter = undefined;
    collectIsolateGarbage();
    expect(litter).toBeUndefined();
    expect(isolateMemoryBytes() - before).toBeLessThan(16 * MIB);
  });
});
