import { promisify } from 'node:util';
import { gunzip as gunzipCallback, gzip as gzipCallback } from 'node:zlib';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { GrpcCallStatus } from './grpc-call-status.js';
import { callStatus } from './grpc-call-status.js';

const gzip = promisify(gzipCallback);
const gunzip = promisify(gunzipCallback);

/**
 * The 5-byte prefix of a Length-Prefixed-Message (gRPC over HTTP2, "Requests"): the compressed
 * flag, then the message length as a big-endian uint32. Sent as its own write before the message
 * so that an 800 KB batch is never copied just to get 5 bytes in front of it.
 */
export function messagePrefix(length: number, compressed: boolean): Buffer {
  const prefix = Buffer.allocUnsafe(5);
  prefix[0] = compressed ? 1 : 0;
  prefix.writeUInt32BE(length, 1);
  return prefix;
}

/** The parts of one message, gzipped as one (in the libuv pool, off the event loop). */
export function gzipMessage(parts: readonly Buffer[]): Promise<Buffer> {
  return gzip(parts.length === 1 ? parts[0] : Buffer.concat(parts));
}

/**
 * The single message of a unary response from the DATA it came in (undefined when there was
 * none), or the status a gRPC client reports for a malformed one, as grpc-js does.
 */
export async function unaryResponseMessage(
  chunks: readonly Buffer[],
  encoding: string | undefined,
): Promise<Buffer | undefined | GrpcCallStatus> {
  if (chunks.length === 0) return undefined;
  const data = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  if (data.length === 0) return undefined;
  if (data.length < 5 || data.length < 5 + data.readUInt32BE(1))
    return callStatus(GrpcStatus.INTERNAL, 'truncated response message');
  const end = 5 + data.readUInt32BE(1);
  if (end !== data.length) return callStatus(GrpcStatus.UNIMPLEMENTED, 'Too many responses received');
  const message = data.subarray(5, end);
  if (data[0] === 0) return message;
  if (encoding !== 'gzip')
    return callStatus(GrpcStatus.INTERNAL, `compressed response with grpc-encoding "${encoding ?? ''}"`);
  try {
    return await gunzip(message);
  } catch (error) {
    return callStatus(GrpcStatus.INTERNAL, `cannot gunzip the response: ${(error as Error).message}`);
  }
}
