import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { acceptedEncoding } from './accepted-encoding.js';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** Below this a response goes out as is: compressing it would cost more than it saves. */
const MIN_COMPRESS_BYTES = 64 * 1024;

/**
 * Sends JSON text, compressed when the client accepts it and it is large (a 100,000-span trace is
 * 12 MB even in the compact form). The fastest settings: on this JSON, brotli quality 1 takes
 * ~50 ms for 12 MB → 1.6 MB and gzip level 1 ~70 ms → 1.8 MB, while the slower levels save another
 * 20–30 % for 3–6× the time — not worth it where the client is usually near. zlib runs on libuv's
 * thread pool, so the event loop keeps serving meanwhile. Browsers offer br only over HTTPS.
 */
export async function sendJson(
  request: FastifyRequest,
  reply: FastifyReply,
  json: string,
): Promise<FastifyReply> {
  void reply.type('application/json').header('vary', 'accept-encoding');
  const encoding =
    json.length < MIN_COMPRESS_BYTES ? undefined : acceptedEncoding(request.headers['accept-encoding']);
  if (encoding === undefined) return reply.send(json);
  const t0 = performance.now();
  const body =
    encoding === 'br'
      ? await brotliAsync(json, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_SIZE_HINT]: json.length },
        })
      : await gzipAsync(json, { level: 1 });
  const timing = `compress;dur=${(performance.now() - t0).toFixed(1)}`;
  const before = reply.getHeader('server-timing');
  return reply
    .header('server-timing', typeof before === 'string' ? `${before}, ${timing}` : timing)
    .header('content-encoding', encoding)
    .send(body);
}
