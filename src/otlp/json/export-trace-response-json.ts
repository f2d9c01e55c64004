import { asObject, readInt64, readMessage, readString } from './json-fields.js';
import type { JsonObject } from './json-fields.js';

/** OTLP's `ExportTracePartialSuccess`: how many spans a server rejected, and why. */
export interface ExportTracePartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

export interface ExportTraceServiceResponseJson {
  partialSuccess?: { rejectedSpans?: string; errorMessage?: string };
}

/**
 * The body of a successful OTLP/HTTP JSON export response. A partial success of 0 rejected spans
 * and no message "is equivalent to it not being set" (trace_service.proto), so it is left out and
 * the body is `{}`. `rejected_spans` is an int64 and so a decimal string.
 */
export function encodeExportTraceServiceResponseJson(
  partial: ExportTracePartialSuccess | undefined,
): ExportTraceServiceResponseJson {
  if (partial === undefined || (partial.rejectedSpans === 0 && partial.errorMessage === '')) return {};
  const out: { rejectedSpans?: string; errorMessage?: string } = {};
  if (partial.rejectedSpans !== 0) out.rejectedSpans = String(partial.rejectedSpans);
  if (partial.errorMessage !== '') out.errorMessage = partial.errorMessage;
  return { partialSuccess: out };
}

/**
 * Reads an export response body (already JSON.parse'd), for an exporter talking to an OTLP/HTTP
 * server. Undefined when the server reported full success, including by an empty partial success.
 *
 * @throws OtlpJsonDecodeError
 */
export function decodeExportTraceServiceResponseJson(body: unknown): ExportTracePartialSuccess | undefined {
  const partial = readMessage(
    asObject(body),
    'partialSuccess',
    'partial_success',
    decodePartialSuccess,
    none,
  );
  if (partial === undefined || (partial.rejectedSpans === 0 && partial.errorMessage === '')) return undefined;
  return partial;
}

function decodePartialSuccess(obj: JsonObject): ExportTracePartialSuccess {
  return {
    // A count, so far below 2^53 in practice; Number() is exact there.
    rejectedSpans: Number(readInt64(obj, 'rejectedSpans', 'rejected_spans')),
    errorMessage: readString(obj, 'errorMessage', 'error_message'),
  };
}

function none(): undefined {
  return undefined;
}
