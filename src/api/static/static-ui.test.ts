import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerStaticUi } from './static-ui.js';

let dir: string;
let app: FastifyInstance;
const INDEX = '<!doctype html><title>Tracehouse</title>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))});`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tracehouse-static-'));
  mkdirSync(join(dir, 'ui', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'ui', 'index.html'), INDEX);
  writeFileSync(join(dir, 'ui', 'assets', 'main-AbC123.js'), SCRIPT);
  writeFileSync(join(dir, 'secret.txt'), 'outside the root');
  app = Fastify();
  app.get('/api/echo', (_request, reply) => reply.send('echo'));
  registerStaticUi(app, join(dir, 'ui'));
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers });

describe('static UI', () => {
  it('serves index.html at / and for any page path, revalidated every time', async () => {
    for (const url of ['/', '/trace/5b8efff798038103d269b633813fc60c', '/search?q=%7B%7D', '/services']) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toBe(INDEX);
    }
  });

  it('serves hashed assets with their type, cached for a year, gzipped when asked', async () => {
    const plain = await get('/assets/main-AbC123.js');
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.body).toBe(SCRIPT);
    const zipped = await get('/assets/main-AbC123.js', { 'accept-encoding': 'gzip, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(SCRIPT);
    const again = await get('/assets/main-AbC123.js', { 'if-none-match': String(plain.headers.etag) });
    expect(again.statusCode).toBe(304);
  });

  it('answers 404, not index.html, for a missing asset and for unknown API paths', async () => {
    for (const url of [
      '/assets/gone-123.js',
      '/favicon.ico',
      '/api/nope',
      '/jaeger/api/x',
      '/metrics',
      '/api',
    ]) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.body).not.toContain('<title>');
    }
    expect((await get('/api/echo')).body).toBe('echo');
  });

  it('never leaves the root, however the path is spelled', async () => {
    for (const url of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
    ]) {
      const response = await get(url);
      expect(response.body, url).not.toContain('outside the root');
    }
    expect((await get('/%E0%A4%A')).statusCode).toBe(400);
  });

  it('answers hashed assets from what it read at start, without the disk', async () => {
    const ui = join(dir, 'ui-read-at-start');
    mkdirSync(join(ui, 'assets'), { recursive: true });
    writeFileSync(join(ui, 'index.html'), INDEX);
    writeFileSync(join(ui, 'assets', 'view-XyZ789.js'), SCRIPT);
    writeFileSync(join(ui, 'assets', 'view-XyZ789.js.map'), '{}');
    const served = Fastify();
    registerStaticUi(served, ui);
    await served.ready();
    // Hashed names never change content, so a file gone from disk is still what that name means.
    rmSync(join(ui, 'assets'), { recursive: true });
    const plain = await served.inject({ method: 'GET', url: '/assets/view-XyZ789.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.body).toBe(SCRIPT);
    const zipped = await served.inject({
      method: 'GET',
      url: '/assets/view-XyZ789.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(SCRIPT);
    expect(zipped.headers.etag).toBe(plain.headers.etag);
    // Source maps are left on disk, read only when asked for.
    expect((await served.inject({ method: 'GET', url: '/assets/view-XyZ789.js.map' })).statusCode).toBe(404);
    await served.close();
  });

  it('says how to build the UI when it is missing', async () => {
    const bare = Fastify();
    registerStaticUi(bare, join(dir, 'missing'));
    const response = await bare.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('npm run build');
    await bare.close();
  });
});
