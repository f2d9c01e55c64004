import { PermanentError, RetryableError } from '../../consumer/errors.js';
import { checkUnknown } from '../../otlp/protobuf/decode-any-value.js';
import { ProtoReader, WireType } from '../../otlp/protobuf/proto-reader.js';

/**
 * Statuses the Collector's `otlphttp` exporter retries (OTLP/HTTP "Failures": 429, 502, 503,
 * 504); every other non-2xx answer is permanent, 5xx included — as there, so a backend that
 * rejects a batch with 500 does not have it re-sent forever.
 */
const RETRYABLE = new Set([429, 502, 503, 504]);

/** Only 429 and 503 are throttling; only they carry a Retry-After the Collector honours. */
const THROTTLING = new Set([429, 503]);

/** The error an OTLP/HTTP answer other than 2xx stands for, with its google.rpc.Status message when the body has one. */
export function errorForHttpStatus(
  url: string,
  status: number,
  headers: { 'content-type'?: string; 'retry-after'?: string },
  body: Buffer,
  now = Date.now(),
): Error {
  const detail = statusMessage(headers['content-type'], body);
  const message = `export to ${url} failed: HTTP ${status}${detail ? `: ${detail}` : ''}`;
  if (!RETRYABLE.has(status)) return new PermanentError(message);
  // 0 leaves the interval to the back-off, as the Collector does when there is no Retry-After.
  const retryAfterMs = THROTTLING.has(status) ? parseRetryAfter(headers['retry-after'], now) : 0;
  return new RetryableError(message, retryAfterMs);
}

/**
 * `Retry-After` in ms: delay-seconds (what the Collector reads) or an HTTP-date (RFC 9110 §10.2.3,
 * which OTLP/HTTP servers may send too); 0 when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number {
  if (value === undefined || value.trim() === '') return 0;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? 0 : Math.max(0, at - now);
}

/** `message` of a google.rpc.Status error body, JSON or protobuf; '' when there is none. */
function statusMessage(contentType: string | undefined, body: Buffer): string {
  if (body.length === 0) return '';
  try {
    if ((contentType ?? '').toLowerCase().includes('json')) {
      const parsed = JSON.parse(body.toString('utf8')) as { message?: unknown };
      return typeof parsed.message === 'string' ? parsed.message : '';
    }
    if ((contentType ?? '').toLowerCase().includes('protobuf')) return protoStatusMessage(body);
  } catch {
    // A body that is not a Status only loses the detail.
  }
  // Anything else (a proxy's HTML page): a short excerpt helps more than nothing.
  return body.toString('utf8', 0, Math.min(body.length, 200)).replace(/\s+/g, ' ').trim();
}

function protoStatusMessage(body: Buffer): string {
  const r = new ProtoReader(body);
  let message = '';
  while (r.pos < body.length) {
    const tag = r.uint32(body.length);
    if (tag === ((2 << 3) | WireType.LEN)) message = r.string(body.length);
    else checkUnknown(r, tag, body.length, 'google.rpc.Status', 0);
  }
  return message;
}
