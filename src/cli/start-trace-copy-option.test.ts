import { describe, expect, it } from 'vitest';
import { resolveStartConfig } from './start-options.js';

describe('--trace-copy of tracehouse start', () => {
  it('writes the copy by default; a flag or variable turns it off', () => {
    expect(resolveStartConfig({}, {}).traceCopy).toBe(true);
    expect(resolveStartConfig({ traceCopy: 'off' }, {}).traceCopy).toBe(false);
    expect(resolveStartConfig({}, { TRACEHOUSE_TRACE_COPY: 'off' }).traceCopy).toBe(false);
    expect(resolveStartConfig({ traceCopy: 'on' }, { TRACEHOUSE_TRACE_COPY: 'off' }).traceCopy).toBe(true);
  });

  it('names the flag of a bad value', () => {
    expect(() => resolveStartConfig({ traceCopy: 'no' }, {})).toThrow(
      '--trace-copy: "no" is not one of on, off',
    );
  });
});
