import type { ResourceSpansJson, SpanJson, TracesDataJson } from './otlp-json';
import { parseTrace } from './parse-trace';
import type { Trace } from './trace-model';

/** [span id, parent id ('' = root), service, name, start ms, duration ms, status code?] */
export type SpanRow = [string, string, string, string, number, number, number?];

const BASE_MS = 1_700_000_000_000;

/** OTLP/JSON for a few spans, one resource per service: what tests and the benchmark feed the UI. */
export function otlpJson(rows: readonly SpanRow[], traceId = 'ab'.repeat(16)): TracesDataJson {
  const byService = new Map<string, SpanJson[]>();
  for (const [spanId, parent, service, name, start, duration, status] of rows) {
    const nanos = (ms: number) =>
      `${BASE_MS + Math.floor(ms)}${String(Math.round((ms % 1) * 1e6)).padStart(6, '0')}`;
    const span: SpanJson = {
      traceId,
      spanId,
      name,
      kind: parent === '' ? 2 : 1,
      startTimeUnixNano: nanos(start),
      endTimeUnixNano: nanos(start + duration),
      status: status === undefined ? {} : { code: status },
      ...(parent === '' ? {} : { parentSpanId: parent }),
    };
    const list = byService.get(service) ?? [];
    list.push(span);
    byService.set(service, list);
  }
  const resourceSpans: ResourceSpansJson[] = [...byService].map(([service, spans]) => ({
    resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
    scopeSpans: [{ scope: { name: 'test' }, spans }],
  }));
  return { resourceSpans };
}

export function makeTrace(rows: readonly SpanRow[]): Trace {
  return parseTrace('ab'.repeat(16), otlpJson(rows));
}
