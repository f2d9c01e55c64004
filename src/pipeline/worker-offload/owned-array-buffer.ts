/**
 * `parts` copied one after the other into a new ArrayBuffer of exactly their length, which the
 * sender can transfer to another thread. Not the parts' own memory: a Buffer may be a view into
 * Node's shared pool or into a larger request, and transferring that would detach the rest.
 * The copy costs about a microsecond per 10 KB, far less than the decoding it moves off the main thread.
 */
export function ownedArrayBuffer(parts: readonly Uint8Array[]): ArrayBuffer {
  let length = 0;
  for (const part of parts) length += part.length;
  const buffer = new ArrayBuffer(length);
  const bytes = new Uint8Array(buffer);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return buffer;
}
