import { describe, expect, it } from 'vitest';
import { checkRetention, MAX_RETENTION_SECONDS } from '../store/schema/retention-ttl.js';
import { resolveStartConfig } from './start-options.js';

describe('--retention of tracehouse start', () => {
  it('takes up to 50 years, and 0 for forever', () => {
    expect(resolveStartConfig({ retention: '18262d' }, {}).retentionSeconds).toBe(MAX_RETENTION_SECONDS);
    expect(resolveStartConfig({ retention: '0' }, {}).retentionSeconds).toBe(0);
    expect(resolveStartConfig({}, {}).retentionSeconds).toBe(7 * 86_400);
  });

  it('refuses a retention whose TTL would wrap past 2106 and expire everything at once', () => {
    for (const retention of ['18263d', '36500d']) {
      expect(() => resolveStartConfig({ retention }, {})).toThrow(
        '--retention: retention of at most 18262d (50 years): a longer one would expire spans past 2106, ' +
          'the last date ClickHouse keeps a TTL for; 0 keeps spans forever',
      );
    }
    expect(() => resolveStartConfig({}, { TRACEHOUSE_RETENTION: '30000d' })).toThrow(
      /^TRACEHOUSE_RETENTION: retention of at most/,
    );
    expect(() => checkRetention(MAX_RETENTION_SECONDS + 1)).toThrow(RangeError);
  });
});
