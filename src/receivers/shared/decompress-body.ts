import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import { RequestRejection } from './request-rejection.js';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/**
 * Undoes `Content-Encoding` with a cap on the decompressed size, so a small gzip bomb is refused
 * with 413 before it can fill memory. Decompression runs on libuv's thread pool, off the event loop.
 */
export async function decompressBody(
  body: Buffer,
  contentEncoding: string | undefined,
  maxBytes: number,
): Promise<Buffer> {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return body;
  const decompress =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? gunzipAsync
      : encoding === 'deflate'
        ? inflateAsync
        : undefined;
  if (decompress === undefined) {
    throw new RequestRejection(
      'unsupported-media',
      `unsupported Content-Encoding "${contentEncoding}": use gzip, deflate or none`,
    );
  }
  try {
    return await decompress(body, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new RequestRejection('too-large', `decompressed body exceeds the limit of ${maxBytes} bytes`);
    }
    throw new RequestRejection('invalid', `invalid ${encoding} body: ${(error as Error).message}`);
  }
}
