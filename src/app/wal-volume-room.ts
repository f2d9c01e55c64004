import { mkdir, readdir, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';

export interface WalVolumeRoom {
  /** The log's cap to use: the configured one, or less when its volume cannot hold that much. */
  maxTotalBytes: number;
  /** Set when the cap was lowered: what the volume has room for, for a warning. */
  lowered?: { configured: number; roomBytes: number };
}

/** The least cap the log is given, whatever the volume says: room for a few segments. */
const MIN_CAP_BYTES = 4 * 1024 * 1024;

/**
 * The write-ahead log's cap (`--wal-max-mib`), lowered to what its volume can hold beside what a
 * flush needs there. A log that fills its volume before reaching its cap cannot be flushed: each
 * flush writes spool files of its rows and a new checkpoint file in the log's folder, so with no
 * room left the log never frees its segments, and every request is refused until someone deletes
 * files. Capped below the volume's room, the log answers "full" (429) first, as it would when
 * ClickHouse lags, and the flusher goes on. Measured once, at open: a volume that other files
 * fill later can still run out (each append is then refused with a clear ENOSPC error).
 */
export async function walVolumeRoom(
  dir: string,
  configuredBytes: number,
  flushNeedsBytes: number,
): Promise<WalVolumeRoom> {
  await mkdir(dir, { recursive: true });
  const volume = await statfs(dir);
  const available = volume.bavail * volume.bsize;
  return capForRoom(configuredBytes, await filesBytes(dir), available, flushNeedsBytes);
}

/** The cap given the log's files now, the volume's free bytes, and what a flush writes beside the log. */
export function capForRoom(
  configuredBytes: number,
  logBytes: number,
  availableBytes: number,
  flushNeedsBytes: number,
): WalVolumeRoom {
  const roomBytes = Math.max(MIN_CAP_BYTES, logBytes + availableBytes - flushNeedsBytes);
  if (roomBytes >= configuredBytes) return { maxTotalBytes: configuredBytes };
  return { maxTotalBytes: roomBytes, lowered: { configured: configuredBytes, roomBytes } };
}

/** Bytes of the regular files directly in `dir`: the log's segments and its small state files. */
async function filesBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true }))
    if (entry.isFile()) total += (await stat(join(dir, entry.name))).size;
  return total;
}
