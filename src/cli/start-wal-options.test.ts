import { describe, expect, it } from 'vitest';
import { resolveStartConfig } from './start-options.js';

describe('write-ahead log options of tracehouse start', () => {
  it('keeps 128 MiB of the newest records in memory by default; a flag or variable changes it, 0 keeps none', () => {
    expect(resolveStartConfig({}, {}).walMemoryBytes).toBe(128 * 1024 * 1024);
    expect(resolveStartConfig({ walMemoryMib: '32' }, {}).walMemoryBytes).toBe(32 * 1024 * 1024);
    expect(resolveStartConfig({}, { TRACEHOUSE_WAL_MEMORY_MIB: '0' }).walMemoryBytes).toBe(0);
  });

  it('names the flag of a bad value', () => {
    expect(() => resolveStartConfig({ walMemoryMib: '-1' }, {})).toThrow(
      '--wal-memory-mib: "-1" is not a number of MiB (0 or more)',
    );
  });
});
