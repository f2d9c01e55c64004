import { describe, expect, it } from 'vitest';
import { resolveStartConfig } from './start-options.js';

describe('--skip-indexes of tracehouse start', () => {
  it('gives new databases bloom filters by default; a flag or variable asks for text indexes', () => {
    expect(resolveStartConfig({}, {}).textIndexes).toBe(false);
    expect(resolveStartConfig({ skipIndexes: 'text' }, {}).textIndexes).toBe(true);
    expect(resolveStartConfig({}, { TRACEHOUSE_SKIP_INDEXES: 'text' }).textIndexes).toBe(true);
    expect(
      resolveStartConfig({ skipIndexes: 'bloom_filter' }, { TRACEHOUSE_SKIP_INDEXES: 'text' }).textIndexes,
    ).toBe(false);
  });

  it('names the flag of a bad value', () => {
    expect(() => resolveStartConfig({ skipIndexes: 'bloom' }, {})).toThrow(
      '--skip-indexes: "bloom" is not one of bloom_filter, text',
    );
  });
});
