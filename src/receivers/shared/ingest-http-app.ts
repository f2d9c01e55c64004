import cors from '@fastify/cors';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RequestIdentity } from '../../auth/request-identity.js';
import { rawHeaderValues } from '../../auth/request-identity.js';
import type { TracesConsumer } from '../../consumer/traces-consumer.js';
import type { Logger } from '../../logging/logger.js';
import { createFastify } from '../../net/create-fastify.js';
import type { TlsServerCredentials } from '../../net/tls-credentials.js';
import { receiverRefusedRequests } from '../../observability/self-metrics.js';
import { decompressBody } from './decompress-body.js';
import type { InflightLimiter } from './inflight-limiter.js';
import { ingestTenant } from './ingest-tenant.js';
import { refuseEarly } from './refuse-early.js';
import { RequestRejection } from './request-rejection.js';

export interface IngestHttpOptions {
  /** The receiver, as its metrics name it (`otlp-http`, `zipkin`). */
  component: string;
  /** Largest request body accepted, compressed or not (the OpenTelemetry Collector's `max_request_body_size`). */
  maxRequestBodyBytes: number;
  /** Content types the routes take as raw bytes; anything else is 415. */
  contentTypes: string[];
  /** `Access-Control-Allow-Origin` values for browser senders; empty disables CORS. */
  corsAllowedOrigins: string[];
  limiter: InflightLimiter;
  /** The pipeline the receiver hands data to: asked whether it would refuse before a body is read. */
  next: TracesConsumer;
  logger: Logger;
  /** Tenant and bearer-token rules; absent: `X-Scope-OrgID` or the default tenant. */
  identity?: RequestIdentity;
  /** Serve HTTPS with these credentials. */
  tls?: TlsServerCredentials;
  /** How this protocol writes an error body. */
  sendError(request: FastifyRequest, reply: FastifyReply, status: number, message: string): FastifyReply;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Bytes reserved in the in-flight limiter for this request, released when it ends. */
    reservedBytes: number;
    /** The tenant the request acts as: `X-Scope-OrgID`, its bearer token's, or the default. */
    tenant: string;
  }
}

/**
 * A Fastify app for an ingest port: bodies arrive as raw Buffers (the codecs parse them), a
 * pipeline that would refuse anything (a full store) and the in-flight limiter refuse a request
 * before its body is read, and every failure — Fastify's
 * own (413, 415) or a receiver's `RequestRejection` — leaves through one error handler.
 */
export async function createIngestHttpApp(options: IngestHttpOptions): Promise<FastifyInstance> {
  const app = createFastify(
    {
      bodyLimit: options.maxRequestBodyBytes,
      // Senders keep connections open between batches; keep-alive must outlast their batch timeout.
      keepAliveTimeout: 65_000,
      return503OnClosing: true,
    },
    options.tls,
  );
  app.decorateRequest('reservedBytes', 0);
  app.decorateRequest('tenant', '');
  if (options.corsAllowedOrigins.length > 0) {
    const any = options.corsAllowedOrigins.includes('*');
    await app.register(cors, {
      origin: any ? '*' : options.corsAllowedOrigins,
      methods: ['POST', 'OPTIONS'],
      maxAge: 7200,
    });
  }

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(options.contentTypes, { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );

  app.addHook('onRequest', (request, _reply, done) => {
    // CORS preflights carry no credentials (Fetch standard), so only the POST is checked.
    if (request.method !== 'POST') return done();
    try {
      // Identity and the pipeline before the limiter: a refused sender holds no in-flight bytes
      // and sends no body.
      request.tenant = ingestTenant(
        options.identity,
        rawHeaderValues(request.raw.rawHeaders, 'x-scope-orgid'),
        request.headers.authorization,
      );
      refuseEarly(options.next, request.tenant);
    } catch (error) {
      return done(error as RequestRejection);
    }
    const declared = Number(request.headers['content-length']);
    // Without a length (chunked), reserve the most the body may be.
    const bytes = Number.isFinite(declared) && declared >= 0 ? declared : options.maxRequestBodyBytes;
    try {
      options.limiter.acquire(bytes);
    } catch (error) {
      return done(error as RequestRejection);
    }
    request.reservedBytes = bytes;
    done();
  });
  const release = (request: FastifyRequest, _reply: unknown, done: () => void): void => {
    if (request.reservedBytes > 0) {
      options.limiter.release(request.reservedBytes);
      request.reservedBytes = 0;
    }
    done();
  };
  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', (request, done) => release(request, undefined, done));

  app.setErrorHandler((error: FastifyError | RequestRejection, request, reply) => {
    if (error instanceof RequestRejection) {
      receiverRefusedRequests.inc({ receiver: options.component, reason: error.kind });
      if (error.challenge !== undefined) void reply.header('www-authenticate', error.challenge);
      if (error.retryAfterMs !== undefined)
        void reply.header('retry-after', Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
      if (error.kind === 'internal')
        options.logger.error({ err: error, url: request.url }, 'receiver failed');
      return options.sendError(request, reply, error.httpStatus, error.message);
    }
    const status = error.statusCode ?? 500;
    receiverRefusedRequests.inc({
      receiver: options.component,
      reason: FASTIFY_REASONS[status] ?? `http_${status}`,
    });
    if (status >= 500) options.logger.error({ err: error, url: request.url }, 'receiver failed');
    return options.sendError(request, reply, status, describeFastifyError(error, options));
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0];
    // An ingest path asked with another method (a GET of /v1/traces) is 405, as the Collector's
    // OTLP receiver answers it (handleUnmatchedMethod), with the Allow a 405 must carry (RFC 9110
    // §15.5.6). OPTIONS is @fastify/cors's when CORS is on.
    if (request.method !== 'POST' && app.hasRoute({ method: 'POST', url: path })) {
      void reply.header('allow', 'POST');
      return options.sendError(
        request,
        reply,
        405,
        `method ${request.method} not allowed on ${path}; supported: POST`,
      );
    }
    return options.sendError(request, reply, 404, `no route for ${request.method} ${request.url}`);
  });
  return app;
}

/** The rejection kinds of the statuses Fastify answers itself, so the refusal metric has one vocabulary. */
const FASTIFY_REASONS: Readonly<Record<number, string>> = {
  400: 'invalid',
  413: 'too-large',
  415: 'unsupported-media',
  503: 'unavailable',
};

function describeFastifyError(error: FastifyError, options: IngestHttpOptions): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? `unsupported Content-Type: use one of ${options.contentTypes.join(', ')}`
        : error.message;
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `request body exceeds the limit of ${options.maxRequestBodyBytes} bytes`;
    case 'FST_ERR_CTP_EMPTY_TYPE':
      return `missing Content-Type: use one of ${options.contentTypes.join(', ')}`;
    default:
      return error.message;
  }
}

/** The request body with its `Content-Encoding` undone, within the body limit. */
export function requestBody(request: FastifyRequest, maxBytes: number): Promise<Buffer> {
  const body = request.body;
  if (!Buffer.isBuffer(body)) throw new RequestRejection('invalid', 'missing request body');
  return decompressBody(body, request.headers['content-encoding'], maxBytes);
}
