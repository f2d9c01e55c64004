import type { FastifyInstance } from 'fastify';
import { PROMETHEUS_TEXT_TYPE } from '../observability/metrics-registry.js';
import type { MetricsRegistry } from '../observability/metrics-registry.js';
import { queryDurationSeconds } from '../observability/self-metrics.js';
import { isQueryRequest } from './query-paths.js';

/**
 * `GET /metrics` in Prometheus' text format, on the query port as Tempo serves its own, without
 * tenant or token (Tempo's `/metrics` takes none either), and the latency of every query request
 * by route pattern (`/api/traces/:traceId`, never the raw URL, so the label set stays small).
 */
export function registerSelfMetrics(app: FastifyInstance, registry: MetricsRegistry): void {
  app.get('/metrics', (_request, reply) => reply.type(PROMETHEUS_TEXT_TYPE).send(registry.render()));
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url;
    if (route !== undefined && isQueryRequest(request)) {
      queryDurationSeconds.observe(
        { route, status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    }
    done();
  });
}
