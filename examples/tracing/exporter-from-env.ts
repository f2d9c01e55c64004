import { OTLPTraceExporter as OtlpGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace-node';
import { ConsoleSpanExporter } from '@opentelemetry/sdk-trace-node';

/** What `exporterFromEnv` decided, kept for the start-up line and for tests. */
export interface ExporterChoice {
  kind: 'console' | 'otlp' | 'none';
  /** For `otlp`: `grpc`, `http/protobuf` or `http/json`. */
  protocol?: string;
  /** For `otlp`: where spans go (the HTTP exporters' full `/v1/traces` URL). */
  url?: string;
  exporter?: SpanExporter;
}

const PROTOCOLS = ['grpc', 'http/protobuf', 'http/json'] as const;

/**
 * Chooses where spans go from the environment:
 * - `OTEL_TRACES_EXPORTER` = `console`, `otlp` or `none` (the standard variable); when unset,
 *   `otlp` if an endpoint is configured, else `console` — the tutorial's first step prints spans,
 *   its second sends them to a collector;
 * - the endpoint: `OTEL_COLLECTOR_ENDPOINT` (the tutorial's variable, `host:port` or a URL), else
 *   the standard `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is) or
 *   `OTEL_EXPORTER_OTLP_ENDPOINT` (`/v1/traces` appended for HTTP, as the specification says);
 * - `OTEL_EXPORTER_OTLP_PROTOCOL` = `http/protobuf` (default, as in the specification), `http/json`
 *   or `grpc`.
 * Throws on a value it does not understand: a service that silently exports nowhere is worse
 * than one that does not start.
 */
export function exporterFromEnv(env: NodeJS.ProcessEnv): ExporterChoice {
  const endpoint = otlpEndpoint(env);
  const kind = (env.OTEL_TRACES_EXPORTER ?? (endpoint ? 'otlp' : 'console')).trim().toLowerCase();
  if (kind === 'none') return { kind: 'none' };
  if (kind === 'console') return { kind: 'console', exporter: new ConsoleSpanExporter() };
  if (kind !== 'otlp') throw new Error(`OTEL_TRACES_EXPORTER="${kind}": expected console, otlp or none`);

  const protocol = (
    env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ??
    env.OTEL_EXPORTER_OTLP_PROTOCOL ??
    'http/protobuf'
  )
    .trim()
    .toLowerCase();
  if (!(PROTOCOLS as readonly string[]).includes(protocol))
    throw new Error(`OTEL_EXPORTER_OTLP_PROTOCOL="${protocol}": expected ${PROTOCOLS.join(', ')}`);
  const base = endpoint?.url ?? (protocol === 'grpc' ? 'http://localhost:4317' : 'http://localhost:4318');
  if (protocol === 'grpc')
    return { kind, protocol, url: base, exporter: new OtlpGrpcExporter({ url: base }) };
  const url = endpoint?.exact === true ? base : `${base.replace(/\/+$/, '')}/v1/traces`;
  const exporter = protocol === 'http/json' ? new OtlpJsonExporter({ url }) : new OtlpProtoExporter({ url });
  return { kind, protocol, url, exporter };
}

/** The configured endpoint; `exact` when it is a per-signal URL that must not get a path appended. */
function otlpEndpoint(env: NodeJS.ProcessEnv): { url: string; exact: boolean } | undefined {
  const collector = env.OTEL_COLLECTOR_ENDPOINT?.trim();
  if (collector) return { url: withScheme(collector), exact: false };
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return { url: withScheme(traces), exact: true };
  const common = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (common) return { url: withScheme(common), exact: false };
  return undefined;
}

/** The tutorial writes `otel-collector:4317`; the exporters want a URL. */
function withScheme(endpoint: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `http://${endpoint}`;
}
