import type { KeyValue } from '../src/model/attributes.js';
import type { ResourceSpans, Span, TracesData } from '../src/model/span.js';
import { SpanKind, StatusCode } from '../src/model/span.js';

const SERVICES = [
  'frontend',
  'reservations-service',
  'user-service',
  'inventory-service',
  'pricing-service',
  'payments-service',
  'notification-service',
  'audit-service',
];
const FANOUT = 4;
const MS = 1_000_000n;

/**
 * A synthetic trace of `spans` spans for the UI benchmark: a bushy tree (each span has up to four
 * children, depth ≈ log₄ n), eight services, four attributes a span, an event on one span in ten,
 * an error on one in 97. Children sit inside their parents' time, as in a synchronous call tree.
 */
export function syntheticTrace(traceId: string, spans: number, startMs: number): TracesData {
  const starts = new Float64Array(spans);
  const durations = new Float64Array(spans);
  durations[0] = 10_000;
  const byService = SERVICES.map(() => [] as Span[]);
  for (let i = 0; i < spans; i++) {
    const parent = i === 0 ? -1 : Math.floor((i - 1) / FANOUT);
    if (parent >= 0) {
      const j = (i - 1) % FANOUT;
      starts[i] = starts[parent] + durations[parent] * (0.04 + 0.24 * j);
      durations[i] = durations[parent] * 0.2;
    }
    const service = i === 0 ? 0 : (parent * 7 + i) % SERVICES.length;
    const start = BigInt(startMs) * MS + BigInt(Math.round(starts[i] * 1e6));
    const span: Span = {
      traceId,
      spanId: spanId(i),
      traceState: '',
      parentSpanId: parent === -1 ? '' : spanId(parent),
      flags: 0x301,
      name: `operation_${i % 53}`,
      kind: i === 0 ? SpanKind.SERVER : i % 3 === 0 ? SpanKind.CLIENT : SpanKind.INTERNAL,
      startTimeUnixNano: start,
      endTimeUnixNano: start + BigInt(Math.max(1, Math.round(durations[i] * 1e6))),
      attributes: attributes(i),
      droppedAttributesCount: 0,
      events:
        i % 10 === 0
          ? [
              {
                timeUnixNano: start + 1000n,
                name: 'cache.miss',
                attributes: [{ key: 'key', value: `k${i}` }],
                droppedAttributesCount: 0,
              },
            ]
          : [],
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      status:
        i % 97 === 5
          ? { code: StatusCode.ERROR, message: 'synthetic failure' }
          : { code: StatusCode.UNSET, message: '' },
    };
    byService[service].push(span);
  }
  return byService.map((list, s): ResourceSpans => ({
    resource: { attributes: [{ key: 'service.name', value: SERVICES[s] }], droppedAttributesCount: 0 },
    scopeSpans: [
      {
        scope: { name: 'ui-bench', version: '1.0.0', attributes: [], droppedAttributesCount: 0 },
        spans: list,
        schemaUrl: '',
      },
    ],
    schemaUrl: '',
  }));
}

function spanId(i: number): string {
  return (i + 1).toString(16).padStart(16, '0');
}

function attributes(i: number): KeyValue[] {
  return [
    { key: 'http.route', value: `/api/v1/items/${i % 17}` },
    { key: 'db.statement', value: `SELECT * FROM items WHERE id = ${i}` },
    { key: 'retry.count', value: BigInt(i % 3) },
    { key: 'cache.hit', value: i % 2 === 0 },
  ];
}
