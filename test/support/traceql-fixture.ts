import type { AnyValue } from '../../src/model/attributes.js';
import { emptySpan } from '../../src/model/factories.js';
import type { Span, SpanKind, StatusCode, TracesData } from '../../src/model/span.js';

/**
 * The TraceQL test data set: the example system's shape (reservations-service calling
 * user-service) plus the edge cases a query engine must not trip on — a missing parent, clock
 * skew, a 10,000-span trace, a producer/consumer pair with a link, hostile strings. Times are
 * relative to `baseMs` (near now, so retention never drops them); trace ids are fixed names.
 */
export const TRACE = {
  success: hex32('a1'),
  limitExceeded: hex32('a2'),
  limitNotFound: hex32('a3'),
  missingParent: hex32('a4'),
  clockSkew: hex32('a5'),
  big: hex32('a6'),
  messaging: hex32('a7'),
  hostile: hex32('a8'),
} as const;

export const HOSTILE_VALUES = ["')) OR 1=1 --", 'back\\slash', 'quote"d', 'naïve ☃ 🚀 日本語'] as const;

export const BIG_TRACE_CHILDREN = 9_999;

interface SpanSpec {
  trace: string;
  id: string;
  parent?: string;
  service: string;
  name: string;
  kind: SpanKind;
  startMs: number;
  durationMs: number;
  attributes?: Record<string, AnyValue>;
  resource?: Record<string, AnyValue>;
  status?: { code: StatusCode; message?: string };
  events?: { name: string; offsetMs: number; attributes?: Record<string, AnyValue> }[];
  links?: { traceId: string; spanId: string; attributes?: Record<string, AnyValue> }[];
}

function hex32(prefix: string): string {
  return prefix.padEnd(32, '0');
}

function hex16(n: number, prefix = 'b'): string {
  return (prefix + n.toString(16)).padStart(16, '0');
}

const kv = (record: Record<string, AnyValue> | undefined) =>
  Object.entries(record ?? {}).map(([key, value]) => ({ key, value }));

/** One request through both services; `variant` picks the tutorial's three answers. */
function reservation(
  trace: string,
  startMs: number,
  variant: 'success' | 'exceeded' | 'notFound',
  username: string,
): SpanSpec[] {
  const s = (n: number) => `${trace.slice(0, 2)}${n.toString().padStart(14, '0')}`;
  const RS = 'reservations-service';
  const US = 'user-service';
  const error = {
    code: 2 as StatusCode,
    message: variant === 'exceeded' ? 'limit exceeded' : 'limit not found',
  };
  const rootStatus = variant === 'success' ? undefined : error;
  const limitStatus = variant === 'notFound' ? 404n : 200n;
  const spans: SpanSpec[] = [
    {
      trace,
      id: s(1),
      service: RS,
      name: 'reservations_handler',
      kind: 2,
      startMs,
      durationMs: variant === 'exceeded' ? 800 : 400,
      attributes: {
        'http.route': '/reservations',
        'http.status_code': variant === 'success' ? 200n : variant === 'exceeded' ? 500n : 404n,
        username,
      },
      status: rootStatus,
    },
    {
      trace,
      id: s(2),
      parent: s(1),
      service: RS,
      name: 'parse_request',
      kind: 1,
      startMs: startMs + 1,
      durationMs: 5,
    },
    {
      trace,
      id: s(3),
      parent: s(1),
      service: RS,
      name: 'fetch_limit',
      kind: 3,
      startMs: startMs + 10,
      durationMs: 150,
      attributes: { 'http.status_code': limitStatus, 'peer.service': US },
      status: variant === 'notFound' ? error : undefined,
    },
    {
      trace,
      id: s(4),
      parent: s(3),
      service: US,
      name: 'reservation_limits_handler',
      kind: 2,
      startMs: startMs + 20,
      durationMs: 120,
      attributes: { 'http.status_code': limitStatus },
      status: variant === 'notFound' ? error : undefined,
      events:
        variant === 'notFound'
          ? [{ name: 'exception', offsetMs: 5, attributes: { 'exception.message': 'unknown user' } }]
          : [],
    },
    {
      trace,
      id: s(5),
      parent: s(4),
      service: US,
      name: 'validate_username',
      kind: 1,
      startMs: startMs + 25,
      durationMs: 10,
    },
  ];
  if (variant !== 'notFound') {
    spans.push(
      {
        trace,
        id: s(6),
        parent: s(4),
        service: US,
        name: 'fetch_record',
        kind: 1,
        startMs: startMs + 40,
        durationMs: 50,
        attributes: { 'db.system': 'postgresql' },
      },
      {
        trace,
        id: s(7),
        parent: s(1),
        service: RS,
        name: 'fetch_reservations_count',
        kind: 1,
        startMs: startMs + 170,
        durationMs: 30,
      },
    );
  }
  if (variant === 'success') {
    spans.push({
      trace,
      id: s(8),
      parent: s(1),
      service: RS,
      name: 'make_reservation',
      kind: 1,
      startMs: startMs + 210,
      durationMs: 20,
      attributes: { item_id: 42n, price: 9.5, in_stock: true },
    });
  }
  return spans;
}

export function traceqlFixtureSpecs(baseMs: number): SpanSpec[] {
  const specs: SpanSpec[] = [
    ...reservation(TRACE.success, baseMs, 'success', 'alice'),
    ...reservation(TRACE.limitExceeded, baseMs + 1000, 'exceeded', 'bob'),
    ...reservation(TRACE.limitNotFound, baseMs + 2000, 'notFound', 'c4rl'),
    // The user-service part of a trace whose caller never reported.
    {
      trace: TRACE.missingParent,
      id: hex16(1, 'c'),
      parent: hex16(99, 'c'),
      service: 'user-service',
      name: 'reservation_limits_handler',
      kind: 2,
      startMs: baseMs + 3000,
      durationMs: 60,
    },
    {
      trace: TRACE.missingParent,
      id: hex16(2, 'c'),
      parent: hex16(1, 'c'),
      service: 'user-service',
      name: 'fetch_record',
      kind: 1,
      startMs: baseMs + 3010,
      durationMs: 20,
    },
    // A child that starts before its parent (the two hosts' clocks disagree).
    {
      trace: TRACE.clockSkew,
      id: hex16(1, 'd'),
      service: 'reservations-service',
      name: 'reservations_handler',
      kind: 2,
      startMs: baseMs + 4000,
      durationMs: 100,
    },
    {
      trace: TRACE.clockSkew,
      id: hex16(2, 'd'),
      parent: hex16(1, 'd'),
      service: 'user-service',
      name: 'reservation_limits_handler',
      kind: 2,
      startMs: baseMs + 3950,
      durationMs: 40,
    },
    // Producer → consumer across services, the consumer linking back to the successful request.
    {
      trace: TRACE.messaging,
      id: hex16(1, 'e'),
      service: 'reservations-service',
      name: 'publish reservation',
      kind: 4,
      startMs: baseMs + 5000,
      durationMs: 3,
      attributes: { 'messaging.system': 'kafka' },
    },
    {
      trace: TRACE.messaging,
      id: hex16(2, 'e'),
      parent: hex16(1, 'e'),
      service: 'notification-service',
      name: 'process reservation',
      kind: 5,
      startMs: baseMs + 5010,
      durationMs: 350,
      links: [
        {
          traceId: TRACE.success,
          spanId: 'a1' + '1'.padStart(14, '0'),
          attributes: { 'link.reason': 'follows' },
        },
      ],
    },
    // Strings that break naive SQL quoting, as attribute values, a resource attribute and a name.
    {
      trace: TRACE.hostile,
      id: hex16(1, 'f'),
      service: 'reservations-service',
      name: HOSTILE_VALUES[0],
      kind: 1,
      startMs: baseMs + 6000,
      durationMs: 1,
      attributes: Object.fromEntries(HOSTILE_VALUES.map((v, i) => [`hostile.${i}`, v])),
      resource: { 'team.name': HOSTILE_VALUES[2] },
    },
  ];
  specs.push({
    trace: TRACE.big,
    id: hex16(0, '9'),
    service: 'batch-service',
    name: 'batch_job',
    kind: 2,
    startMs: baseMs + 7000,
    durationMs: 2000,
  });
  for (let i = 1; i <= BIG_TRACE_CHILDREN; i++) {
    specs.push({
      trace: TRACE.big,
      id: hex16(i, '9'),
      parent: hex16(0, '9'),
      service: 'batch-service',
      name: 'process_item',
      kind: 1,
      startMs: baseMs + 7000 + i * 0.1,
      durationMs: i === 5000 ? 900 : 1,
      attributes: { 'item.index': BigInt(i) },
      status: i % 1000 === 0 ? { code: 2 as StatusCode } : undefined,
    });
  }
  return specs;
}

const nanos = (ms: number) => BigInt(Math.round(ms * 1000)) * 1000n;

/** The data set as one OTLP batch, grouped by service (resource) as an SDK would send it. */
export function traceqlFixture(baseMs: number): TracesData {
  const byService = new Map<string, { resource: Record<string, AnyValue>; spans: Span[] }>();
  for (const spec of traceqlFixtureSpecs(baseMs)) {
    const resource = {
      'service.name': spec.service,
      'deployment.environment': spec.service === 'batch-service' ? 'staging' : 'prod',
      ...spec.resource,
    };
    const key = JSON.stringify(resource);
    let group = byService.get(key);
    if (!group) byService.set(key, (group = { resource, spans: [] }));
    const start = nanos(spec.startMs);
    group.spans.push({
      ...emptySpan(),
      traceId: spec.trace,
      spanId: spec.id,
      parentSpanId: spec.parent ?? '',
      name: spec.name,
      kind: spec.kind,
      startTimeUnixNano: start,
      endTimeUnixNano: start + nanos(spec.durationMs),
      attributes: kv(spec.attributes),
      status: { code: spec.status?.code ?? 0, message: spec.status?.message ?? '' },
      events: (spec.events ?? []).map((e) => ({
        name: e.name,
        timeUnixNano: start + nanos(e.offsetMs),
        attributes: kv(e.attributes),
        droppedAttributesCount: 0,
      })),
      links: (spec.links ?? []).map((l) => ({
        traceId: l.traceId,
        spanId: l.spanId,
        traceState: '',
        attributes: kv(l.attributes),
        droppedAttributesCount: 0,
        flags: 0,
      })),
    });
  }
  return [...byService.values()].map(({ resource, spans }) => ({
    resource: { attributes: kv(resource), droppedAttributesCount: 0 },
    schemaUrl: '',
    scopeSpans: [
      {
        scope: { name: 'tracehouse-fixture', version: '1.0.0', attributes: [], droppedAttributesCount: 0 },
        spans,
        schemaUrl: '',
      },
    ],
  }));
}
