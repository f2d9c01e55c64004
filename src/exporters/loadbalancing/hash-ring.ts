import { crc32, crc32OfHex } from './crc32.js';

/** The ring's positions: 360 degrees with two decimals, as in the Collector. */
const MAX_POSITIONS = 36_000;
/** Virtual nodes per backend (the Collector's `defaultWeight`). */
const POINTS_PER_BACKEND = 100;

/**
 * The loadbalancing exporter's consistent-hash ring, computed as the Collector's (Karger et al.):
 * each backend takes 100 positions, CRC-32 of its name followed by one byte 0..99, modulo 36,000
 * (a position already taken stays with the backend listed first); a key belongs to the first
 * backend at or after CRC-32(key) mod 36,000, wrapping round. So a Tracehouse and a Collector
 * given the same `hostnames` send a trace to the same backend, and adding or removing a backend
 * moves only about 1/N of the traces.
 */
export class HashRing {
  private readonly positions: Uint32Array;
  private readonly owners: string[];

  constructor(backends: readonly string[]) {
    const taken = new Set<number>();
    const items: { position: number; backend: string }[] = [];
    for (const backend of backends) {
      const name = Buffer.from(backend, 'utf8');
      const bytes = Buffer.alloc(name.length + 1);
      name.copy(bytes);
      for (let i = 0; i < POINTS_PER_BACKEND; i++) {
        bytes[name.length] = i;
        const position = crc32(bytes) % MAX_POSITIONS;
        if (taken.has(position)) continue;
        taken.add(position);
        items.push({ position, backend });
      }
    }
    items.sort((a, b) => a.position - b.position);
    this.positions = Uint32Array.from(items, (item) => item.position);
    this.owners = items.map((item) => item.backend);
  }

  /** The backend for a trace id (hex): the hash is of its 16 bytes, as the Collector hashes `TraceID`. */
  backendForTraceId(traceId: string): string {
    return this.backendAt(crc32OfHex(traceId) % MAX_POSITIONS);
  }

  /** The backend for any other routing key (`service`: the service name's UTF-8 bytes). */
  backendForKey(key: string): string {
    return this.backendAt(crc32(Buffer.from(key, 'utf8')) % MAX_POSITIONS);
  }

  private backendAt(position: number): string {
    const positions = this.positions;
    let low = 0;
    let high = positions.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (positions[mid] < position) low = mid + 1;
      else high = mid;
    }
    return this.owners[low === positions.length ? 0 : low];
  }
}
