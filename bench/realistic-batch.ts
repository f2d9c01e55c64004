import type { KeyValue } from '../src/model/attributes.js';
import type { Span, TracesData } from '../src/model/span.js';

/**
 * A realistic export batch: 512 spans from a handful of services, ~10 attributes each (HTTP and DB
 * semantic conventions), a few events on some spans, traces of 8 spans — what a BatchSpanProcessor
 * ships under load. Span start times fall within one second after `baseNanos` (Unix ns).
 */
export function makeRealisticBatch(
  spanCount = 512,
  seed = 1,
  baseNanos = 1_700_000_000_000_000_000n,
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
  const services = ['reservations-service', 'user-service', 'inventory-service', 'payments-service'];
  const routes = ['/reservations', '/users/:username/limits', '/items/:id', '/payments'];
  return services.map((service, serviceIndex) => {
    const spans: Span[] = [];
    let traceId = '';
    let rootSpanId = '';
    const perService = Math.ceil(spanCount / services.length);
    for (let i = 0; i < perService && serviceIndex * perService + i < spanCount; i++) {
      const start = baseNanos + BigInt(Math.floor(random() * 1e9));
      const attributes: KeyValue[] = [
        { key: 'http.request.method', value: random() < 0.7 ? 'GET' : 'POST' },
        { key: 'http.route', value: routes[serviceIndex] },
        { key: 'url.path', value: `${routes[serviceIndex].split('/:')[0]}/${hex(8)}` },
        { key: 'http.response.status_code', value: random() < 0.95 ? 200n : 500n },
        { key: 'server.address', value: `${service}.internal` },
        { key: 'server.port', value: 8080n },
        { key: 'network.protocol.version', value: '1.1' },
        { key: 'user_agent.original', value: 'python-requests/2.31.0' },
        { key: 'db.system', value: 'postgresql' },
        { key: 'db.statement', value: `SELECT * FROM reservations WHERE user_id = $1 LIMIT ${i % 50}` },
      ];
      const events =
        i % 4 === 0
          ? [
              {
                timeUnixNano: start + 1000n,
                name: 'cache.miss',
                attributes: [{ key: 'cache.key', value: hex(12) }],
                droppedAttributesCount: 0,
              },
              {
                timeUnixNano: start + 5000n,
                name: 'retry',
                attributes: [{ key: 'attempt', value: 1n }],
                droppedAttributesCount: 0,
              },
            ]
          : [];
      const spanId = hex(16);
      const isRoot = i % 8 === 0;
      if (isRoot) {
        traceId = hex(32);
        rootSpanId = spanId;
      }
      spans.push({
        traceId,
        spanId,
        traceState: '',
        parentSpanId: isRoot ? '' : rootSpanId,
        flags: 0x101,
        name: i % 3 === 0 ? `GET ${routes[serviceIndex]}` : 'SELECT reservations',
        kind: i % 3 === 0 ? 2 : 3,
        startTimeUnixNano: start,
        endTimeUnixNano: start + BigInt(Math.floor(random() * 50_000_000)),
        attributes,
        droppedAttributesCount: 0,
        events,
        droppedEventsCount: 0,
        links: [],
        droppedLinksCount: 0,
        status: { code: random() < 0.05 ? 2 : 0, message: '' },
      });
    }
    return {
      resource: {
        attributes: [
          { key: 'service.name', value: service },
          { key: 'service.version', value: '1.4.2' },
          { key: 'telemetry.sdk.language', value: 'nodejs' },
          { key: 'telemetry.sdk.name', value: 'opentelemetry' },
          { key: 'host.name', value: `host-${serviceIndex}` },
        ],
        droppedAttributesCount: 0,
      },
      schemaUrl: '',
      scopeSpans: [
        {
          scope: {
            name: '@opentelemetry/instrumentation-http',
            version: '0.52.0',
            attributes: [],
            droppedAttributesCount: 0,
          },
          spans,
          schemaUrl: '',
        },
      ],
    };
  });
}
