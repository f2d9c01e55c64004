import { RowBinaryWriter } from '../rowbinary/rowbinary-writer.js';
import type { NativeColumn } from './native-columns.js';

/** A block's column and row counts; reused (nativeBlockParts hands out a view of it). */
const prefix = new RowBinaryWriter(32);

/** A column of a Native block: its name and ClickHouse type, and the writer holding its data. */
export interface NamedNativeColumn {
  readonly name: string;
  readonly type: string;
  readonly column: NativeColumn;
}

/** The per-column header bytes (name, type), the same for every block of a given layout. */
export function nativeColumnHeaders(columns: readonly NamedNativeColumn[]): Buffer[] {
  return columns.map(({ name, type }) => {
    const w = new RowBinaryWriter(256);
    w.string(name);
    w.string(type);
    return w.take();
  });
}

/**
 * One Native block: column count, row count, then for each column its name, type and streams.
 * Blocks concatenated are a valid Native stream, so batches written one block each can be
 * inserted together as they are.
 */
export function nativeBlock(
  columns: readonly NamedNativeColumn[],
  headers: readonly Buffer[],
  rows: number,
): Buffer {
  return Buffer.concat(nativeBlockParts(columns, headers, rows));
}

/**
 * The bytes of nativeBlock as views into the columns' writers and `headers`, in order: valid
 * until the columns are written again.
 */
export function nativeBlockParts(
  columns: readonly NamedNativeColumn[],
  headers: readonly Buffer[],
  rows: number,
): Buffer[] {
  prefix.reset();
  prefix.varUInt(columns.length);
  prefix.varUInt(rows);
  const parts: Buffer[] = [prefix.contents()];
  for (let i = 0; i < columns.length; i++) {
    parts.push(headers[i]);
    for (const stream of columns[i].column.streams) parts.push(stream.contents());
  }
  return parts;
}
