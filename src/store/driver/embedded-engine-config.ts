import { writeFile } from 'node:fs/promises';
import { constrainedMemory } from 'node:process';
import { totalmem } from 'node:os';
import { join } from 'node:path';

/** Freed engine memory that may stay resident before ClickHouse hands it back to the system. */
const DIRTY_PAGES_PURGE_BYTES = 64 * 1024 * 1024;

/**
 * Server configuration for the embedded engine, which shares one process (and its memory) with
 * Node, where ClickHouse's defaults assume a server that owns the machine. Written into the data
 * folder (beside `clickhouse/`) at each open and handed to chdb as `--config-file`: chdb 3.4 takes
 * server settings as `--name=value` connection arguments but ignores `--merge_tree.*`.
 *
 * Each one measured under sustained ingest (bench/RESULTS.md, "Storage — memory"):
 * - Vertical merges from the first row. A horizontal merge reads every column of every source
 *   part at once; `otel_traces` has ~45 columns (~60 files) a part, so merging 5–6 flush-sized
 *   parts took ~450 MiB of the engine's memory, most of the process's peak RSS. A vertical merge
 *   reads one column at a time: ~60 MiB for the same merge. ClickHouse switches to it only from
 *   131,072 rows (`vertical_merge_algorithm_min_rows_to_activate`), and a flush inserts at most
 *   64 MiB of `otel_traces` rows (~73,000 spans of ~10 attributes), so the first merges, the
 *   most frequent ones, were horizontal.
 * - Freed pages handed back sooner. jemalloc keeps freed pages for 5 s (`dirty_decay_ms`), which
 *   under a flush a second kept up to a few hundred MiB of freed memory resident. ClickHouse's
 *   memory worker purges them once they pass a share of `max_server_memory_usage` (0.9 of the
 *   machine's or cgroup's memory by default, left as it is): the share is set to make it ~64 MiB.
 *   The worker counts from jemalloc's own figures, not the cgroup's (its default where a cgroup
 *   is visible, as on most machines): the cgroup's figure counts Node's memory too. Under 90 s of
 *   overload with the cgroup's figure it purged ~1,100 times and jemalloc still held 210 MiB of
 *   freed pages at the 90th percentile (its resident peak 426–437 MiB); with jemalloc's, ~300
 *   purges, 136 MiB and 320–349, for the same engine CPU a span.
 * - Compact parts for small inserts, and merges of 10 parts. A flush then inserted at most
 *   32 MiB of log (now 64 MiB of `otel_traces` rows, wide above 32 MiB: compact parts up to
 *   128 MiB gained nothing at that size, bench/RESULTS.md); from 10 MiB
 *   (`min_bytes_for_wide_part`) ClickHouse wrote it as a wide part, two files a
 *   column (~90 for `otel_traces`), which the next merge deleted again: a third of the insert's
 *   CPU went to the kernel creating and deleting files. A compact part is one data file. Merging
 *   10 parts at a time instead of from 2 rewrites each row fewer times. Together: the engine's
 *   CPU a span of a flush ~16 → ~10 µs in the insert probe, and merged parts are wide as before,
 *   so reads and bytes on disk are unchanged. Both pay only with large inserts, which the
 *   flusher's pacing keeps (store-exporter.ts).
 * - Fewer, wider merge levels (`merge_selector_base` 10; ClickHouse's default is 5). A merge
 *   takes a run of parts whose total is at least `base` times its largest part, so a row is
 *   rewritten about log_base(partition size / flush size) times: at 10, about a third fewer times.
 *   Under sustained ingest the engine spent 11–16% less CPU a span (its merge threads ~10 → ~8
 *   µs) and stored 6–8% more spans a second, for more parts at a time (27 instead of 20 at 10 M
 *   spans; trace by id unchanged within noise, bench/RESULTS.md).
 * - Inserted parts on disk before the insert returns (`fsync_after_insert`, `fsync_part_directory`;
 *   ClickHouse's defaults leave both to the kernel's writeback). The write-ahead log deletes its
 *   records once a flush's inserts return, so until then the log is their only copy that survives
 *   a power loss; with ClickHouse's defaults a power cut within ~30 s of a flush lost its spans.
 *   A merged part needs no fsync: its source parts stay on disk for `old_parts_lifetime` (8 min),
 *   and at start ClickHouse detaches a broken merged part and brings back the parts it covered.
 *   A flush makes a few parts (`otel_traces`, the lookup table, the copy), each ~100 files or
 *   fewer, so this costs milliseconds a flush (bench/RESULTS.md).
 * - Bounded caches: marks and the skip indexes' marks default to 5 GiB each, but the marks of
 *   10 M spans take a few MiB; 128 / 64 MiB keep every mark a trace read needs and bound what a
 *   long query load adds to the process.
 */
export function embeddedEngineConfig(memoryBytes = engineMemoryBytes()): string {
  // ClickHouse's default max_server_memory_usage is 0.9 of the memory it sees.
  const dirtyRatio = Math.min(0.2, DIRTY_PAGES_PURGE_BYTES / (0.9 * memoryBytes));
  return `<clickhouse>
  <memory_worker_purge_dirty_pages_threshold_ratio>${dirtyRatio.toPrecision(3)}</memory_worker_purge_dirty_pages_threshold_ratio>
  <memory_worker_use_cgroup>0</memory_worker_use_cgroup>
  <mark_cache_size>134217728</mark_cache_size>
  <index_mark_cache_size>67108864</index_mark_cache_size>
  <merge_tree>
    <vertical_merge_algorithm_min_rows_to_activate>1</vertical_merge_algorithm_min_rows_to_activate>
    <min_bytes_for_wide_part>33554432</min_bytes_for_wide_part>
    <min_parts_to_merge_at_once>10</min_parts_to_merge_at_once>
    <merge_selector_base>10</merge_selector_base>
    <fsync_after_insert>1</fsync_after_insert>
    <fsync_part_directory>1</fsync_part_directory>
  </merge_tree>
</clickhouse>
`;
}

/** Writes the engine's config file into `dir` and returns the chdb connection arguments naming it. */
export async function writeEmbeddedEngineConfig(dir: string): Promise<string[]> {
  const file = join(dir, 'engine-config.xml');
  await writeFile(file, embeddedEngineConfig());
  return [`--config-file=${file}`];
}

/** The memory ClickHouse sizes itself by: the machine's, or a smaller cgroup limit. */
function engineMemoryBytes(): number {
  const total = totalmem();
  const limit = constrainedMemory();
  // Node 20 reports no limit as undefined or as a huge number; both mean the machine's memory.
  return limit !== undefined && limit > 0 && limit < total ? limit : total;
}
