import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TracesData } from '../../model/span.js';
import {
  decodeExportTraceServiceRequestJson,
  OtlpJsonDecodeError,
} from '../../otlp/json/decode-traces-json.js';
import {
  encodeExportTraceServiceResponseJson,
  encodeRpcStatusJson,
} from '../../otlp/json/encode-traces-json.js';
import { DecodeCaches } from '../../otlp/protobuf/proto-reader.js';
import { encodeRpcStatus } from '../../otlp/protobuf/rpc-status.js';
import { encodeExportTraceServiceResponse } from '../../otlp/protobuf/trace-service-response.js';
import { deliverProtobufTraces } from '../shared/deliver-protobuf-traces.js';
import { deliverTraces } from '../shared/deliver-traces.js';
import { createIngestHttpApp, requestBody } from '../shared/ingest-http-app.js';
import type { ListenAddress } from '../../net/listen-address.js';
import type { TlsServerCredentials, TlsServerFiles } from '../../net/tls-credentials.js';
import { grpcCodeForHttpStatus } from '../shared/request-rejection.js';
import { quoteLongIntegers } from '../../otlp/json/quote-long-integers.js';
import { decodeBody, parseJsonBody } from '../shared/decode-body.js';
import { HttpIngestReceiver } from '../shared/http-ingest-receiver.js';

export interface OtlpHttpReceiverConfig {
  endpoint: ListenAddress;
  /** The Collector's `max_request_body_size`, applied to the body before and after decompression. */
  maxRequestBodyBytes: number;
  /** The Collector's `cors.allowed_origins`. */
  corsAllowedOrigins: string[];
  /** Path for traces, `/v1/traces` by default as in the OTLP specification. */
  tracesPath: string;
  /** Serve HTTPS (the Collector's `tls`); plaintext when absent. */
  tls?: TlsServerFiles;
}

export const DEFAULT_OTLP_HTTP_MAX_BODY = 20 * 1024 * 1024;

const PROTOBUF_TYPES = ['application/x-protobuf', 'application/protobuf'];
const JSON_TYPE = 'application/json';

function isJson(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith(JSON_TYPE);
}

/**
 * OTLP/HTTP receiver (OTLP specification, "OTLP/HTTP"): `POST /v1/traces` in binary protobuf or
 * JSON, optionally gzip-compressed; answers in the request's encoding, errors as google.rpc.Status.
 */
export class OtlpHttpReceiver extends HttpIngestReceiver<OtlpHttpReceiverConfig> {
  readonly component = 'otlp-http';
  private readonly caches = new DecodeCaches();

  protected async createApp(tls: TlsServerCredentials | undefined): Promise<FastifyInstance> {
    const { config, settings } = this;
    const app = await createIngestHttpApp({
      component: this.component,
      identity: settings.identity,
      tls,
      maxRequestBodyBytes: config.maxRequestBodyBytes,
      contentTypes: [...PROTOBUF_TYPES, JSON_TYPE],
      corsAllowedOrigins: config.corsAllowedOrigins,
      limiter: settings.limiter,
      next: settings.next,
      logger: settings.logger,
      sendError: sendStatus,
    });
    app.post(config.tracesPath, async (request, reply) => {
      const body = await requestBody(request, config.maxRequestBodyBytes);
      const json = isJson(request);
      const context = { tenant: request.tenant };
      const partial = json
        ? await deliverTraces(decodeJson(body), settings.next, context, this.component)
        : await deliverProtobufTraces(body, settings.next, context, this.component, this.caches);
      if (json)
        return reply.type(JSON_TYPE).send(JSON.stringify(encodeExportTraceServiceResponseJson(partial)));
      return reply.type('application/x-protobuf').send(encodeExportTraceServiceResponse(partial));
    });
    return app;
  }
}

function decodeJson(body: Buffer): TracesData {
  // 64-bit integers sent as JSON numbers keep their digits (quoteLongIntegers: why).
  const parsed = parseJsonBody(body, quoteLongIntegers);
  return decodeBody('OTLP JSON', OtlpJsonDecodeError, () => decodeExportTraceServiceRequestJson(parsed));
}

/** Error bodies are google.rpc.Status in the request's encoding (OTLP/HTTP "Failures"). */
function sendStatus(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  message: string,
): FastifyReply {
  const code = grpcCodeForHttpStatus(status);
  reply.code(status);
  if (isJson(request) || !isProtobuf(request)) {
    return reply.type(JSON_TYPE).send(JSON.stringify(encodeRpcStatusJson(code, message)));
  }
  return reply.type('application/x-protobuf').send(encodeRpcStatus(code, message));
}

function isProtobuf(request: FastifyRequest): boolean {
  const type = (request.headers['content-type'] ?? '').toLowerCase();
  return PROTOBUF_TYPES.some((t) => type.startsWith(t));
}
