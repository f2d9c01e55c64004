import type { FastifyInstance } from 'fastify';
import type { RawQueryString } from './query-string.js';
import { noteBadPercentEncoding } from './query-string.js';

/**
 * Notes, before any route runs, which query-string parameters were not valid percent-encoding
 * (`q=%E0%A4%A`), which only the raw URL tells: Fastify keeps such a value as it was sent. A
 * route reading one (singleParam) then answers 400 in its API's error shape, as for a repeated
 * parameter; parameters no route reads stay unread.
 */
export function registerQueryEncodingHook(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const mark = request.url.indexOf('?');
    if (mark >= 0) noteBadPercentEncoding(request.query as RawQueryString, request.url.slice(mark + 1));
    done();
  });
}
