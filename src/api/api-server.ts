import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { ListenAddress } from '../net/listen-address.js';
import { closeFastify } from '../net/close-fastify.js';
import { boundAddress, listenFastify } from '../net/listen-fastify.js';
import { buildInfo } from './build-info.js';
import type { TraceStore } from '../store/trace-store.js';
import { registerTraceOtlpRoute } from './native/trace-otlp-route.js';
import { registerNativeRoutes } from './native/native-routes.js';
import { registerStaticUi } from './static/static-ui.js';
import { registerSearchRoute } from './tempo/search-route.js';
import { registerJaegerRoutes } from './jaeger/register-jaeger-routes.js';
import { registerMetricsRoutes } from './tempo/metrics-routes.js';
import { registerTagsRoutes } from './tempo/tags-routes.js';
import { registerTraceByIdRoute } from './tempo/trace-by-id-route.js';

export interface ApiServerConfig {
  endpoint: ListenAddress;
  /** Stored traces, when this process has a store. */
  store?: TraceStore;
  /** Per-query time budget (default 30 s). */
  queryTimeoutMs?: number;
}

/**
 * The read side's HTTP port (3200, Tempo's). Today: readiness and Tempo's status endpoints;
 * the query APIs and the UI mount here as they arrive.
 */
export class ApiServer {
  readonly component = 'http';
  private readonly app: FastifyInstance;
  private ready = false;
  private stopped = false;

  constructor(private readonly config: ApiServerConfig) {
    this.app = Fastify({ logger: false });
    // Tempo answers /ready with 200 "ready" once its modules run, 503 before; Kubernetes probes read it.
    this.app.get('/ready', (_request, reply) =>
      this.ready
        ? reply.type('text/plain').send('ready')
        : reply.code(503).type('text/plain').send('not ready'),
    );
    this.app.get('/api/echo', (_request, reply) => reply.type('text/plain').send('echo'));
    if (config.store) {
      registerTraceByIdRoute(this.app, config.store);
      registerTraceOtlpRoute(this.app, config.store);
      registerTagsRoutes(this.app, config.store);
      registerMetricsRoutes(this.app, config.store);
      registerSearchRoute(this.app, config.store, { timeoutMs: config.queryTimeoutMs ?? 30_000 });
      registerJaegerRoutes(this.app, config.store, { timeoutMs: config.queryTimeoutMs ?? 30_000 });
    }
    this.app.get('/api/status/buildinfo', (_request, reply) => reply.send(buildInfo()));
    // The native API (/api/tracehouse/…) and the web UI at / with its SPA fallback.
    if (config.store) registerNativeRoutes(this.app, config.store);
    registerStaticUi(this.app);
  }

  /** Called once every listener of the process is up. */
  markReady(): void {
    this.ready = true;
  }

  async start(): Promise<void> {
    await listenFastify(this.app, this.config.endpoint, 'http');
  }

  address(): string {
    return boundAddress(this.app, this.config.endpoint);
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.ready = false;
    await closeFastify(this.app);
  }
}
