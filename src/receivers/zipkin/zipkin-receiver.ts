import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_TENANT } from '../../consumer/traces-consumer.js';
import type { TracesData } from '../../model/span.js';
import { decodeZipkinSpans, ZipkinDecodeError } from '../../zipkin/decode-zipkin-spans.js';
import { deliverTraces } from '../shared/deliver-traces.js';
import { createIngestHttpApp, requestBody, tenantOf } from '../shared/ingest-http-app.js';
import type { ListenAddress } from '../../net/listen-address.js';
import { closeFastify } from '../../net/close-fastify.js';
import { boundAddress, listenFastify } from '../../net/listen-fastify.js';
import type { ReceiverSettings, TracesReceiver } from '../shared/receiver-settings.js';
import { RequestRejection } from '../shared/request-rejection.js';

export interface ZipkinReceiverConfig {
  endpoint: ListenAddress;
  maxRequestBodyBytes: number;
  corsAllowedOrigins: string[];
}

/**
 * Zipkin v2 receiver: `POST /api/v2/spans` with a JSON array of spans, as Zipkin's own server
 * takes it (zipkin-api's zipkin2-api.yaml), answering 202 Accepted with an empty body.
 */
export class ZipkinReceiver implements TracesReceiver {
  readonly component = 'zipkin';
  private app: FastifyInstance | undefined;
  private stopped = false;

  constructor(
    private readonly config: ZipkinReceiverConfig,
    private readonly settings: ReceiverSettings,
  ) {}

  async start(): Promise<void> {
    const { config, settings } = this;
    const app = await createIngestHttpApp({
      maxRequestBodyBytes: config.maxRequestBodyBytes,
      contentTypes: ['application/json'],
      corsAllowedOrigins: config.corsAllowedOrigins,
      limiter: settings.limiter,
      logger: settings.logger,
      sendError: sendText,
    });
    app.post('/api/v2/spans', async (request, reply) => {
      const body = await requestBody(request, config.maxRequestBodyBytes);
      const data = decodeJson(body);
      const partial = await deliverTraces(data, settings.next, { tenant: tenantOf(request, DEFAULT_TENANT) });
      // Zipkin has no partial success; say what was dropped while accepting the rest.
      if (partial) return reply.code(202).type('text/plain').send(partial.errorMessage);
      return reply.code(202).send();
    });
    await listenFastify(app, config.endpoint, this.component);
    this.app = app;
  }

  address(): string {
    return boundAddress(this.app, this.config.endpoint);
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.app) await closeFastify(this.app);
  }
}

function decodeJson(body: Buffer): TracesData {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new RequestRejection('invalid', `invalid JSON: ${(error as Error).message}`);
  }
  try {
    return decodeZipkinSpans(parsed);
  } catch (error) {
    if (error instanceof ZipkinDecodeError)
      throw new RequestRejection('invalid', `invalid Zipkin v2 spans: ${error.message}`);
    throw error;
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
