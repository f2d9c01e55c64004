import type { FastifyInstance } from 'fastify';
import type { TraceStore } from '../../store/trace-store.js';
import { registerJaegerMetricsRoutes } from './jaeger-metrics-routes.js';
import type { JaegerRouteOptions } from './jaeger-v1-routes.js';
import { registerJaegerV1Routes } from './jaeger-v1-routes.js';
import { registerJaegerV3Routes } from './jaeger-v3-routes.js';

export type { JaegerRouteOptions };

/**
 * The Jaeger-compatible API under `/jaeger` — Jaeger query's own paths with `--query.base-path=/jaeger`,
 * so Jaeger UI served at `/jaeger` and Grafana's Jaeger data source (URL `…:3200/jaeger`) find it:
 * the v1 JSON API, the v3 (OTLP) API and the Monitor tab's metrics. Tenant: `X-Scope-OrgID`.
 */
export function registerJaegerRoutes(
  app: FastifyInstance,
  store: TraceStore,
  options: JaegerRouteOptions,
): void {
  registerJaegerV1Routes(app, store, options);
  registerJaegerV3Routes(app, store, options);
  registerJaegerMetricsRoutes(app, store);
}
