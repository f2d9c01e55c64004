import { Agent, request } from 'node:http';
import type { Sender } from './sender.js';

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * OTLP/HTTP `POST /v1/traces` with pre-encoded protobuf bodies over keep-alive connections, one
 * per request in flight, as the OpenTelemetry JS HTTP exporter's agent does.
 */
export function httpSender(target: string, concurrency: number): Sender {
  const url = new URL(`http://${target}/v1/traces`);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const send = (payload: Buffer): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/x-protobuf', 'content-length': payload.length },
        },
        (res) => {
          res.on('data', () => {});
          res.on('error', reject);
          res.on('end', () =>
            res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.setTimeout(REQUEST_TIMEOUT_MS, () =>
        req.destroy(new Error(`no response in ${REQUEST_TIMEOUT_MS} ms`)),
      );
      req.end(payload);
    });
  return { send, close: () => agent.destroy() };
}
