import { encodeExportTraceServiceRequest } from '../src/otlp/protobuf/encode-traces.js';
import type { TracesData } from '../src/model/span.js';
import { makeRealisticBatch } from './realistic-batch.js';

export interface EncodedBatches {
  readonly models: TracesData[];
  /** `models[i]` as ExportTraceServiceRequest protobuf bytes. */
  readonly protobuf: Buffer[];
  readonly spansPerBatch: number;
}

/**
 * `count` realistic batches from distinct seeds, encoded once. Distinct seeds give distinct ids,
 * URL paths and cache keys, so a decoder's caches see the churn of real traffic rather than one
 * batch replayed. `baseNanos` (Unix ns) sets the spans' start times, e.g. "now" for a store that
 * drops old spans.
 */
export function makeEncodedBatches(count = 16, spansPerBatch = 512, baseNanos?: bigint): EncodedBatches {
  const models: TracesData[] = [];
  const protobuf: Buffer[] = [];
  for (let seed = 1; seed <= count; seed++) {
    const model = makeRealisticBatch(spansPerBatch, seed, baseNanos);
    models.push(model);
    // The writer hands out a view of its growing buffer; copy so each payload owns just its bytes.
    protobuf.push(Buffer.from(encodeExportTraceServiceRequest(model)));
  }
  return { models, protobuf, spansPerBatch };
}
