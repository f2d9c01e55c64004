import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { RequestIdentity } from '../auth/request-identity.js';
import type { Logger } from '../logging/logger.js';
import type { ListenAddress } from '../net/listen-address.js';
import { closeFastify } from '../net/close-fastify.js';
import { createFastify } from '../net/create-fastify.js';
import type { TlsServerCredentials } from '../net/tls-credentials.js';
import { selfMetrics } from '../observability/self-metrics.js';
import { boundAddress, listenFastify } from '../net/listen-fastify.js';
import { buildInfo } from './build-info.js';
import { registerIdentityHook } from './identity-hook.js';
import { isQueryPath } from './query-paths.js';
import { registerQueryDeadlineHook } from './query-deadline-hook.js';
import { registerQueryEncodingHook } from './query-encoding-hook.js';
import { registerSelfMetrics } from './self-metrics-route.js';
import { registerServerErrorLog } from './server-error-log.js';
import type { TraceStore } from '../store/trace-store.js';
import { registerTraceCompactRoute } from './native/trace-compact-route.js';
import { outlinePrefetcher } from './native/trace-outline-read.js';
import { registerTraceOtlpRoute } from './native/trace-otlp-route.js';
import { registerNativeRoutes } from './native/native-routes.js';
import { registerStaticUi } from './static/static-ui.js';
import { registerSearchRoute } from './tempo/search-route.js';
import { registerJaegerRoutes } from './jaeger/register-jaeger-routes.js';
import { registerMetricsRoutes } from './tempo/metrics-routes.js';
import { registerTagsRoutes } from './tempo/tags-routes.js';
import { registerTraceByIdRoute } from './tempo/trace-by-id-route.js';

/** Longest path parameter a query route takes (a long service or attribute name). */
const MAX_PATH_PARAM_LENGTH = 8 * 1024;

export interface ApiServerConfig {
  endpoint: ListenAddress;
  /** Stored traces, when this process has a store. */
  store?: TraceStore;
  /** Per-query time budget (default 30 s): past it, 504. */
  queryTimeoutMs?: number;
  /** Largest search `limit` (default 10,000). */
  maxSearchLimit?: number;
  /** Tenant and bearer-token rules for the query routes; default: `X-Scope-OrgID` or the default tenant. */
  identity?: RequestIdentity;
  /** Serve HTTPS with these credentials. */
  tls?: TlsServerCredentials;
  /** Origins browsers may query from; empty or absent: no CORS headers. */
  corsAllowedOrigins?: string[];
  /** Where a query route's 5xx is logged, with the route and the error; absent: not logged. */
  logger?: Logger;
}

/**
 * The read side's HTTP port (3200, Tempo's): readiness, `/metrics`, Tempo's, Jaeger's and the
 * native query APIs, and the UI. Query routes pass the identity hook (tenant, bearer token) and
 * the query deadline first.
 */
export class ApiServer {
  readonly component = 'http';
  private readonly app: FastifyInstance;
  /** Every query route's pattern (`GET /api/traces/:traceId`, …): what tenancy and auth apply to. */
  readonly queryRoutes: string[] = [];
  private ready = false;
  private stopped = false;

  constructor(private readonly config: ApiServerConfig) {
    // Service, operation and attribute names travel in paths (`/jaeger/api/services/:service/…`,
    // `/api/search/tag/:tagName/values`) and may be longer than Fastify's 100 characters; a
    // request line is bounded by Node's 16 KiB of headers anyway.
    this.app = createFastify({ routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH } }, config.tls);
    this.app.addHook('onRoute', (route) => {
      if (route.method === 'GET' && isQueryPath(route.url)) this.queryRoutes.push(route.url);
    });
    const timeoutMs = config.queryTimeoutMs ?? 30_000;
    const origins = config.corsAllowedOrigins ?? [];
    if (origins.length > 0)
      void this.app.register(cors, {
        origin: origins.includes('*') ? '*' : origins,
        methods: ['GET', 'HEAD'],
      });
    const identity = config.identity ?? RequestIdentity.open();
    registerIdentityHook(this.app, identity);
    registerQueryDeadlineHook(this.app, timeoutMs);
    registerQueryEncodingHook(this.app);
    if (config.logger) registerServerErrorLog(this.app, config.logger);
    registerSelfMetrics(this.app, selfMetrics);
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
      registerTraceCompactRoute(this.app, config.store);
      registerTagsRoutes(this.app, config.store);
      registerMetricsRoutes(this.app, config.store);
      registerSearchRoute(this.app, config.store, { timeoutMs, maxLimit: config.maxSearchLimit });
      registerJaegerRoutes(this.app, config.store, { timeoutMs });
    }
    this.app.get('/api/status/buildinfo', (_request, reply) => reply.send(buildInfo()));
    // The native API (/api/tracehouse/…) and the web UI at / with its SPA fallback.
    if (config.store) registerNativeRoutes(this.app, config.store);
    registerStaticUi(
      this.app,
      undefined,
      config.store ? tracePagePrefetch(config.store, identity) : undefined,
    );
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

/**
 * On a trace page (`/trace/<id>`, `?tenant=` as the UI keeps it), starts reading the trace's outline,
 * which the page asks for first — only when the page's request may read that tenant without credentials.
 */
function tracePagePrefetch(
  store: TraceStore,
  identity: RequestIdentity,
): (path: string, query: URLSearchParams) => void {
  const prefetch = outlinePrefetcher(store);
  return (path, query) => {
    const match = /^\/trace\/([0-9a-fA-F]{1,32})$/.exec(path);
    if (!match) return;
    const tenant = identity.openTenant(query.get('tenant') ?? undefined);
    if (tenant !== undefined) prefetch(tenant, match[1]); // an invalid tenant fails the read, quietly
  };
}
