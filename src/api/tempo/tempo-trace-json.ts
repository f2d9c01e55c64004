import type { TracesData } from '../../model/span.js';
import { encodeExportTraceServiceRequestJson } from '../../otlp/json/encode-traces-json.js';
import type { SpanJson } from '../../otlp/json/otlp-json-types.js';

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
  const ids = new Base64Ids();
  // The encoder's objects are fresh and ours: rewriting them in place spares a copy of each span.
  for (const rs of resourceSpans)
    for (const ss of rs.scopeSpans ?? []) for (const span of ss.spans ?? []) toTempoSpan(span, ids);
  return { resourceSpans };
}

function toTempoSpan(span: SpanJson, ids: Base64Ids): void {
  const out = span as unknown as TempoSpanJson;
  if (span.traceId) out.traceId = ids.of(span.traceId);
  if (span.spanId) out.spanId = ids.of(span.spanId);
  if (span.parentSpanId) out.parentSpanId = ids.of(span.parentSpanId);
  if (span.kind !== undefined) out.kind = SPAN_KINDS[span.kind] ?? String(span.kind);
  const code = span.status?.code;
  out.status = span.status?.message ? { message: span.status.message } : {};
  if (code) out.status.code = STATUS_CODES[code] ?? String(code);
  for (const link of span.links ?? []) {
    if (link.traceId) link.traceId = ids.of(link.traceId);
    if (link.spanId) link.spanId = ids.of(link.spanId);
  }
}

/** Hex ids to base64, remembered: every span repeats the trace id and most parents' ids. */
class Base64Ids {
  private readonly known = new Map<string, string>();

  of(hex: string): string {
    let base64 = this.known.get(hex);
    if (base64 === undefined) {
      base64 = Buffer.from(hex, 'hex').toString('base64');
      this.known.set(hex, base64);
    }
    return base64;
  }
}
