import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ListenAddress } from '../../net/listen-address.js';
import type { TlsServerCredentials, TlsServerFiles } from '../../net/tls-credentials.js';
import { decodeZipkinSpans, ZipkinDecodeError } from '../../zipkin/decode-zipkin-spans.js';
import { decodeBody, parseJsonBody } from '../shared/decode-body.js';
import { deliverTraces } from '../shared/deliver-traces.js';
import { HttpIngestReceiver } from '../shared/http-ingest-receiver.js';
import { createIngestHttpApp, requestBody } from '../shared/ingest-http-app.js';

export interface ZipkinReceiverConfig {
  endpoint: ListenAddress;
  maxRequestBodyBytes: number;
  corsAllowedOrigins: string[];
  /** Serve HTTPS (the Collector's `tls`); plaintext when absent. */
  tls?: TlsServerFiles;
}

/**
 * Zipkin v2 receiver: `POST /api/v2/spans` with a JSON array of spans, as Zipkin's own server
 * takes it (zipkin-api's zipkin2-api.yaml), answering 202 Accepted with an empty body.
 */
export class ZipkinReceiver extends HttpIngestReceiver<ZipkinReceiverConfig> {
  readonly component = 'zipkin';

  protected async createApp(tls: TlsServerCredentials | undefined): Promise<FastifyInstance> {
    const { config, settings } = this;
    const app = await createIngestHttpApp({
      component: this.component,
      identity: settings.identity,
      tls,
      maxRequestBodyBytes: config.maxRequestBodyBytes,
      contentTypes: ['application/json'],
      corsAllowedOrigins: config.corsAllowedOrigins,
      limiter: settings.limiter,
      next: settings.next,
      logger: settings.logger,
      sendError: sendText,
    });
    app.post('/api/v2/spans', async (request, reply) => {
      const body = parseJsonBody(await requestBody(request, config.maxRequestBodyBytes));
      const data = decodeBody('Zipkin v2 spans', ZipkinDecodeError, () => decodeZipkinSpans(body));
      const partial = await deliverTraces(data, settings.next, { tenant: request.tenant }, this.component);
      // Zipkin has no partial success; say what was dropped while accepting the rest.
      if (partial) return reply.code(202).type('text/plain').send(partial.errorMessage);
      return reply.code(202).send();
    });
    return app;
  }
}

/** Zipkin's server answers errors in plain text. */
function sendText(
  _request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  message: string,
): FastifyReply {
  return reply.code(status).type('text/plain; charset=utf-8').send(message);
}
