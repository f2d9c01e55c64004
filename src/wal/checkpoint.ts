import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { errorCode } from './wal-errors.js';
import type { WalFileSystem } from './wal-file-system.js';

/**
 * The flushed position, in a 16-byte file: magic "THC1", the position as u64 LE, and a CRC-32
 * of those 12 bytes. It is replaced atomically (write a temporary file, fsync it, rename it over,
 * fsync the folder), so after any crash it holds either the old or the new position, whole.
 */
export const CHECKPOINT_FILE = 'checkpoint';
const TEMP_FILE = 'checkpoint.tmp';
const MAGIC = Buffer.from('THC1', 'latin1');
const BYTES = 16;

export type CheckpointRead =
  | { readonly kind: 'found'; readonly flushed: number }
  | { readonly kind: 'missing' }
  | { readonly kind: 'damaged'; readonly length: number };

export async function readCheckpoint(fs: WalFileSystem, dir: string): Promise<CheckpointRead> {
  let file;
  try {
    file = await fs.openFile(join(dir, CHECKPOINT_FILE), 'read');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  try {
    const size = await file.size();
    const bytes = Buffer.alloc(BYTES);
    const read = size === BYTES ? await file.read(bytes, 0, BYTES, 0) : 0;
    if (read !== BYTES || !bytes.subarray(0, 4).equals(MAGIC)) return { kind: 'damaged', length: size };
    if (crc32(bytes.subarray(0, 12)) !== bytes.readUInt32LE(12)) return { kind: 'damaged', length: size };
    const flushed = bytes.readBigUInt64LE(4);
    if (flushed > BigInt(Number.MAX_SAFE_INTEGER)) return { kind: 'damaged', length: size };
    return { kind: 'found', flushed: Number(flushed) };
  } finally {
    await file.close();
  }
}

export async function writeCheckpoint(fs: WalFileSystem, dir: string, flushed: number): Promise<void> {
  const bytes = Buffer.alloc(BYTES);
  MAGIC.copy(bytes, 0);
  bytes.writeBigUInt64LE(BigInt(flushed), 4);
  bytes.writeUInt32LE(crc32(bytes.subarray(0, 12)), 12);
  const temp = join(dir, TEMP_FILE);
  const file = await fs.openFile(temp, 'replace');
  try {
    await file.writeAll([bytes], 0);
    await file.datasync();
  } finally {
    await file.close();
  }
  await fs.rename(temp, join(dir, CHECKPOINT_FILE));
  await fs.syncDir(dir);
}
