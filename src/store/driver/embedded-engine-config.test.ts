import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedDriver } from './embedded-driver.js';
import { embeddedEngineConfig } from './embedded-engine-config.js';

const GiB = 1024 * 1024 * 1024;

describe('embeddedEngineConfig', () => {
  it('purges freed pages past ~64 MiB whatever the memory ClickHouse sizes its limit by', () => {
    for (const memory of [2 * GiB, 8 * GiB, 64 * GiB]) {
      const ratio = Number(
        /<memory_worker_purge_dirty_pages_threshold_ratio>([\d.e-]+)</.exec(
          embeddedEngineConfig(memory),
        )?.[1],
      );
      // The threshold is this share of max_server_memory_usage, 0.9 of the memory by default.
      expect(ratio * 0.9 * memory).toBeGreaterThan(63 * 1024 * 1024);
      expect(ratio * 0.9 * memory).toBeLessThan(65 * 1024 * 1024);
    }
  });

  it('never purges later than ClickHouse would by default (0.2 of the limit)', () => {
    expect(embeddedEngineConfig(64 * 1024 * 1024)).toContain(
      '<memory_worker_purge_dirty_pages_threshold_ratio>0.200</memory_worker_purge_dirty_pages_threshold_ratio>',
    );
  });
});

describe('EmbeddedDriver engine configuration', () => {
  it('opens the engine with the config file applied', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tracehouse-engine-config-'));
    const driver = await EmbeddedDriver.open(dir);
    try {
      expect(
        await driver.text(
          "SELECT value FROM system.merge_tree_settings WHERE name = 'vertical_merge_algorithm_min_rows_to_activate'",
        ),
      ).toBe('1\n');
      // Inserted parts are fsynced before the insert returns: the log then drops its copy.
      expect(
        await driver.text(
          `SELECT name, value FROM system.merge_tree_settings
           WHERE name IN ('fsync_after_insert', 'fsync_part_directory') ORDER BY name`,
        ),
      ).toBe('fsync_after_insert\t1\nfsync_part_directory\t1\n');
      const server = await driver.query<{ name: string; value: string }>(
        `SELECT name, value FROM system.server_settings
         WHERE name IN ('mark_cache_size', 'index_mark_cache_size', 'memory_worker_purge_dirty_pages_threshold_ratio',
           'memory_worker_use_cgroup')
         ORDER BY name`,
      );
      expect(server.map((s) => s.name)).toEqual([
        'index_mark_cache_size',
        'mark_cache_size',
        'memory_worker_purge_dirty_pages_threshold_ratio',
        'memory_worker_use_cgroup',
      ]);
      const [indexMarks, marks, dirtyRatio, useCgroup] = server.map((s) => Number(s.value));
      expect([indexMarks, marks]).toEqual([64 * 1024 * 1024, 128 * 1024 * 1024]);
      // ClickHouse's default is 1.
      expect(useCgroup).toBe(0);
      expect(dirtyRatio).toBeGreaterThan(0);
      expect(dirtyRatio).toBeLessThanOrEqual(0.2);
      // A flush-sized insert (one block of 24 MB: a wide part by ClickHouse's default) makes a
      // compact part.
      expect(
        await driver.text(
          "SELECT value FROM system.merge_tree_settings WHERE name = 'min_parts_to_merge_at_once'",
        ),
      ).toBe('10\n');
      // Merges join parts of like size (ClickHouse's default base is 5).
      expect(
        await driver.text("SELECT value FROM system.merge_tree_settings WHERE name = 'merge_selector_base'"),
      ).toBe('10\n');
      await driver.exec(
        'CREATE TABLE default.flush_sized (n UInt64, m UInt64, k UInt64) ENGINE = MergeTree ORDER BY n',
      );
      await driver.exec(
        'INSERT INTO default.flush_sized SELECT number, number * 3, number * 7 FROM numbers(1000000)',
      );
      expect(
        await driver.text(
          "SELECT part_type FROM system.parts WHERE database = 'default' AND table = 'flush_sized' AND active",
        ),
      ).toBe('Compact\n');
      // And it still answers as before (64-bit integers quoted).
      expect(await driver.query('SELECT toUInt64(1) AS n')).toEqual([{ n: '1' }]);
    } finally {
      await driver.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
