import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { contentType, isCompressible } from './content-types.js';

/** Paths that belong to the APIs: an unknown one there is a 404, never the UI's index.html. */
const API_PREFIXES = ['/api', '/jaeger', '/metrics', '/ready'];
/** Vite puts a content hash in every file name under assets/: they never change. */
const HASHED = /^\/assets\//;
const IMMUTABLE = 'public, max-age=31536000, immutable';

interface CachedFile {
  mtimeMs: number;
  body: Buffer;
  gzipped?: Buffer;
}

/**
 * The built UI (`dist/ui`, next to the compiled `dist/src`), found from this file so that it works
 * from a source checkout (tests run `src/…` under Vitest) and from the built package alike.
 */
export function defaultUiRoot(): string {
  const top = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  return basename(top) === 'dist' ? join(top, 'ui') : join(top, 'dist', 'ui');
}

/**
 * Serves the web UI's static files at `/` with a single-page-app fallback: any other GET outside
 * the API prefixes answers index.html, so `/trace/<id>` can be reloaded or shared. Hashed assets are
 * cached for a year, index.html is revalidated every time (so a new build is picked up at once).
 * `onPage` learns of each page served, before its HTML leaves (to start reading what it will ask for).
 */
export function registerStaticUi(
  app: FastifyInstance,
  root = defaultUiRoot(),
  onPage?: (path: string, query: URLSearchParams) => void,
): void {
  const cache = new Map<string, CachedFile>();
  app.get('/*', async (request, reply) => {
    const path = requestPath(request.url);
    if (path === undefined) return reply.code(400).type('text/plain').send('bad path');
    if (API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`)))
      return reply.code(404).type('text/plain').send(`no route for GET ${path}`);
    const file = resolve(root, `.${path}`);
    // A path that leaves the root (`/../x`, encoded or not) is refused before any disk access.
    if (file !== root && !file.startsWith(root + sep))
      return reply.code(404).type('text/plain').send('not found');
    if (path !== '/' && (await isFile(file))) return send(request, reply, cache, file, HASHED.test(path));
    // A missing asset must not turn into HTML: a browser would try to run it as a script.
    if (HASHED.test(path) || extname(path) !== '')
      return reply.code(404).type('text/plain').send('not found');
    const index = join(root, 'index.html');
    if (!existsSync(index)) {
      return reply
        .code(404)
        .type('text/plain')
        .send(`The Tracehouse web UI is not built (no ${index}): run "npm run build".`);
    }
    onPage?.(path, new URLSearchParams(request.url.split('?')[1]?.split('#')[0] ?? ''));
    return send(request, reply, cache, index, false);
  });
}

function requestPath(url: string): string | undefined {
  const raw = url.split('?')[0].split('#')[0];
  try {
    const decoded = decodeURIComponent(raw);
    return decoded.includes('\0') ? undefined : decoded;
  } catch {
    return undefined;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function send(
  request: FastifyRequest,
  reply: FastifyReply,
  cache: Map<string, CachedFile>,
  file: string,
  immutable: boolean,
): Promise<FastifyReply> {
  const info = await stat(file);
  let cached = cache.get(file);
  if (cached?.mtimeMs !== info.mtimeMs) {
    cached = { mtimeMs: info.mtimeMs, body: await readFile(file) };
    cache.set(file, cached);
  }
  const type = contentType(extname(file));
  const etag = `"${cached.body.length.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  reply
    .header('content-type', type)
    .header('cache-control', immutable ? IMMUTABLE : 'no-cache')
    .header('etag', etag)
    .header('x-content-type-options', 'nosniff');
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  const acceptsGzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  if (isCompressible(type) && cached.body.length > 1024) {
    reply.header('vary', 'accept-encoding');
    if (acceptsGzip) {
      cached.gzipped ??= gzipSync(cached.body);
      return reply.header('content-encoding', 'gzip').send(cached.gzipped);
    }
  }
  return reply.send(cached.body);
}
