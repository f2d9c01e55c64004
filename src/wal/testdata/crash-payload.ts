import { createHash } from 'node:crypto';

/**
 * The payload the crash test's child appends for a record id: the id, then filler derived from
 * it, of a length that varies with it — so the parent can tell an intact record from a torn one.
 */
export function crashPayload(id: string): Buffer {
  const digest = createHash('sha256').update(id).digest();
  const filler = Buffer.alloc(digest.readUInt16LE(0) % 3000, digest.toString('hex'));
  return Buffer.concat([Buffer.from(`${id}|`), filler]);
}

export function crashPayloadId(payload: Buffer): string {
  return payload.subarray(0, payload.indexOf('|')).toString();
}
