/** The parts of Tempo's OTLP/JSON trace-by-id answer the example tests read. */
export interface OtlpTrace {
  resourceSpans: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string; boolValue?: boolean; arrayValue?: unknown };
}

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP/JSON says an integer; protobuf's JSON mapping (which Tempo follows) the enum name. */
  kind: number | string;
  attributes?: OtlpAttribute[];
}

/** One span with its service, flattened out of the resource/scope nesting. */
export interface FlatSpan {
  service: string;
  name: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  kind: number;
  attributes: Record<string, unknown>;
}

/** OTLP span kinds (the enum's numbers in OTLP/JSON). */
export const KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3 } as const;

const KIND_NAMES = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT'];

/** A span kind as its number, whichever way the JSON spelled it. */
const kindNumber = (kind: number | string): number =>
  typeof kind === 'number' ? kind : KIND_NAMES.indexOf(kind);

export function flattenTrace(trace: OtlpTrace): FlatSpan[] {
  const spans: FlatSpan[] = [];
  for (const rs of trace.resourceSpans) {
    const service = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        const attributes: Record<string, unknown> = {};
        for (const a of span.attributes ?? [])
          attributes[a.key] =
            a.value.stringValue ?? a.value.intValue ?? a.value.boolValue ?? a.value.arrayValue;
        spans.push({
          service,
          name: span.name,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId ?? '',
          kind: kindNumber(span.kind),
          attributes,
        });
      }
    }
  }
  return spans;
}

/** The span named `name`; throws listing what the trace holds when there is none or several. */
export function onlySpan(spans: FlatSpan[], name: string): FlatSpan {
  const found = spans.filter((s) => s.name === name);
  if (found.length !== 1)
    throw new Error(
      `expected one "${name}" span, found ${found.length} in: ${spans.map((s) => s.name).join(', ')}`,
    );
  return found[0];
}

/**
 * Polls trace by id until the trace holds every span name in `names` (spans arrive from two
 * processes, each in its own batches) or `timeoutMs` passes.
 */
export async function waitForTrace(
  getTrace: (id: string) => Promise<OtlpTrace | undefined>,
  traceId: string,
  names: readonly string[],
  timeoutMs = 20_000,
): Promise<FlatSpan[]> {
  const deadline = Date.now() + timeoutMs;
  let spans: FlatSpan[] = [];
  while (Date.now() < deadline) {
    const trace = await getTrace(traceId);
    spans = trace ? flattenTrace(trace) : [];
    if (names.every((name) => spans.some((s) => s.name === name))) return spans;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `trace ${traceId} incomplete after ${timeoutMs} ms: has ${spans.map((s) => s.name).join(', ') || 'nothing'}`,
  );
}
