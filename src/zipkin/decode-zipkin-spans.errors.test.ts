import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeZipkinSpans, ZipkinDecodeError } from './decode-zipkin-spans.js';

/** Every malformed body in testdata/malformed-spans.json, with the exact message it must give. */

interface MalformedCase {
  case: string;
  body: unknown;
  error: string;
}

const cases = JSON.parse(
  readFileSync(new URL('./testdata/malformed-spans.json', import.meta.url), 'utf8'),
) as MalformedCase[];

function decodeError(body: unknown): ZipkinDecodeError {
  try {
    decodeZipkinSpans(body);
  } catch (error) {
    if (error instanceof ZipkinDecodeError) return error;
    throw error;
  }
  throw new Error('decoded without an error');
}

describe('decodeZipkinSpans on malformed bodies', () => {
  it.each(cases)('rejects a body where $case', ({ body, error }) => {
    const thrown = decodeError(body);
    expect(thrown.message).toBe(error);
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown.name).toBe('ZipkinDecodeError');
    expect(thrown.path).toBe(error.slice(0, error.indexOf(': ')));
  });

  it('accepts what zipkin-go accepts as absent or empty', () => {
    const span = { traceId: '5982fe77008310cc80f1da5e10147517', id: 'bd7a977555f6b982' };
    const decoded = decodeZipkinSpans([
      {
        ...span,
        parentId: '',
        name: null,
        kind: null,
        timestamp: null,
        duration: null,
        debug: null,
        shared: null,
        localEndpoint: null,
        remoteEndpoint: { ipv4: '', ipv6: '' },
        annotations: null,
        tags: null,
        binaryAnnotations: [{ key: 'unknown fields are ignored' }],
      },
    ]);
    const decodedSpan = decoded[0].scopeSpans[0].spans[0];
    expect(decodedSpan.parentSpanId).toBe('');
    expect(decodedSpan.attributes).toEqual([{ key: 'otel.zipkin.absentField.startTime', value: true }]);
  });

  it('accepts an empty body', () => {
    expect(decodeZipkinSpans([])).toEqual([]);
  });
});
