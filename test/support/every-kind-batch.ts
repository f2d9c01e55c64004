import { emptySpan } from '../../src/model/factories.js';
import type { TracesData } from '../../src/model/span.js';

/** Now, in Unix nanoseconds: inside the store's retention, so rows are not expired by TTL. */
export const NOW_NANOS = BigInt(Date.now()) * 1_000_000n;

/**
 * One span that uses every attribute type (64-bit extremes, NaN, bytes, nested arrays and
 * kvlists, empty values), every count, flag and schema URL the model has: what must read back
 * exactly from any store driver.
 */
export function everyKindBatch(traceId: string): TracesData {
  return [
    {
      resource: {
        attributes: [
          { key: 'service.name', value: 'typed-service' },
          { key: 'host.cores', value: 8n },
        ],
        droppedAttributesCount: 2,
      },
      schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      scopeSpans: [
        {
          scope: {
            name: 'lib',
            version: '1.0',
            attributes: [{ key: 'scope.flag', value: true }],
            droppedAttributesCount: 1,
          },
          schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
          spans: [
            {
              ...emptySpan(),
              traceId,
              spanId: '1111111111111111',
              parentSpanId: '2222222222222222',
              traceState: 'a=b',
              flags: 0x301,
              name: 'typed',
              kind: 3,
              startTimeUnixNano: NOW_NANOS + 123n,
              endTimeUnixNano: NOW_NANOS + 5_000_456n,
              attributes: [
                { key: 's', value: 'text ☃' },
                { key: 'i', value: -9_223_372_036_854_775_808n },
                { key: 'd', value: 0.1 },
                { key: 'whole-double', value: 3 },
                { key: 'nan', value: Number.NaN },
                { key: 'b', value: false },
                { key: 'bytes', value: new Uint8Array([0, 1, 255]) },
                { key: 'arr', value: ['x', 1n, 1.5, true, null, new Uint8Array([9])] },
                {
                  key: 'kv',
                  value: { kvlistValue: [{ key: 'n', value: { kvlistValue: [{ key: 'x', value: 2n }] } }] },
                },
                { key: 'empty', value: null },
                { key: '200', value: 'numeric-looking key' },
                { key: 'quotes', value: `it's a "test" \\ with \t tab and\nnewline` },
              ],
              droppedAttributesCount: 3,
              events: [
                {
                  timeUnixNano: NOW_NANOS + 1000n,
                  name: 'plain',
                  attributes: [{ key: 'k', value: 'v' }],
                  droppedAttributesCount: 0,
                },
                {
                  timeUnixNano: NOW_NANOS + 2000n,
                  name: 'typed',
                  attributes: [{ key: 'n', value: 5n }],
                  droppedAttributesCount: 4,
                },
              ],
              droppedEventsCount: 6,
              links: [
                {
                  traceId: 'abababababababababababababababab',
                  spanId: 'cdcdcdcdcdcdcdcd',
                  traceState: 'x=y',
                  attributes: [{ key: 'w', value: 0.5 }],
                  droppedAttributesCount: 1,
                  flags: 0x101,
                },
              ],
              droppedLinksCount: 7,
              status: { code: 2, message: 'boom' },
            },
          ],
        },
      ],
    },
  ];
}
