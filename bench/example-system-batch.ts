import type { KeyValue } from '../src/model/attributes.js';
import type { Span, SpanKind, TracesData } from '../src/model/span.js';

/** One span of the example system's trace: name, service, kind, parent (index), attributes. */
interface SpanTemplate {
  name: string;
  service: 0 | 1;
  kind: SpanKind;
  parent: number;
  /** Start and length as fractions of the root span. */
  at: number;
  length: number;
  attributes: (random: () => number, username: string) => KeyValue[];
}

const SERVICES = ['reservations-service', 'user-service'] as const;
const USERNAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];

// reservations-service: POST /reservations → parse, ask user-service for the limit, count, insert.
// user-service: GET /users/:username/limits → validate, read the record.
const TRACE: readonly SpanTemplate[] = [
  {
    name: 'reservations_handler',
    service: 0,
    kind: 2,
    parent: -1,
    at: 0,
    length: 1,
    attributes: (random, username) => [
      { key: 'http.request.method', value: 'POST' },
      { key: 'http.route', value: '/reservations' },
      { key: 'http.response.status_code', value: random() < 0.97 ? 201n : 429n },
      { key: 'user.name', value: username },
    ],
  },
  { name: 'parse_request', service: 0, kind: 1, parent: 0, at: 0.02, length: 0.05, attributes: () => [] },
  {
    name: 'fetch_limit',
    service: 0,
    kind: 3,
    parent: 0,
    at: 0.1,
    length: 0.45,
    attributes: (_, username) => [
      { key: 'http.request.method', value: 'GET' },
      { key: 'url.full', value: `http://user-service:8080/users/${username}/limits` },
      { key: 'http.response.status_code', value: 200n },
    ],
  },
  {
    name: 'reservation_limits_handler',
    service: 1,
    kind: 2,
    parent: 2,
    at: 0.12,
    length: 0.4,
    attributes: () => [
      { key: 'http.request.method', value: 'GET' },
      { key: 'http.route', value: '/users/:username/limits' },
      { key: 'http.response.status_code', value: 200n },
    ],
  },
  {
    name: 'validate_username',
    service: 1,
    kind: 1,
    parent: 3,
    at: 0.13,
    length: 0.03,
    attributes: (_, username) => [{ key: 'user.name', value: username }],
  },
  {
    name: 'fetch_record',
    service: 1,
    kind: 3,
    parent: 3,
    at: 0.17,
    length: 0.3,
    attributes: () => [
      { key: 'db.system', value: 'redis' },
      { key: 'db.operation', value: 'GET' },
    ],
  },
  {
    name: 'fetch_reservations_count',
    service: 0,
    kind: 3,
    parent: 0,
    at: 0.57,
    length: 0.15,
    attributes: () => [
      { key: 'db.system', value: 'postgresql' },
      { key: 'db.operation', value: 'SELECT' },
    ],
  },
  {
    name: 'make_reservation',
    service: 0,
    kind: 3,
    parent: 0,
    at: 0.74,
    length: 0.24,
    attributes: () => [
      { key: 'db.system', value: 'postgresql' },
      { key: 'db.operation', value: 'INSERT' },
    ],
  },
];

/** Spans per example-system trace. */
export const EXAMPLE_TRACE_SPANS = TRACE.length;

/**
 * A batch of the example system's traffic: `traces` requests to reservations-service, each a
 * trace of 8 spans across reservations-service and user-service (names and a few HTTP/DB
 * attributes as the OpenTelemetry SDK's instrumentations set them), starting one after the other
 * every `intervalNanos` from `baseNanos`. Both services' spans are in one batch, one ResourceSpans
 * each, as a collector in front of them would forward them.
 */
export function makeExampleSystemBatch(
  traces: number,
  seed: number,
  baseNanos: bigint,
  intervalNanos: bigint,
): TracesData {
  let state = seed;
  const random = (): number => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const hex = (digits: number): string => {
    let s = '';
    for (let i = 0; i < digits; i++) s += Math.floor(random() * 16).toString(16);
    return s;
  };
  const perService: Span[][] = [[], []];
  for (let t = 0; t < traces; t++) {
    const traceId = hex(32);
    const rootStart = baseNanos + BigInt(t) * intervalNanos + BigInt(Math.floor(random() * 1000));
    const rootNanos = 2_000_000 + Math.floor(random() * 30_000_000);
    const username = USERNAMES[Math.floor(random() * USERNAMES.length)];
    const spanIds = TRACE.map(() => hex(16));
    TRACE.forEach((template, i) => {
      const start = rootStart + BigInt(Math.floor(template.at * rootNanos));
      const error = template.name === 'reservations_handler' && random() < 0.03;
      perService[template.service].push({
        traceId,
        spanId: spanIds[i],
        traceState: '',
        parentSpanId: template.parent < 0 ? '' : spanIds[template.parent],
        flags: 0x301,
        name: template.name,
        kind: template.kind,
        startTimeUnixNano: start,
        endTimeUnixNano: start + BigInt(Math.floor(template.length * rootNanos)),
        attributes: template.attributes(random, username),
        droppedAttributesCount: 0,
        events: [],
        droppedEventsCount: 0,
        links: [],
        droppedLinksCount: 0,
        status: { code: error ? 2 : 0, message: error ? 'limit reached' : '' },
      });
    });
  }
  return SERVICES.map((service, index) => ({
    resource: {
      attributes: [
        { key: 'service.name', value: service },
        { key: 'telemetry.sdk.language', value: 'nodejs' },
        { key: 'telemetry.sdk.name', value: 'opentelemetry' },
        { key: 'telemetry.sdk.version', value: '2.0.1' },
      ],
      droppedAttributesCount: 0,
    },
    schemaUrl: '',
    scopeSpans: [
      {
        scope: { name: service, version: '', attributes: [], droppedAttributesCount: 0 },
        spans: perService[index],
        schemaUrl: '',
      },
    ],
  }));
}
