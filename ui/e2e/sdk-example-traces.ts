import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Context, Link, Span, Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface SentTraces {
  /** reservations-service → user-service, 8 spans. */
  reservation: { traceId: string; makeReservationSpanId: string; spans: number };
  /** A notification-service consumer whose span links to the reservation's make_reservation. */
  notification: { traceId: string; spans: number };
  /** A failed reservation (user not found), 6 spans. */
  failed: { traceId: string; spans: number };
}

/**
 * The classic tutorial's traces, made by the real OpenTelemetry SDK (one tracer provider per
 * service, context handed from client to server span as propagation would) and exported over
 * OTLP/HTTP to the Tracehouse under test. Times are fixed offsets from `baseMs`, so layouts are
 * deterministic.
 */
export async function sendExampleTraces(otlpTracesUrl: string, baseMs: number): Promise<SentTraces> {
  const providers = ['reservations-service', 'user-service', 'notification-service'].map(
    (service) =>
      new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': service, 'deployment.environment': 'e2e' }),
        spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: otlpTracesUrl }))],
      }),
  );
  const [reservations, users, notifications] = providers.map((p) =>
    p.getTracer('tracehouse-ui-e2e', '1.0.0'),
  );
  const at = (ms: number) => baseMs + ms;

  const one = reservation(reservations, users, at, 0, 'alice', true);
  const failed = reservation(reservations, users, at, 2_000, 'ghost', false);
  const link: Link = {
    context: one.makeReservation.spanContext(),
    attributes: { 'messaging.operation': 'process' },
  };
  const consumer = notifications.startSpan('process_reservation', {
    kind: SpanKind.CONSUMER,
    startTime: at(4_000),
    links: [link],
  });
  const sendCtx = trace.setSpan(context.active(), consumer);
  notifications.startSpan('send_email', { startTime: at(4_010) }, sendCtx).end(at(4_050));
  consumer.end(at(4_060));

  for (const provider of providers) await provider.forceFlush();
  await Promise.all(providers.map((p) => p.shutdown()));
  return {
    reservation: {
      traceId: one.traceId,
      makeReservationSpanId: one.makeReservation.spanContext().spanId,
      spans: 8,
    },
    notification: { traceId: consumer.spanContext().traceId, spans: 2 },
    failed: { traceId: failed.traceId, spans: 6 },
  };
}

/**
 * One trace of a `billing-service` (a `charge_card` server span and its `authorize` child) sent
 * for `tenant` (`X-Scope-OrgID`), to tell tenants apart in the UI.
 */
export async function sendTenantTrace(
  otlpTracesUrl: string,
  tenant: string,
  baseMs: number,
): Promise<{ traceId: string; spans: number }> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'billing-service' }),
    spanProcessors: [
      new SimpleSpanProcessor(
        new OTLPTraceExporter({ url: otlpTracesUrl, headers: { 'X-Scope-OrgID': tenant } }),
      ),
    ],
  });
  const tracer = provider.getTracer('tracehouse-ui-e2e', '1.0.0');
  const root = tracer.startSpan('charge_card', { kind: SpanKind.SERVER, startTime: baseMs });
  tracer
    .startSpan('authorize', { startTime: baseMs + 2 }, trace.setSpan(context.active(), root))
    .end(baseMs + 8);
  root.end(baseMs + 10);
  await provider.forceFlush();
  await provider.shutdown();
  return { traceId: root.spanContext().traceId, spans: 2 };
}

function reservation(
  reservations: Tracer,
  users: Tracer,
  at: (ms: number) => number,
  t0: number,
  username: string,
  found: boolean,
): { traceId: string; makeReservation: Span } {
  const child = (
    tracer: Tracer,
    parent: Context,
    name: string,
    kind: SpanKind,
    start: number,
    end: number,
    attributes = {},
  ) => {
    const span = tracer.startSpan(name, { kind, startTime: at(t0 + start), attributes }, parent);
    return { span, ctx: trace.setSpan(parent, span), end: () => span.end(at(t0 + end)) };
  };
  const root = reservations.startSpan('reservations_handler', {
    kind: SpanKind.SERVER,
    startTime: at(t0),
    attributes: { 'http.request.method': 'POST', 'http.route': '/reservations', 'user.name': username },
  });
  const rootCtx = trace.setSpan(context.active(), root);
  child(reservations, rootCtx, 'parse_request', SpanKind.INTERNAL, 1, 3).end();
  const limit = child(reservations, rootCtx, 'fetch_limit', SpanKind.CLIENT, 4, 40, {
    'url.full': `http://user-service/users/${username}/limits`,
  });
  const handler = child(users, limit.ctx, 'reservation_limits_handler', SpanKind.SERVER, 6, 38, {
    'http.route': '/users/:name/limits',
  });
  child(users, handler.ctx, 'validate_username', SpanKind.INTERNAL, 7, 9).end();
  const record = child(users, handler.ctx, 'fetch_record', SpanKind.CLIENT, 10, 36, {
    'db.system': 'sqlite',
  });
  record.end();
  if (!found) {
    handler.span.recordException({ name: 'UserNotFoundError', message: `no user ${username}` }, at(t0 + 37));
    handler.span.setStatus({ code: SpanStatusCode.ERROR, message: 'user not found' });
    limit.span.setStatus({ code: SpanStatusCode.ERROR, message: 'HTTP 404' });
    root.setStatus({ code: SpanStatusCode.ERROR, message: 'limit not found' });
  }
  handler.end();
  limit.end();
  let makeReservation = limit.span;
  if (found) {
    child(reservations, rootCtx, 'fetch_reservations_count', SpanKind.CLIENT, 42, 60).end();
    const make = child(reservations, rootCtx, 'make_reservation', SpanKind.CLIENT, 62, 95, {
      'db.operation.name': 'INSERT',
    });
    make.span.addEvent('reservation.stored', { 'reservation.id': 42 }, at(t0 + 90));
    make.end();
    makeReservation = make.span;
  }
  root.end(at(t0 + (found ? 100 : 45)));
  return { traceId: root.spanContext().traceId, makeReservation };
}
