import { emptySpan } from '../../src/model/factories.js';
import type { Span, TracesData } from '../../src/model/span.js';

/** A minimal valid export request of one span, for the receiver cases a real SDK never sends. */
export function oneSpanRequest(overrides: Partial<Span> = {}): TracesData {
  return [
    {
      resource: { attributes: [{ key: 'service.name', value: 'raw' }], droppedAttributesCount: 0 },
      schemaUrl: '',
      scopeSpans: [
        {
          scope: { name: 's', version: '', attributes: [], droppedAttributesCount: 0 },
          schemaUrl: '',
          spans: [
            {
              ...emptySpan(),
              traceId: '5b8efff798038103d269b633813fc60c',
              spanId: 'eee19b7ec3c1b174',
              name: 'raw-span',
              startTimeUnixNano: 1n,
              endTimeUnixNano: 2n,
              ...overrides,
            },
          ],
        },
      ],
    },
  ];
}
