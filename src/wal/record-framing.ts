import { crc32 } from 'node:zlib';

/**
 * The frame around every record. Little-endian, 24 bytes of header, then the payload:
 *
 *   0  magic        4 bytes  "THW1" — lets a scan find the next record after damage
 *   4  length       u32      payload bytes
 *   8  sequence     u64      the record's position in the log (monotonic, never reused)
 *  16  payload CRC  u32      CRC-32 (zlib) of the payload
 *  20  header CRC   u32      CRC-32 of bytes 0..20, so a damaged length is never trusted
 *
 * The header CRC is what makes resynchronisation safe: a stray "THW1" inside a payload is a
 * record start only if the 16 bytes after it also hash to the next 4 (a 1 in 2^32 accident).
 */
export const RECORD_MAGIC = Buffer.from('THW1', 'latin1');
export const HEADER_BYTES = 24;
/** A u32 length field; a payload must also fit in one segment, which is checked on append. */
export const MAX_PAYLOAD_BYTES = 0xffff_ffff;

export interface RecordHeader {
  readonly length: number;
  readonly sequence: number;
  readonly payloadCrc: number;
}

export function encodeHeader(sequence: number, payload: Buffer): Buffer {
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  RECORD_MAGIC.copy(header, 0);
  header.writeUInt32LE(payload.length, 4);
  header.writeBigUInt64LE(BigInt(sequence), 8);
  header.writeUInt32LE(crc32(payload), 16);
  header.writeUInt32LE(crc32(header.subarray(0, 20)), 20);
  return header;
}

/** The header at `offset`, or undefined when the bytes there are not an intact header. */
export function decodeHeader(buffer: Buffer, offset: number): RecordHeader | undefined {
  if (offset + HEADER_BYTES > buffer.length) return undefined;
  if (buffer.compare(RECORD_MAGIC, 0, 4, offset, offset + 4) !== 0) return undefined;
  if (crc32(buffer.subarray(offset, offset + 20)) !== buffer.readUInt32LE(offset + 20)) return undefined;
  const sequence = buffer.readBigUInt64LE(offset + 8);
  // Sequences are JS numbers (exact up to 2^53); anything larger was never written by us.
  if (sequence > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return {
    length: buffer.readUInt32LE(offset + 4),
    sequence: Number(sequence),
    payloadCrc: buffer.readUInt32LE(offset + 16),
  };
}

export function payloadIntact(header: RecordHeader, payload: Buffer): boolean {
  return crc32(payload) === header.payloadCrc;
}
