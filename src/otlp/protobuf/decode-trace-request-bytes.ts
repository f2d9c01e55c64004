import { attachRequestBytes } from '../../model/request-bytes.js';
import type { ResourceSpans, TracesData } from '../../model/span.js';
import { decodeExportTraceServiceRequest } from './decode-traces.js';

/**
 * The model of undecoded request bytes (consumer/traces-consumer.ts, TraceRequestBytes), for a consumer of them that must read spans after all
 * (the batch processor splitting at send_batch_max_size, a bytes consumer whose next one takes
 * only models). Each part decodes on its own: their concatenation is one request whose resource
 * spans are theirs in order. The parts stay attached (model/request-bytes.ts) — the scan found
 * them verbatim, with no invalid span — so an exporter behind may still send them as they are.
 */
export function decodeTraceRequestBytes(parts: readonly Buffer[]): TracesData {
  const data: ResourceSpans[] = [];
  for (const part of parts) for (const rs of decodeExportTraceServiceRequest(part)) data.push(rs);
  attachRequestBytes(data, parts);
  return data;
}
