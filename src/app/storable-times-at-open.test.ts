import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger.js';
import { lastStorableTime, lastStorableTimeText } from '../model/storable-times.js';
import { openEmbeddedStore } from './open-embedded-store.js';

/*
 * The store's retention decides which span times the receivers take: the TTL's 32-bit seconds
 * wrap within the retention of 2106, and a span there would be dropped by its own insert.
 */

const dir = mkdtempSync(join(tmpdir(), 'tracehouse-storable-times-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('opening the store', () => {
  it('limits span times to the retention before 2106', async () => {
    expect(lastStorableTimeText()).toBe('2106-02-07T06:28:15Z');
    const week = 7 * 86_400;
    const storage = await openEmbeddedStore(
      { dataDir: dir, retentionSeconds: week, walMaxBytes: 64 * 1024 * 1024, flushIntervalMs: 1000 },
      silentLogger(),
    );
    try {
      expect(lastStorableTime()).toBe((2n ** 32n - BigInt(week)) * 1_000_000_000n - 1n);
      expect(lastStorableTimeText()).toBe('2106-01-31T06:28:15Z');
    } finally {
      await storage.exporter.shutdown();
      await storage.close();
    }
  }, 60_000);
});
