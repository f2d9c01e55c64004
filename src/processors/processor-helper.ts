import type { RetryableError } from '../consumer/errors.js';
import type { ConsumeContext, TracesConsumer } from '../consumer/traces-consumer.js';
import type { TracesData } from '../model/span.js';
import type { TracesProcessor } from '../pipeline/component-factory.js';

/**
 * A processor's whole logic: edits the batch in place (or builds a new one) and returns what
 * goes on. Spans it removes are simply left out; empty scopes and resources are pruned here.
 */
export type ProcessTraces = (data: TracesData, context: ConsumeContext) => TracesData;

/**
 * Wraps a pure batch function into a pipeline processor (the Collector's `processorhelper.NewTraces`):
 * runs it, prunes what became empty, and skips the next consumer when nothing is left
 * (`ErrSkipProcessingData`), so a filtered-out batch is accepted without reaching the exporters.
 */
export function newTracesProcessor(process: ProcessTraces, next: TracesConsumer): TracesProcessor {
  return {
    async consumeTraces(data: TracesData, context: ConsumeContext): Promise<void> {
      const out = pruneEmpty(process(data, context));
      if (out.length > 0) await next.consumeTraces(out, context);
    },
    // What such a processor keeps goes on at once, so it is refused as the next consumer would be.
    wouldRefuse: (context: ConsumeContext): RetryableError | undefined => next.wouldRefuse?.(context),
    start: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}

/** Drops scopes without spans and resources without scopes, in place; returns the batch. */
export function pruneEmpty(data: TracesData): TracesData {
  let keptResources = 0;
  for (const rs of data) {
    let keptScopes = 0;
    for (const ss of rs.scopeSpans) if (ss.spans.length > 0) rs.scopeSpans[keptScopes++] = ss;
    // Setting an array's length is not free even when it does not change; this runs per batch per processor.
    if (keptScopes !== rs.scopeSpans.length) rs.scopeSpans.length = keptScopes;
    if (keptScopes > 0) data[keptResources++] = rs;
  }
  if (keptResources !== data.length) data.length = keptResources;
  return data;
}
