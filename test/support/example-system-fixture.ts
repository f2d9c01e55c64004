import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyValue } from '../../src/model/attributes.js';
import type { ResourceSpans, Span, TracesData } from '../../src/model/span.js';
import { SpanKind, StatusCode } from '../../src/model/span.js';
import { EmbeddedDriver } from '../../src/store/driver/embedded-driver.js';
import { encodeSpanBlocks } from '../../src/store/rows/span-blocks.js';
import type { TimeRange } from '../../src/store/trace-store.js';
import { TraceStore } from '../../src/store/trace-store.js';

/*
 * The example system (reservations-service calls user-service) as stored spans, for query tests.
 * Ten traces, 10 s apart; trace i's root lasts R = 10 ms × (i + 1) and every span's start and
 * length are per-mille of R, so all times are exact. The facts tests assert are written out by
 * hand in EXAMPLE_FACTS, not computed by the code under test.
 */

const MS = 1_000_000n;
const USERS = ['alice', 'bob', 'carol', 'dave'];

/** [service, name, kind, parent template (-1: root, -2: never stored), start, length (per-mille of R)] */
type SpanTemplate = readonly [string, string, SpanKind, number, number, number];

const TEMPLATES: readonly SpanTemplate[] = [
  ['reservations-service', 'reservations_handler', SpanKind.SERVER, -1, 0, 1000],
  ['reservations-service', 'parse_request', SpanKind.INTERNAL, 0, 20, 50],
  ['reservations-service', 'fetch_limit', SpanKind.CLIENT, 0, 100, 450],
  ['user-service', 'reservation_limits_handler', SpanKind.SERVER, 2, 120, 400],
  ['user-service', 'validate_username', SpanKind.INTERNAL, 3, 130, 30],
  ['user-service', 'fetch_record', SpanKind.CLIENT, 3, 170, 300],
  ['reservations-service', 'fetch_reservations_count', SpanKind.CLIENT, 0, 570, 150],
  ['reservations-service', 'make_reservation', SpanKind.CLIENT, 0, 740, 240],
  ['reservations-service', 'publish_reservation', SpanKind.PRODUCER, 0, 980, 10],
  // Starts after the root has ended, as a queue consumer does; links to its producer.
  ['notification-service', 'process_reservation', SpanKind.CONSUMER, 8, 1050, 200],
  // An orphan: its parent was never stored.
  ['notification-service', 'send_email', SpanKind.INTERNAL, -2, 1300, 100],
  // A cross-service child that is neither SERVER nor CONSUMER.
  ['audit-service', 'write_audit', SpanKind.INTERNAL, 7, 800, 100],
];

/** Traces that have a span; all when not listed. */
const ONLY: Readonly<Record<string, readonly number[]>> = {
  publish_reservation: [0, 2, 4, 6, 8],
  process_reservation: [0, 2, 4, 6, 8],
  send_email: [0],
  write_audit: [9],
};

/** Traces in which a span is in error, with the `exception.type` of its `exception` event. */
const ERRORS: Readonly<Record<string, readonly [type: string, traces: readonly number[]]>> = {
  reservations_handler: ['LimitReachedError', [2, 7]],
  fetch_limit: ['HttpError', [2, 8]],
  reservation_limits_handler: ['UserNotFoundError', [2]],
  make_reservation: ['DeadlockError', [5]],
  process_reservation: ['MailboxFullError', [4]],
};

/** An attribute list from an object literal (keys keep their order). */
function attrs(values: Record<string, KeyValue['value']>): KeyValue[] {
  return Object.entries(values).map(([key, value]) => ({ key, value }));
}

function spanAttributes(name: string, i: number): KeyValue[] {
  const user = USERS[i % 4];
  const method = name === 'reservations_handler' ? 'POST' : 'GET';
  const code = (ok: bigint, failed: Record<number, bigint>): bigint => failed[i] ?? ok;
  switch (name) {
    case 'reservations_handler':
      return attrs({
        'http.request.method': method,
        'http.route': '/reservations',
        'http.response.status_code': code(201n, { 2: 500n, 7: 500n }),
        'user.name': user,
      });
    case 'fetch_limit':
      return attrs({
        'http.request.method': method,
        'url.full': `http://user-service:8080/users/${user}/limits`,
        'http.response.status_code': code(200n, { 2: 404n, 8: 504n }),
      });
    case 'reservation_limits_handler':
      return attrs({
        'http.request.method': method,
        'http.route': '/users/:username/limits',
        'http.response.status_code': code(200n, { 2: 404n }),
      });
    case 'validate_username':
      return attrs({ 'user.name': user, 'user.valid': i !== 2 });
    case 'fetch_record':
      return attrs({ 'db.system': 'redis', 'db.operation': 'GET', 'cache.hit': i % 3 === 0 });
    case 'fetch_reservations_count':
      return attrs({ 'db.system': 'postgresql', 'db.operation': 'SELECT' });
    case 'make_reservation':
      return attrs({
        'db.system': 'postgresql',
        'db.operation': 'INSERT',
        'reservation.price': (i + 1) * 2.5,
      });
    case 'publish_reservation':
    case 'process_reservation':
      return attrs({ 'messaging.system': 'kafka', 'messaging.destination.name': 'reservations' });
    case 'write_audit':
      return attrs({ 'audit.action': 'create' });
    default:
      return [];
  }
}

export interface ExampleSystem {
  data: TracesData;
  /** Unix seconds: every span but the legacy one, which is an hour before it. */
  range: TimeRange;
  /** Index = trace number. */
  traceIds: string[];
}

export function exampleTraceId(i: number): string {
  return `5b8efff798038103d269b633813fc6${i.toString(16).padStart(2, '0')}`;
}

/** Span j of trace i. */
export function exampleSpanId(i: number, j: number): string {
  return `${(i + 1).toString(16).padStart(2, '0')}${j.toString(16).padStart(2, '0')}`.padEnd(16, 'e');
}

/** The fixture, its traces starting ten minutes before `nowMs`. */
export function exampleSystem(nowMs = Date.now()): ExampleSystem {
  const baseSeconds = Math.floor(nowMs / 1000) - 600;
  const base = BigInt(baseSeconds) * 1_000_000_000n;
  const byService = new Map<string, Span[]>();
  const traceIds: string[] = [];
  for (let i = 0; i < 10; i++) {
    const traceId = exampleTraceId(i);
    traceIds.push(traceId);
    const t0 = base + BigInt(i) * 10_000n * MS;
    const r = BigInt(i + 1) * 10n * MS;
    TEMPLATES.forEach(([service, name, kind, parent, at, length], j) => {
      if (ONLY[name] && !ONLY[name].includes(i)) return;
      const start = t0 + (r * BigInt(at)) / 1000n;
      const error = ERRORS[name]?.[1].includes(i) === true;
      const span: Span = {
        traceId,
        spanId: exampleSpanId(i, j),
        traceState: '',
        parentSpanId: parent === -1 ? '' : parent === -2 ? 'deadbeefdeadbeef' : exampleSpanId(i, parent),
        flags: 0x301,
        name,
        kind,
        startTimeUnixNano: start,
        endTimeUnixNano: start + (r * BigInt(length)) / 1000n,
        attributes: spanAttributes(name, i),
        droppedAttributesCount: 0,
        events: [],
        droppedEventsCount: 0,
        links: [],
        droppedLinksCount: 0,
        status: error
          ? { code: StatusCode.ERROR, message: `${name} failed` }
          : { code: StatusCode.UNSET, message: '' },
      };
      if (error)
        span.events.push(
          event(
            start + MS,
            'exception',
            attrs({ 'exception.type': ERRORS[name][0], 'exception.escaped': true }),
          ),
        );
      if (name === 'make_reservation' && i === 5)
        span.events.push(event(start + 2n * MS, 'db.retry', attrs({ 'retry.attempt': 1n })));
      if (kind === SpanKind.CONSUMER)
        span.links.push({
          traceId,
          spanId: span.parentSpanId,
          traceState: '',
          attributes: attrs({ 'link.kind': 'producer', 'link.weight': 1n }),
          droppedAttributesCount: 0,
          flags: 0,
        });
      let list = byService.get(service);
      if (!list) byService.set(service, (list = []));
      list.push(span);
    });
  }
  const legacy: Span = {
    ...byService.get('reservations-service')![0],
    traceId: exampleTraceId(0xff),
    spanId: 'ffffffffffffff01',
    name: 'legacy_handler',
    startTimeUnixNano: base - 3600_000n * MS,
    endTimeUnixNano: base - 3599_000n * MS,
    attributes: [{ key: 'legacy.only', value: 'yes' }],
  };
  const data = [...byService].map(([service, spans], n) => resourceSpans(service, n + 1, spans));
  data.push(resourceSpans('legacy-service', 9, [legacy]));
  return { data, range: { start: baseSeconds, end: baseSeconds + 120 }, traceIds };
}

function event(time: bigint, name: string, attributes: KeyValue[]) {
  return { timeUnixNano: time, name, attributes, droppedAttributesCount: 0 };
}

function resourceSpans(service: string, n: number, spans: Span[]): ResourceSpans {
  const http = service === 'reservations-service';
  return {
    resource: {
      attributes: attrs({
        'service.name': service,
        'telemetry.sdk.language': 'nodejs',
        'host.name': `host-${n}`,
        'process.pid': BigInt(100 + n),
      }),
      droppedAttributesCount: 0,
    },
    schemaUrl: '',
    scopeSpans: [
      {
        scope: {
          name: http ? '@opentelemetry/instrumentation-http' : service,
          version: http ? '0.52.0' : '',
          attributes: attrs(http ? { 'scope.team': 'bookings', 'scope.sampled': true } : {}),
          droppedAttributesCount: 0,
        },
        spans,
        schemaUrl: '',
      },
    ],
  };
}

/**
 * What the fixture holds inside `range`, worked out by hand from the templates above. Durations
 * are nanoseconds; trace facts are for trace numbers 0, 2 and 9.
 */
export const EXAMPLE_FACTS = {
  spanCount: 92,
  services: ['audit-service', 'notification-service', 'reservations-service', 'user-service'],
  /** [service, span name, kind, count, errors] */
  operations: [
    ['reservations-service', 'reservations_handler', 'server', 10, 2],
    ['reservations-service', 'parse_request', 'internal', 10, 0],
    ['reservations-service', 'fetch_limit', 'client', 10, 2],
    ['reservations-service', 'fetch_reservations_count', 'client', 10, 0],
    ['reservations-service', 'make_reservation', 'client', 10, 1],
    ['reservations-service', 'publish_reservation', 'producer', 5, 0],
    ['user-service', 'reservation_limits_handler', 'server', 10, 1],
    ['user-service', 'validate_username', 'internal', 10, 0],
    ['user-service', 'fetch_record', 'client', 10, 0],
    ['notification-service', 'process_reservation', 'consumer', 5, 1],
    ['notification-service', 'send_email', 'internal', 1, 0],
    ['audit-service', 'write_audit', 'internal', 1, 0],
  ],
  /** With the server side's durations, in milliseconds. */
  edges: [
    { client: 'reservations-service', server: 'audit-service', requestCount: 1, errorCount: 0, ms: [10] },
    {
      client: 'reservations-service',
      server: 'notification-service',
      requestCount: 5,
      errorCount: 1,
      ms: [2, 6, 10, 14, 18],
    },
    {
      client: 'reservations-service',
      server: 'user-service',
      requestCount: 10,
      errorCount: 2,
      ms: [4, 8, 12, 16, 20, 24, 28, 32, 36, 40],
    },
  ],
  nodes: [
    { service: 'audit-service', requestCount: 1, errorCount: 0 },
    { service: 'notification-service', requestCount: 5, errorCount: 1 },
    { service: 'reservations-service', requestCount: 10, errorCount: 2 },
    { service: 'user-service', requestCount: 10, errorCount: 1 },
  ],
  keys: {
    resource: ['host.name', 'process.pid', 'service.name', 'telemetry.sdk.language'],
    span: [
      'audit.action',
      'cache.hit',
      'db.operation',
      'db.system',
      'http.request.method',
      'http.response.status_code',
      'http.route',
      'messaging.destination.name',
      'messaging.system',
      'reservation.price',
      'url.full',
      'user.name',
      'user.valid',
    ],
    event: ['exception.escaped', 'exception.type', 'retry.attempt'],
    link: ['link.kind', 'link.weight'],
    instrumentation: ['scope.sampled', 'scope.team'],
  },
  traces: {
    0: {
      spanCount: 11,
      errorCount: 0,
      depth: 4,
      durationNanos: 14n * MS,
      services: 'notification reservations user',
    },
    2: {
      spanCount: 10,
      errorCount: 3,
      depth: 4,
      durationNanos: 37_500_000n,
      services: 'notification reservations user',
    },
    9: {
      spanCount: 9,
      errorCount: 0,
      depth: 4,
      durationNanos: 100n * MS,
      services: 'audit reservations user',
    },
  },
} as const;

/** Texts that break naive quoting; none is empty (a '' service is not listed) nor holds a NUL. */
export const HOSTILE_TEXTS = [
  "')) OR 1=1 --",
  "it's",
  'back\\slash\\',
  "\\' OR ''='",
  'tab\tnew\nline\r',
  '{service:String}',
  'naïve ☃ 🚀 日本語',
  '\\N',
  '`; DROP DATABASE system; --',
] as const;

/**
 * One trace in which each hostile text is a service, a span name, an attribute key and its value
 * (span, resource and event); span k is the child of span k − 1, so each consecutive pair of
 * services is a cross-service edge. Starts at `range.start` of the example system.
 */
export function hostileSystem(nowMs = Date.now()): TracesData {
  const start = BigInt(Math.floor(nowMs / 1000) - 600) * 1_000_000_000n;
  return HOSTILE_TEXTS.map((text, k): ResourceSpans => {
    const system = resourceSpans(text, k, []);
    system.resource.attributes.push({ key: text, value: text });
    system.scopeSpans[0].spans.push({
      traceId: exampleTraceId(0xee),
      spanId: exampleSpanId(0xee, k),
      traceState: '',
      parentSpanId: k === 0 ? '' : exampleSpanId(0xee, k - 1),
      flags: 1,
      name: text,
      kind: SpanKind.SERVER,
      startTimeUnixNano: start + BigInt(k) * MS,
      endTimeUnixNano: start + BigInt(k + 1) * MS,
      attributes: [{ key: text, value: text }],
      droppedAttributesCount: 0,
      events: [event(start, text, [{ key: text, value: text }])],
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      status: { code: StatusCode.UNSET, message: text },
    });
    return system;
  });
}

export interface ExampleStore {
  store: TraceStore;
  system: ExampleSystem;
  close(): Promise<void>;
}

/**
 * An embedded engine in a fresh temporary folder (one per test file: chdb holds one data folder
 * per process) with the example system stored for `tenant`, and the hostile trace for
 * `hostileTenant` when given. Retention 0: no TTL can drop rows mid-test.
 */
export async function openExampleStore(tenant: string, hostileTenant?: string): Promise<ExampleStore> {
  const dir = await mkdtemp(join(tmpdir(), 'tracehouse-query-'));
  const driver = await EmbeddedDriver.open(dir);
  const store = new TraceStore(driver, { retentionSeconds: 0 });
  const system = exampleSystem();
  await store.insertSpans(tenant, encodeSpanBlocks(system.data));
  if (hostileTenant !== undefined) await store.insertSpans(hostileTenant, encodeSpanBlocks(hostileSystem()));
  return {
    store,
    system,
    close: async () => {
      await driver.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
