import type { SpanKind, StatusCode } from '../../model/span.js';

const SPAN_KINDS: Record<string, SpanKind> = {
  Unspecified: 0,
  Internal: 1,
  Server: 2,
  Client: 3,
  Producer: 4,
  Consumer: 5,
};
const STATUS_CODES: Record<string, StatusCode> = { Unset: 0, Ok: 1, Error: 2 };

/** A stored `SpanKind` name as its OTLP number (0 for a name no exporter writes). */
export function spanKindOf(name: string): SpanKind {
  return SPAN_KINDS[name] ?? SPAN_KINDS[legacyName(name, 'SPAN_KIND_')] ?? 0;
}

/** A stored `StatusCode` name as its OTLP number (0 for a name no exporter writes). */
export function statusCodeOf(name: string): StatusCode {
  return STATUS_CODES[name] ?? STATUS_CODES[legacyName(name, 'STATUS_CODE_')] ?? 0;
}

/** Older collector exporters wrote `SPAN_KIND_SERVER` and `STATUS_CODE_ERROR`. */
function legacyName(name: string, prefix: string): string {
  if (!name.startsWith(prefix)) return name;
  const rest = name.slice(prefix.length).toLowerCase();
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}
