import * as http from 'node:http';
import * as https from 'node:https';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { RetryableError } from '../../consumer/errors.js';
import type { ConsumeContext } from '../../consumer/traces-consumer.js';
import type { Logger } from '../../logging/logger.js';
import { DEFAULT_TENANT } from '../../model/tenant.js';
import type { TracesData } from '../../model/span.js';
import {
  decodeExportTraceServiceResponseJson,
  encodeExportTraceServiceRequestJson,
} from '../../otlp/json/encode-traces-json.js';
import { exportTraceServiceRequestBytes } from '../../otlp/protobuf/encode-traces.js';
import { decodeExportTraceServiceResponse } from '../../otlp/protobuf/trace-service-response.js';
import type { PartialSuccess } from '../../otlp/protobuf/trace-service-response.js';
import type { ClientTlsConfig } from '../helper/client-config.js';
import type { ExportTransport } from '../helper/queued-retry-exporter.js';
import { errorForHttpStatus } from './http-export-error.js';

const gzipAsync = promisify(gzip);

/** The Collector reads at most this much of a response body. */
const MAX_RESPONSE_BYTES = 64 * 1024;
const USER_AGENT = `Tracehouse (${process.platform}/${process.arch})`;

export interface OtlpHttpClientConfig {
  /** The full traces URL: `endpoint` + `/v1/traces`, or `traces_endpoint` as given. */
  url: string;
  encoding: 'proto' | 'json';
  compression: 'gzip' | 'none';
  headers: Record<string, string>;
  tls: ClientTlsConfig;
}

interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * OTLP/HTTP `POST /v1/traces` (OTLP specification, "OTLP/HTTP") over node:http(s) with one
 * keep-alive agent; node's fetch cannot take a CA or client certificate without undici's API.
 * The tenant travels as `X-Scope-OrgID`, as with the gRPC exporter.
 */
export class OtlpHttpTransport implements ExportTransport {
  private agent: http.Agent | undefined;
  private readonly url: URL;
  private readonly contentType: string;
  /** With `encoding: proto` only: the body is the protobuf request as it is (ExportTransport.sendRequest). */
  readonly sendRequest?: (
    parts: readonly Buffer[],
    context: ConsumeContext,
    timeoutMs: number,
  ) => Promise<void>;

  constructor(
    private readonly config: OtlpHttpClientConfig,
    private readonly logger: Logger,
  ) {
    this.url = new URL(config.url);
    this.contentType = config.encoding === 'json' ? 'application/json' : 'application/x-protobuf';
    if (config.encoding === 'proto')
      this.sendRequest = (parts, context, timeoutMs) =>
        this.sendBody(parts.length === 1 ? parts[0] : Buffer.concat(parts), context, timeoutMs);
  }

  start(): Promise<void> {
    const { tls } = this.config;
    this.agent =
      this.url.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            ca: tls.ca,
            cert: tls.cert,
            key: tls.key,
            rejectUnauthorized: !tls.insecureSkipVerify,
            servername: tls.serverNameOverride,
          })
        : new http.Agent({ keepAlive: true });
    return Promise.resolve();
  }

  send(data: TracesData, context: ConsumeContext, timeoutMs: number): Promise<void> {
    const encoded =
      this.config.encoding === 'json'
        ? Buffer.from(JSON.stringify(encodeExportTraceServiceRequestJson(data)), 'utf8')
        : exportTraceServiceRequestBytes(data);
    return this.sendBody(encoded, context, timeoutMs);
  }

  private async sendBody(encoded: Buffer, context: ConsumeContext, timeoutMs: number): Promise<void> {
    const headers: http.OutgoingHttpHeaders = {
      ...this.config.headers,
      'content-type': this.contentType,
      'user-agent': USER_AGENT,
    };
    let body = encoded;
    if (this.config.compression === 'gzip') {
      body = await gzipAsync(encoded);
      headers['content-encoding'] = 'gzip';
    }
    if (context.tenant !== DEFAULT_TENANT) headers['x-scope-orgid'] = context.tenant;
    const answer = await this.post(body, headers, timeoutMs);
    if (answer.status < 200 || answer.status > 299)
      throw errorForHttpStatus(this.url.href, answer.status, answer.headers, answer.body);
    const partial = this.partialSuccess(answer);
    // OTLP partial success: the rest was accepted; the Collector logs the rejected count and moves on.
    if (partial && partial.rejectedSpans > 0)
      this.logger.warn(
        { rejected: partial.rejectedSpans, reason: partial.errorMessage },
        'backend rejected spans',
      );
  }

  private partialSuccess(answer: HttpAnswer): PartialSuccess | undefined {
    if (answer.body.length === 0) return undefined;
    try {
      const type = answer.headers['content-type'] ?? '';
      return type.includes('json')
        ? decodeExportTraceServiceResponseJson(JSON.parse(answer.body.toString('utf8')))
        : decodeExportTraceServiceResponse(answer.body);
    } catch (error) {
      // The batch was accepted (2xx); sending it again over an unreadable answer would duplicate it.
      this.logger.warn({ err: error }, 'cannot read the export response; taking it as accepted');
      return undefined;
    }
  }

  private post(body: Buffer, headers: http.OutgoingHttpHeaders, timeoutMs: number): Promise<HttpAnswer> {
    const url = this.url;
    const agent = this.agent;
    if (!agent) return Promise.reject(new Error('otlphttp exporter used before start'));
    const request = url.protocol === 'https:' ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        { method: 'POST', agent, headers: { ...headers, 'content-length': body.length } },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            if (size >= MAX_RESPONSE_BYTES) return;
            chunks.push(chunk);
            size += chunk.length;
          });
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks),
            }),
          );
          response.on('error', (error) => reject(networkError(url, error)));
          // Cut off mid-answer (timeout, reset): settle rather than wait for an 'end' that never comes.
          response.on('close', () => {
            if (!response.complete)
              reject(networkError(url, new Error('connection closed before the answer ended')));
          });
        },
      );
      // `timeout` is for the whole exchange, as Go's http.Client.Timeout the Collector sets.
      const timer =
        timeoutMs > 0
          ? setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
          : undefined;
      req.on('close', () => clearTimeout(timer));
      // A connection refused, reset or timed out: the backend may come back, so retry (as the Collector does).
      req.on('error', (error) => reject(networkError(url, error)));
      req.end(body);
    });
  }

  shutdown(): Promise<void> {
    this.agent?.destroy();
    return Promise.resolve();
  }
}

function networkError(url: URL, error: Error): RetryableError {
  return new RetryableError(`export to ${url.href} failed: ${error.message}`, 0);
}
