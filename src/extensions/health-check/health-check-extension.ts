import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListenAddress } from '../../net/listen-address.js';
import { formatListenAddress, listenErrorFor } from '../../net/listen-address.js';
import type { Extension } from '../../pipeline/component-factory.js';

export interface HealthCheckConfig {
  endpoint: ListenAddress;
  path: string;
  /** `response_body`: static bodies replacing the JSON status, as in the Collector; undefined keeps it. */
  responseBody: { healthy: string; unhealthy: string } | undefined;
}

/** Go's zero time: what the Collector reports as `upSince` before it is up. */
const NEVER = '0001-01-01T00:00:00Z';

/**
 * The Collector's `health_check` extension: an HTTP endpoint answering 200 with
 * `{"status":"Server available","upSince":…,"uptime":…}` once every pipeline runs, and 503 with
 * `"Server not available"` before that and from the moment shutdown begins — for liveness and
 * readiness probes. Any method on `path`; other paths are 404.
 */
export class HealthCheckExtension implements Extension {
  readonly component = 'health_check';
  private server: http.Server | undefined;
  private upSince: Date | undefined;
  private stopped = false;

  constructor(private readonly config: HealthCheckConfig) {}

  async start(): Promise<void> {
    const server = http.createServer((request, response) => this.answer(request, response));
    const { host, port } = this.config.endpoint;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => reject(listenErrorFor(this.component, this.config.endpoint, error)));
      server.listen(port, host, resolve);
    });
    this.server = server;
  }

  ready(): void {
    this.upSince = new Date();
  }

  notReady(): void {
    this.upSince = undefined;
  }

  /** The bound address, with the real port once started. */
  address(): string {
    const bound = this.server?.address() as AddressInfo | null | undefined;
    return formatListenAddress(bound ? { host: bound.address, port: bound.port } : this.config.endpoint);
  }

  private answer(request: http.IncomingMessage, response: http.ServerResponse): void {
    const path = new URL(request.url ?? '/', 'http://health').pathname;
    if (path !== this.config.path) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
      return;
    }
    const up = this.upSince;
    const custom = this.config.responseBody;
    const body = custom
      ? up
        ? custom.healthy
        : custom.unhealthy
      : JSON.stringify({
          status: up ? 'Server available' : 'Server not available',
          upSince: up ? up.toISOString() : NEVER,
          uptime: up ? goDuration(Date.now() - up.getTime()) : '',
        });
    response
      .writeHead(up ? 200 : 503, { 'content-type': custom ? 'text/plain' : 'application/json' })
      .end(request.method === 'HEAD' ? undefined : body);
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.upSince = undefined;
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // A prober's keep-alive connection must not hold shutdown open.
      server.closeAllConnections();
    });
  }
}

/** Go's `time.Duration.String()` for ms (`1h2m3.5s`), as the Collector writes `uptime`. */
function goDuration(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = `${((ms % 60_000) / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  return minutes > 0 ? `${minutes}m${seconds}` : seconds;
}
