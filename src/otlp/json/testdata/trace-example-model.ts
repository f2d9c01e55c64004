import { readFileSync } from 'node:fs';
import type { TracesData } from '../../../model/span.js';
import { SpanKind, StatusCode } from '../../../model/span.js';

/** A file in this folder, JSON.parse'd. */
export function readTestdataJson(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8'));
}

/** opentelemetry-proto examples/trace.json, as the model should hold it. */
export const TRACE_EXAMPLE: TracesData = [
  {
    resource: {
      attributes: [{ key: 'service.name', value: 'my.service' }],
      droppedAttributesCount: 0,
    },
    scopeSpans: [
      {
        scope: {
          name: 'my.library',
          version: '1.0.0',
          attributes: [{ key: 'my.scope.attribute', value: 'some scope attribute' }],
          droppedAttributesCount: 0,
        },
        spans: [
          {
            traceId: '5b8efff798038103d269b633813fc60c',
            spanId: 'eee19b7ec3c1b174',
            traceState: '',
            parentSpanId: 'eee19b7ec3c1b173',
            flags: 0,
            name: "I'm a server span",
            kind: SpanKind.SERVER,
            startTimeUnixNano: 1544712660000000000n,
            endTimeUnixNano: 1544712661000000000n,
            attributes: [{ key: 'my.span.attr', value: 'some value' }],
            droppedAttributesCount: 0,
            events: [],
            droppedEventsCount: 0,
            links: [],
            droppedLinksCount: 0,
            status: { code: StatusCode.UNSET, message: '' },
          },
        ],
        schemaUrl: '',
      },
    ],
    schemaUrl: '',
  },
];
