import { status as GrpcStatus } from '@grpc/grpc-js';
import { PermanentError, RetryableError } from '../../consumer/errors.js';
import type { GrpcCallStatus } from './grpc-call-status.js';

/**
 * Codes an OTLP/gRPC client retries (OTLP specification, "Failures"); RESOURCE_EXHAUSTED only
 * when the server sent RetryInfo, meaning it can recover.
 */
const RETRYABLE = new Set<number>([
  GrpcStatus.CANCELLED,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.ABORTED,
  GrpcStatus.OUT_OF_RANGE,
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DATA_LOSS,
]);

export function errorForGrpcStatus(status: GrpcCallStatus, target: string): Error {
  const message = `export to ${target} failed: ${GrpcStatus[status.code] ?? status.code} ${status.details}`;
  const details = status.statusDetailsBin;
  const retryAfterMs = details ? retryDelayMs(details) : undefined;
  if (
    RETRYABLE.has(status.code) ||
    (status.code === GrpcStatus.RESOURCE_EXHAUSTED && retryAfterMs !== undefined)
  )
    return new RetryableError(message, retryAfterMs ?? 0);
  return new PermanentError(message);
}

/**
 * The `google.rpc.RetryInfo.retry_delay` inside a `google.rpc.Status` (details, field 3, as
 * `Any`), in ms; undefined when there is none. A few fields of varint/length protobuf, read by hand.
 */
export function retryDelayMs(status: Buffer): number | undefined {
  for (const any of fields(status, 3)) {
    const [typeUrl] = fields(any, 1);
    if (typeUrl?.toString('utf8') !== 'type.googleapis.com/google.rpc.RetryInfo') continue;
    const [value] = fields(any, 2);
    const [duration] = value ? fields(value, 1) : [];
    if (!duration) return 0;
    let seconds = 0;
    let nanos = 0;
    for (const [field, v] of varints(duration)) {
      if (field === 1) seconds = v;
      if (field === 2) nanos = v;
    }
    return seconds * 1000 + Math.floor(nanos / 1e6);
  }
  return undefined;
}

function readVarint(buf: Buffer, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (pos >= buf.length) throw new RangeError('truncated varint');
    const byte = buf[pos++];
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return [value, pos];
    scale *= 128;
  }
}

/** Walks a message: [field, wireType, value or payload]. */
function* walk(buf: Buffer): Generator<[number, number, number, Buffer | undefined]> {
  let pos = 0;
  while (pos < buf.length) {
    let tag: number;
    [tag, pos] = readVarint(buf, pos);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 0) {
      let v: number;
      [v, pos] = readVarint(buf, pos);
      yield [field, wire, v, undefined];
    } else if (wire === 2) {
      let length: number;
      [length, pos] = readVarint(buf, pos);
      yield [field, wire, 0, buf.subarray(pos, pos + length)];
      pos += length;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else return;
  }
}

function fields(buf: Buffer, wanted: number): Buffer[] {
  const out: Buffer[] = [];
  try {
    for (const [field, wire, , payload] of walk(buf))
      if (field === wanted && wire === 2 && payload) out.push(payload);
  } catch {
    // A malformed status only loses the retry hint.
  }
  return out;
}

function varints(buf: Buffer): [number, number][] {
  const out: [number, number][] = [];
  try {
    for (const [field, wire, value] of walk(buf)) if (wire === 0) out.push([field, value]);
  } catch {
    // as above
  }
  return out;
}
