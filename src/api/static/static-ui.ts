import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip, gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { contentType, isCompressible } from './content-types.js';

/** Paths that belong to the APIs: an unknown one there is a 404, never the UI's index.html. */
const API_PREFIXES = ['/api', '/jaeger', '/metrics', '/ready'];
/** Vite puts a content hash in every file name under assets/: they never change. */
const HASHED = /^\/assets\//;
const IMMUTABLE = 'public, max-age=31536000, immutable';
const gzipAsync = promisify(gzip);

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
 * Hashed assets never change, so once read (all of them are, at start) they are answered from
 * memory without a disk access: a page's scripts go out in the event-loop turn their request
 * arrives in, even while turns are scarce (the server reading the trace a /trace/<id> page asks
 * for, which onPage started). All of them are read before the server starts listening.
 */
export function registerStaticUi(
  app: FastifyInstance,
  root = defaultUiRoot(),
  onPage?: (path: string, query: URLSearchParams) => void,
): void {
  const cache = new Map<string, CachedFile>();
  app.addHook('onReady', () => readAssets(root, cache));
  app.get('/*', async (request, reply) => {
    const path = requestPath(request.url);
    if (path === undefined) return reply.code(400).type('text/plain').send('bad path');
    if (API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`)))
      return reply.code(404).type('text/plain').send(`no route for GET ${path}`);
    const file = resolve(root, `.${path}`);
    // A path that leaves the root (`/../x`, encoded or not) is refused before any disk access.
    if (file !== root && !file.startsWith(root + sep))
      return reply.code(404).type('text/plain').send('not found');
    const asset = HASHED.test(path) ? cache.get(file) : undefined;
    if (asset !== undefined) return respond(request, reply, file, asset, true);
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
  return respond(request, reply, file, cached, immutable);
}

/** `file`'s contents as read into `cached`, with caching headers, gzipped when the client accepts it. */
function respond(
  request: FastifyRequest,
  reply: FastifyReply,
  file: string,
  cached: CachedFile,
  immutable: boolean,
): FastifyReply {
  const type = contentType(extname(file));
  const etag = `"${cached.body.length.toString(16)}-${Math.floor(cached.mtimeMs).toString(16)}"`;
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

/**
 * Reads the hashed assets of the build being served (source maps aside) into the cache, gzipped
 * off the event loop, so that even the first page's scripts are answered from memory (a few hundred
 * KB, read once at start). A build made later is read on first request; an unbuilt UI is left for
 * the handler to report.
 */
async function readAssets(root: string, cache: Map<string, CachedFile>): Promise<void> {
  const dir = join(root, 'assets');
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.endsWith('.map')) continue;
    const file = join(dir, name);
    try {
      const [info, body] = await Promise.all([stat(file), readFile(file)]);
      if (!info.isFile()) continue;
      const compress = isCompressible(contentType(extname(file))) && body.length > 1024;
      cache.set(file, { mtimeMs: info.mtimeMs, body, gzipped: compress ? await gzipAsync(body) : undefined });
    } catch {
      // Gone or unreadable: the handler meets it on request, as it would have without this.
    }
  }
}
