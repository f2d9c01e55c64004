import { describe, expect, it } from 'vitest';
import { COPY_TRUST_DELAY_SECONDS, copyTrustedFrom } from './trace-copy-changes.js';

describe('copyTrustedFrom', () => {
  const off = (at: number) => ({ at, enabled: false });
  const on = (at: number) => ({ at, enabled: true });

  it('trusts every copy row when the copy was never off', () => {
    expect(copyTrustedFrom([], true)).toBe(0);
  });

  it('reads no copy row while the copy is off', () => {
    expect(copyTrustedFrom([], false)).toBe(Infinity);
    expect(copyTrustedFrom([off(100), on(200)], false)).toBe(Infinity);
  });

  it('trusts rows starting a delay after the copy was last turned on again', () => {
    expect(copyTrustedFrom([off(100), on(200)], true)).toBe(200 + COPY_TRUST_DELAY_SECONDS);
    expect(copyTrustedFrom([off(100), on(200), off(300), on(400.5)], true)).toBe(
      401 + COPY_TRUST_DELAY_SECONDS,
    );
  });
});
