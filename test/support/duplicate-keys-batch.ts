import type { KeyValue } from '../../src/model/attributes.js';
import { emptySpan } from '../../src/model/factories.js';
import type { TracesData } from '../../src/model/span.js';
import { NOW_NANOS } from './every-kind-batch.js';

/**
 * One span whose every attribute list (resource, scope, span, event, link) repeats keys: with
 * other types, with the same type, with strings that read as another type's text ('2' after an
 * int, base64 after bytes, the collector's JSON after an array), and arrays, kvlists and bytes
 * repeated. OTLP says keys SHOULD be unique, but the Collector and Tempo keep such lists as sent,
 * so the store must read each entry back, in order, with its own type and value.
 */
export function duplicateKeysBatch(traceId: string): TracesData {
  const kv = (key: string, value: KeyValue['value']): KeyValue => ({ key, value });
  return [
    {
      resource: {
        attributes: [
          kv('service.name', 'duplicate-keys'),
          kv('dup', 1n),
          kv('dup', '2'),
          kv('dup', 'three'),
          kv('host', 'h'),
          kv('dup', 4n),
        ],
        droppedAttributesCount: 0,
      },
      schemaUrl: '',
      scopeSpans: [
        {
          scope: {
            name: 'lib',
            version: '1.0',
            attributes: [kv('flag', 'true'), kv('flag', true), kv('flag', false)],
            droppedAttributesCount: 0,
          },
          schemaUrl: '',
          spans: [
            {
              ...emptySpan(),
              traceId,
              spanId: 'd0d0d0d0d0d0d0d0',
              name: 'duplicate keys',
              kind: 1,
              startTimeUnixNano: NOW_NANOS + 77n,
              endTimeUnixNano: NOW_NANOS + 1_000_077n,
              attributes: [
                // The black-box probe's span.
                kv('dup', 1n),
                kv('dup', 'two'),
                kv('n', '7'),
                kv('n', 7n),
                kv('n', 7),
                kv('n', 7.5),
                kv('n', null),
                kv('n', ''),
                kv('same', 1n),
                kv('same', 2n),
                kv('bin', new Uint8Array([1, 2])),
                kv('bin', 'AQI='),
                kv('bin', new Uint8Array([3])),
                kv('arr', ['a', 1n]),
                kv('arr', '["a",1]'),
                kv('arr', { kvlistValue: [{ key: 'k', value: 2n }] }),
                kv('arr', [1.5, [true]]),
                kv('plain', 'p'),
              ],
              droppedAttributesCount: 0,
              events: [
                {
                  timeUnixNano: NOW_NANOS + 100n,
                  name: 'repeats',
                  attributes: [kv('e', 5n), kv('e', 'five'), kv('e', [5n]), kv('e', [5.5])],
                  droppedAttributesCount: 0,
                },
                {
                  timeUnixNano: NOW_NANOS + 200n,
                  name: 'plain',
                  attributes: [kv('e', 'only')],
                  droppedAttributesCount: 0,
                },
              ],
              droppedEventsCount: 0,
              links: [
                {
                  traceId: 'abababababababababababababababab',
                  spanId: 'cdcdcdcdcdcdcdcd',
                  traceState: '',
                  attributes: [kv('w', 0.5), kv('w', '0.5'), kv('w', { kvlistValue: [] }), kv('w', 0.25)],
                  droppedAttributesCount: 0,
                  flags: 0,
                },
              ],
              droppedLinksCount: 0,
              status: { code: 0, message: '' },
            },
          ],
        },
      ],
    },
  ];
}
