import type { TracesData } from '../../model/span.js';
import { encodeExportTraceServiceRequestJson } from '../../otlp/json/encode-traces-json.js';
import type { ResourceSpansJson, SpanJson } from '../../otlp/json/otlp-json-types.js';

const SPAN_KINDS = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

/** A span as Tempo's JSON writes it: ids as base64 strings, enums by name. */
type TempoSpanJson = Omit<SpanJson, 'kind' | 'status'> & {
  kind?: string;
  status: { message?: string; code?: string };
};

/**
 * A trace as Tempo answers it in JSON: `tempopb.Trace` through protobuf's JSON mapping (jsonpb),
 * which Grafana decodes with generated code. It differs from OTLP/JSON in two ways, both because
 * Tempo's ids are `bytes` fields and it does not use OTLP/JSON's exceptions: trace and span ids
 * are base64, and `kind` / `status.code` are enum names (`SPAN_KIND_SERVER`, `STATUS_CODE_ERROR`).
 */
export function tempoTraceJson(data: TracesData): { resourceSpans: object[] } {
  const resourceSpans = encodeExportTraceServiceRequestJson(data).resourceSpans ?? [];
  return { resourceSpans: resourceSpans.map(toTempoResourceSpans) };
}

function toTempoResourceSpans(rs: ResourceSpansJson): object {
  return {
    ...rs,
    ...(rs.scopeSpans
      ? {
          scopeSpans: rs.scopeSpans.map((ss) => ({
            ...ss,
            ...(ss.spans ? { spans: ss.spans.map(toTempoSpan) } : {}),
          })),
        }
      : {}),
  };
}

function toTempoSpan(span: SpanJson): TempoSpanJson {
  const { kind, status, ...rest } = span;
  const out: TempoSpanJson = { ...rest, status: {} };
  if (span.traceId) out.traceId = hexToBase64(span.traceId);
  if (span.spanId) out.spanId = hexToBase64(span.spanId);
  if (span.parentSpanId) out.parentSpanId = hexToBase64(span.parentSpanId);
  if (kind !== undefined) out.kind = SPAN_KINDS[kind] ?? String(kind);
  if (status?.message) out.status.message = status.message;
  if (status?.code) out.status.code = STATUS_CODES[status.code] ?? String(status.code);
  if (span.links) {
    out.links = span.links.map((link) => ({
      ...link,
      ...(link.traceId ? { traceId: hexToBase64(link.traceId) } : {}),
      ...(link.spanId ? { spanId: hexToBase64(link.spanId) } : {}),
    }));
  }
  return out;
}

function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}
