import { describe, expect, it } from 'vitest';
import { decodeHeader, encodeHeader, HEADER_BYTES, payloadIntact } from './record-framing.js';

describe('record framing', () => {
  const payload = Buffer.from('rows for clickhouse');

  it('round-trips a header', () => {
    const header = encodeHeader(2 ** 40 + 7, payload);
    expect(header.length).toBe(HEADER_BYTES);
    const decoded = decodeHeader(header, 0);
    expect(decoded).toMatchObject({ length: payload.length, sequence: 2 ** 40 + 7 });
    expect(payloadIntact(decoded!, payload)).toBe(true);
  });

  it('rejects a header with any byte changed, so a damaged length is never followed', () => {
    const header = encodeHeader(5, payload);
    for (let i = 0; i < HEADER_BYTES; i++) {
      const copy = Buffer.from(header);
      copy[i] ^= 0x01;
      expect(decodeHeader(copy, 0), `byte ${i}`).toBeUndefined();
    }
  });

  it('detects a changed payload', () => {
    const decoded = decodeHeader(encodeHeader(5, payload), 0)!;
    const changed = Buffer.from(payload);
    changed[3] ^= 0x80;
    expect(payloadIntact(decoded, changed)).toBe(false);
  });

  it('does not read past the buffer', () => {
    expect(decodeHeader(encodeHeader(1, payload).subarray(0, HEADER_BYTES - 1), 0)).toBeUndefined();
  });
});
