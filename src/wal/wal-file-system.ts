import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

/**
 * The few file operations the log performs, as a seam: tests wrap the real implementation to
 * count fsyncs or to fail a write with ENOSPC halfway, which no unprivileged test can make a real
 * disk do on demand.
 */
export interface WalFile {
  /** Writes every byte of `buffers`, in order, starting at `position`, or rejects. */
  writeAll(buffers: readonly Buffer[], position: number): Promise<void>;
  read(buffer: Buffer, bufferOffset: number, length: number, position: number): Promise<number>;
  /** fdatasync: the data and the size are durable; other metadata (mtime) need not be. */
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  size(): Promise<number>;
  close(): Promise<void>;
}

/** read: existing file, read-only · write: existing file, read-write · create: new file, fails if it exists · replace: create or empty. */
export type OpenMode = 'read' | 'write' | 'create' | 'replace';

export interface WalFileSystem {
  openFile(path: string, mode: OpenMode): Promise<WalFile>;
  readdir(dir: string): Promise<string[]>;
  mkdir(dir: string): Promise<void>;
  unlink(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** fsync a directory, so that files created, renamed or removed in it stay so after a crash. */
  syncDir(dir: string): Promise<void>;
}

const FLAGS: Record<OpenMode, string> = { read: 'r', write: 'r+', create: 'wx', replace: 'w' };

class NodeWalFile implements WalFile {
  constructor(private readonly handle: FileHandle) {}

  async writeAll(buffers: readonly Buffer[], position: number): Promise<void> {
    let pending = buffers.filter((b) => b.length > 0);
    while (pending.length > 0) {
      // writev may write less than asked (signals, huge vectors); continue where it stopped.
      const { bytesWritten } = await this.handle.writev(pending, position);
      position += bytesWritten;
      pending = dropBytes(pending, bytesWritten);
    }
  }

  async read(buffer: Buffer, bufferOffset: number, length: number, position: number): Promise<number> {
    return (await this.handle.read(buffer, bufferOffset, length, position)).bytesRead;
  }

  datasync(): Promise<void> {
    return this.handle.datasync();
  }

  truncate(length: number): Promise<void> {
    return this.handle.truncate(length);
  }

  async size(): Promise<number> {
    return (await this.handle.stat()).size;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

function dropBytes(buffers: Buffer[], count: number): Buffer[] {
  const rest: Buffer[] = [];
  for (const buffer of buffers) {
    if (count >= buffer.length) {
      count -= buffer.length;
    } else {
      rest.push(count > 0 ? buffer.subarray(count) : buffer);
      count = 0;
    }
  }
  return rest;
}

export const nodeFileSystem: WalFileSystem = {
  async openFile(path, mode) {
    return new NodeWalFile(await open(path, FLAGS[mode]));
  },
  readdir: (dir) => readdir(dir),
  async mkdir(dir) {
    await mkdir(dir, { recursive: true });
  },
  unlink: (path) => unlink(path),
  rename: (from, to) => rename(from, to),
  async syncDir(dir) {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};
