import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { OtlpJsonDecodeError } from './decode-error.js';
import {
  decodeExportTraceServiceResponseJson,
  encodeExportTraceServiceResponseJson,
} from './export-trace-response-json.js';

describe('encodeExportTraceServiceResponseJson', () => {
  it('answers full success with an empty message', () => {
    expect(encodeExportTraceServiceResponseJson(undefined)).toStrictEqual({});
    // trace_service.proto: an empty partial success "is equivalent to it not being set".
    expect(encodeExportTraceServiceResponseJson({ rejectedSpans: 0, errorMessage: '' })).toStrictEqual({});
  });

  it('writes rejected spans as an int64 string, and leaves out a default field', () => {
    expect(encodeExportTraceServiceResponseJson({ rejectedSpans: 3, errorMessage: 'bad ids' })).toStrictEqual(
      {
        partialSuccess: { rejectedSpans: '3', errorMessage: 'bad ids' },
      },
    );
    // A warning on a fully accepted request.
    expect(
      encodeExportTraceServiceResponseJson({ rejectedSpans: 0, errorMessage: 'slow down' }),
    ).toStrictEqual({
      partialSuccess: { errorMessage: 'slow down' },
    });
  });

  it('is read by the OpenTelemetry JS exporter as the partial success it is', () => {
    const body = new TextEncoder().encode(
      JSON.stringify(encodeExportTraceServiceResponseJson({ rejectedSpans: 2, errorMessage: 'bad ids' })),
    );
    expect(JsonTraceSerializer.deserializeResponse(body)).toEqual({
      partialSuccess: { rejectedSpans: '2', errorMessage: 'bad ids' },
    });
  });
});

describe('decodeExportTraceServiceResponseJson', () => {
  it('reads full success as undefined', () => {
    expect(decodeExportTraceServiceResponseJson({})).toBeUndefined();
    expect(decodeExportTraceServiceResponseJson({ partialSuccess: null })).toBeUndefined();
    expect(decodeExportTraceServiceResponseJson({ partialSuccess: {} })).toBeUndefined();
  });

  it('reads a partial success in either spelling, the count as a string or a number', () => {
    const expected = { rejectedSpans: 3, errorMessage: 'bad ids' };
    expect(decodeExportTraceServiceResponseJson(encodeExportTraceServiceResponseJson(expected))).toEqual(
      expected,
    );
    expect(
      decodeExportTraceServiceResponseJson({ partialSuccess: { rejectedSpans: 3, errorMessage: 'bad ids' } }),
    ).toEqual(expected);
    expect(
      decodeExportTraceServiceResponseJson({
        partial_success: { rejected_spans: '3', error_message: 'bad ids' },
      }),
    ).toEqual(expected);
    expect(
      decodeExportTraceServiceResponseJson({ partialSuccess: { errorMessage: 'warn' }, future: 1 }),
    ).toEqual({
      rejectedSpans: 0,
      errorMessage: 'warn',
    });
  });

  it('rejects a malformed response naming the field', () => {
    expect(() =>
      decodeExportTraceServiceResponseJson({ partialSuccess: { rejectedSpans: 'three' } }),
    ).toThrow(new OtlpJsonDecodeError('partialSuccess.rejectedSpans', 'expected an integer, got "three"'));
    expect(() => decodeExportTraceServiceResponseJson('ok')).toThrow('expected an object, got "ok"');
  });
});
