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
 *      skipped or replaced, ProtoReader.verbatim) and validation removed no span.
 *   2. The pipeline builder puts `ForgetRequestBytes` at the head of every pipeline holding a
 *      processor that does not declare `mutatesData: false` (the Collector's
 *      `consumer.Capabilities`; undeclared counts as mutating), so in such a pipeline no batch
 *      carries bytes past the receiver.
 *   3. A processor declaring `mutatesData: false` hands on the spans it got unchanged; the one
 *      that regroups them (batch) attaches the joined bytes to its new batch only when every part
 *      had bytes and it did not split the batch, and otherwise attaches none.
 *   4. Exporters never modify what they are given (FanoutConsumer shares one batch among them).
 *   A receiver shared by several pipelines hands the others a structuredClone, which carries no
 *   bytes (a WeakMap entry is not part of the object).
 *
 * A WeakMap keeps the bytes off the model's types and lets them go with the batch.
 *
 * Where a pipeline does not read spans at all, the model is not even made: receivers scan the
 * request instead of decoding it and hand on bytes only, through TracesConsumer.consumeTraceBytes
 * (consumer/traces-consumer.ts; the builder offers it, otlp/protobuf/scan-traces.ts checks).
 */
const requestBytes = new WeakMap<TracesData, readonly Buffer[]>();

/** Records that `parts`, concatenated, are an ExportTraceServiceRequest saying exactly `data`. */
export function attachRequestBytes(data: TracesData, parts: readonly Buffer[]): void {
  requestBytes.set(data, parts);
}

/** The bytes attached to this very batch object, if any. */
export function requestBytesOf(data: TracesData): readonly Buffer[] | undefined {
  return requestBytes.get(data);
}

export function forgetRequestBytes(data: TracesData): void {
  requestBytes.delete(data);
}
