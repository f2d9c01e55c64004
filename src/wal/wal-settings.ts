import { HEADER_BYTES } from './record-framing.js';
import type { WalFileSystem } from './wal-file-system.js';
import { nodeFileSystem } from './wal-file-system.js';
import type { WalDamage, WalOptions } from './wal-types.js';
import { WAL_DEFAULTS } from './wal-types.js';

/** The options with defaults applied, validated once at open. */
export interface WalSettings {
  readonly dir: string;
  readonly segmentMaxBytes: number;
  readonly maxTotalBytes: number;
  readonly syncIntervalMs: number;
  readonly memoryTailBytes: number;
  readonly onDamage: ((damage: WalDamage) => void) | undefined;
  readonly fs: WalFileSystem;
}

/** Segments are indexed with 32-bit offsets; a gibibyte is far past any useful segment size. */
const MAX_SEGMENT_BYTES = 1024 * 1024 * 1024;

export function resolveWalSettings(options: WalOptions): WalSettings {
  const segmentMaxBytes = options.segmentMaxBytes ?? WAL_DEFAULTS.segmentMaxBytes;
  const maxTotalBytes = options.maxTotalBytes ?? Math.max(WAL_DEFAULTS.maxTotalBytes, segmentMaxBytes);
  const syncIntervalMs = options.syncIntervalMs ?? WAL_DEFAULTS.syncIntervalMs;
  if (
    !Number.isSafeInteger(segmentMaxBytes) ||
    segmentMaxBytes <= HEADER_BYTES ||
    segmentMaxBytes > MAX_SEGMENT_BYTES
  ) {
    throw new RangeError(
      `segmentMaxBytes must be an integer between ${HEADER_BYTES + 1} and ${MAX_SEGMENT_BYTES}`,
    );
  }
  // Below one segment the log could fill with a partly flushed segment it may not delete yet.
  if (!Number.isSafeInteger(maxTotalBytes) || maxTotalBytes < segmentMaxBytes) {
    throw new RangeError(`maxTotalBytes must be an integer of at least segmentMaxBytes (${segmentMaxBytes})`);
  }
  if (!(syncIntervalMs >= 0)) throw new RangeError('syncIntervalMs must be 0 or more');
  const memoryTailBytes = options.memoryTailBytes ?? WAL_DEFAULTS.memoryTailBytes;
  if (!Number.isSafeInteger(memoryTailBytes) || memoryTailBytes < 0)
    throw new RangeError('memoryTailBytes must be an integer of 0 or more');
  return {
    dir: options.dir,
    segmentMaxBytes,
    maxTotalBytes,
    syncIntervalMs,
    memoryTailBytes,
    onDamage: options.onDamage,
    fs: options.fileSystem ?? nodeFileSystem,
  };
}
