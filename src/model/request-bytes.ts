import type { TracesData } from './span.js';

/*
 * Pass-through: the received protobuf bytes of a batch, kept beside its model so that the OTLP
 * exporters can send them instead of encoding the model again (encoding was the largest cost of
 * a collector that only batches). It rests on two facts:
 *
 * - Serialized `ExportTraceServiceRequest` messages concatenate into a valid one: its only field,
 *   `resource_spans` (1), is repeated, and protobuf parses concatenated messages as one message
 *   with the repeated fields of each, in order (protobuf encoding guide, "Last One Wins" and
 *   repeated fields). So the batch processor may join its requests' bytes.
 * - The bytes equal the model only while nothing has changed it. That is guaranteed by who may
 *   attach and who may keep them, not by each processor remembering to forget:
 *   1. A receiver attaches a request's bytes only when its decoder reported them verbatim (nothing
 *      skipped or replaced, ProtoReader.verbatim) and validation removed no span. A worker segment
 *      (pipeline/worker-offload/worker-segment.ts) attaches, on the same terms, the bytes its
 *      workers encoded for its output: for the processors after it, it is the receiver.
 *   2. The pipeline builder puts `ForgetRequestBytes` at the head of every pipeline holding a
 *      processor that does not declare `mutatesData: false` (the Collector's
 *      `consumer.Capabilities`; undeclared counts as mutating), so in such a pipeline no batch
 *      carries bytes past the receiver. With worker segments, the same holds of each stretch of
 *      main-thread processors after a receiver or a segment (pipeline/processor-chain.ts).
 *   3. A processor declaring `mutatesData: false` hands on the spans it got unchanged; the one
 *      that regroups them (batch) attaches the joined bytes to its new batch only when every part
 *      had bytes and it did not split the batch, and otherwise attaches none. tail_sampling
 *      declares it too: it never changes a span, and what it hands on is always a new batch
 *      object (kept traces, late spans), so carries no bytes; it only reads the bytes of the batch
 *      it is given, to hold its spans as views of them (processors/tail_sampling/held-span.ts).
 *      Where what follows it takes bytes, it takes undecoded requests too, and decodes of them
 *      only what its policies read (otlp/protobuf/decode-span-summaries.ts).
 *   4. Exporters never modify what they are given (FanoutConsumer shares one batch among them).
 *   A receiver shared by several pipelines hands the others a structuredClone, which carries no
 *   bytes (a WeakMap entry is not part of the object).
 *
 * With the bytes may come where each span lies in them (SpanFields), recorded by the verbatim
 * decode, so a consumer can copy a span's bytes instead of encoding it (tail_sampling).
 *
 * A WeakMap keeps the bytes off the model's types and lets them go with the batch.
 *
 * Where a pipeline does not read spans at all, the model is not even made: receivers scan the
 * request instead of decoding it and hand on bytes only, through TracesConsumer.consumeTraceBytes
 * (consumer/traces-consumer.ts; the builder offers it, otlp/protobuf/scan-traces.ts checks).
 */
/**
 * Where the spans of one part lie in it, in the order the model lists them (resource spans,
 * scope spans, spans): span k is the `ScopeSpans.spans` field `part[fields[2k], fields[2k+1])`,
 * tag and length included, so it can be copied into another request as it is.
 */
export type SpanFields = readonly number[];

interface AttachedBytes {
  readonly parts: readonly Buffer[];
  /** One per part, when every part's spans were located; the spans of part i follow part i-1's. */
  readonly spanFields: readonly SpanFields[] | undefined;
}

const requestBytes = new WeakMap<TracesData, AttachedBytes>();

/**
 * Records that `parts`, concatenated, are an ExportTraceServiceRequest saying exactly `data`,
 * and, when given (one per part), where each of its spans lies in them.
 */
export function attachRequestBytes(
  data: TracesData,
  parts: readonly Buffer[],
  spanFields?: readonly SpanFields[],
): void {
  requestBytes.set(data, { parts, spanFields });
}

/** The bytes attached to this very batch object, if any. */
export function requestBytesOf(data: TracesData): readonly Buffer[] | undefined {
  return requestBytes.get(data)?.parts;
}

/** Where the spans of this very batch object lie in its attached bytes, if that was recorded. */
export function spanFieldsOf(data: TracesData): readonly SpanFields[] | undefined {
  return requestBytes.get(data)?.spanFields;
}

export function forgetRequestBytes(data: TracesData): void {
  requestBytes.delete(data);
}
