import { describe, expect, it } from 'vitest';
import type { Span, TracesData } from '../model/span.js';
import { decodeZipkinSpans } from './decode-zipkin-spans.js';

/** How decoded spans are grouped into resources and scopes, and what those hold. */

function zipkinSpan(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: '5982fe77008310cc80f1da5e10147517',
    id: 'bd7a977555f6b982',
    timestamp: 1458702548467000,
    ...fields,
  };
}

function spansOf(data: TracesData): Span[] {
  return data.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
}

describe('decodeZipkinSpans: resource and scope', () => {
  it('groups spans by service name, then scope name, sorted as the Collector sorts', () => {
    const data = decodeZipkinSpans([
      zipkinSpan({ id: '0000000000000001', localEndpoint: { serviceName: 'web' } }),
      zipkinSpan({
        id: '0000000000000002',
        localEndpoint: { serviceName: 'api' },
        tags: { 'otel.scope.name': 'b' },
      }),
      zipkinSpan({ id: '0000000000000003' }),
      zipkinSpan({
        id: '0000000000000004',
        localEndpoint: { serviceName: 'api' },
        tags: { 'otel.scope.name': 'a' },
      }),
      zipkinSpan({ id: '0000000000000005', localEndpoint: { serviceName: 'web' } }),
      zipkinSpan({
        id: '0000000000000006',
        localEndpoint: { serviceName: 'api' },
        tags: { 'otel.scope.name': 'b' },
      }),
    ]);
    expect(
      data.map((rs) => [
        rs.resource.attributes,
        rs.scopeSpans.map((ss) => [ss.scope.name, ss.spans.map((s) => s.spanId.slice(-1))]),
      ]),
    ).toEqual([
      // No service name: the Collector's placeholder sorts first and gives an empty resource.
      [[], [['', ['3']]]],
      [
        [{ key: 'service.name', value: 'api' }],
        [
          ['a', ['4']],
          ['b', ['2', '6']],
        ],
      ],
      [[{ key: 'service.name', value: 'web' }], [['', ['1', '5']]]],
    ]);
  });

  it('takes resource conventions from the first span of a service into the resource', () => {
    const data = decodeZipkinSpans([
      zipkinSpan({
        localEndpoint: { serviceName: 'api' },
        tags: { 'host.name': 'web-1', 'faas.id': 'arn:x', 'service.version': '2', custom: 'kept' },
      }),
      zipkinSpan({
        id: '0000000000000002',
        localEndpoint: { serviceName: 'api' },
        tags: { 'host.name': 'web-2' },
      }),
    ]);
    expect(data[0].resource.attributes).toEqual([
      { key: 'service.name', value: 'api' },
      { key: 'host.name', value: 'web-1' },
      { key: 'cloud.resource_id', value: 'arn:x' },
      { key: 'service.version', value: '2' },
    ]);
    expect(spansOf(data).map((s) => s.attributes)).toEqual([[{ key: 'custom', value: 'kept' }], []]);
  });

  it('puts the service name under the attribute otlp.service.name.source names', () => {
    const data = decodeZipkinSpans([
      zipkinSpan({
        localEndpoint: { serviceName: 'resize' },
        tags: { 'otlp.service.name.source': 'faas.name' },
      }),
    ]);
    expect(data[0].resource.attributes).toEqual([{ key: 'faas.name', value: 'resize' }]);
    expect(spansOf(data)[0].attributes).toEqual([]);
  });

  it('drops resource tags of a span without service name, as the Collector does', () => {
    const data = decodeZipkinSpans([
      zipkinSpan({ localEndpoint: { serviceName: '' }, tags: { 'host.name': 'h' } }),
    ]);
    expect(data[0].resource.attributes).toEqual([]);
    expect(spansOf(data)[0].attributes).toEqual([]);
  });

  it('reads the scope from otel.scope.* or otel.library.*, never as attributes', () => {
    const scopeOf = (tags: Record<string, string>) => {
      const data = decodeZipkinSpans([zipkinSpan({ localEndpoint: { serviceName: 'api' }, tags })]);
      expect(spansOf(data)[0].attributes).toEqual([]);
      return data[0].scopeSpans[0].scope;
    };
    expect(scopeOf({ 'otel.scope.name': 'pg', 'otel.scope.version': '1.2' })).toMatchObject({
      name: 'pg',
      version: '1.2',
    });
    expect(scopeOf({ 'otel.library.name': 'pg', 'otel.library.version': '1.0' })).toMatchObject({
      name: 'pg',
      version: '1.0',
    });
    expect(
      scopeOf({
        'otel.library.name': 'old',
        'otel.library.version': '1.0',
        'otel.scope.name': 'new',
        'otel.scope.version': '2.0',
      }),
    ).toMatchObject({ name: 'new', version: '2.0' });
    expect(scopeOf({ 'otel.scope.version': '1.2' })).toMatchObject({ name: '', version: '' });
  });
});
